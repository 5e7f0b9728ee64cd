package service

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/install/source"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/systemtest"
)

func TestBuildFromSourceThenNothingToDo(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if !f.onPath("make", "cc") {
		t.Skip("no make or cc")
	}
	f.standIns(f.staged("7.2.4"), f.staged("7.2.5")) // the staged stand-ins say their version
	ssl := filepath.Join(f.root, "sysroot", "usr", "include", "openssl", "ssl.h")
	if err := os.MkdirAll(filepath.Dir(ssl), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ssl, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	f.cat = mustCatalog(t, f.sourceTarball("7.2.4"))
	spec := specFor("7.2", false)
	spec.Config = map[string]string{"maxmemory": "64mb"}
	s := f.service(spec)

	o, err := s.Observe(t.Context(), f.sys)
	if err != nil {
		t.Fatal(err)
	}
	changes := s.Diff(o)
	if len(changes) != 2 || changes[0].Subject != "redis 7.2.4" || !strings.HasPrefix(changes[0].Why, "built from source redis-7.2.4.tar.gz (archive: ") ||
		changes[1].Subject != filepath.Join(f.p.Dirs.State, "services", "redis", "redis.conf") || changes[1].Why != "not written yet" {
		t.Fatalf("changes = %+v", changes)
	}
	st, err := f.apply(s)
	if err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(f.p.Dirs.Data, "redis", "7.2.4")
	if st.Have == nil || st.Have.Origin != "envup" || st.Have.Version != "7.2.4" || st.Have.Path != filepath.Join(prefix, "bin", "redis-server") {
		t.Fatalf("after apply: %+v", st.Have)
	}
	if d := s.Diff(st); len(d) != 0 {
		t.Errorf("second diff = %+v", d)
	}

	// make got the host's flags, and so did make install.
	spawned := strings.Join(f.sys.Log(), "\n")
	stage := prefix + source.StageSuffix
	for _, want := range []string{
		"Run make -j2 BUILD_TLS=yes",
		"Run make install PREFIX=" + stage + " BUILD_TLS=yes",
		"Query " + filepath.Join(stage, "bin", "redis-server") + " --version",
	} {
		if !strings.Contains(spawned, want) {
			t.Errorf("spawned lacks %q:\n%s", want, spawned)
		}
	}
	if flags, _ := os.ReadFile(filepath.Join(prefix, "flags")); strings.TrimSpace(string(flags)) != "yes" {
		t.Errorf("the Makefile saw BUILD_TLS=%q", flags)
	}
	var m source.Marker
	data, _ := os.ReadFile(filepath.Join(prefix, source.MarkerName))
	if err := json.Unmarshal(data, &m); err != nil || m.Source != "build" || !slices.Equal(m.Flags, []string{"BUILD_TLS=yes"}) {
		t.Errorf("marker = %s (%v)", data, err)
	}
	for _, name := range []string{"redis-server", "redis-cli"} {
		got, err := os.Readlink(filepath.Join(f.p.Dirs.Bin, name))
		if want := filepath.Join(prefix, "bin", name); err != nil || got != want {
			t.Errorf("bin/%s -> %q (%v), want %q", name, got, err, want)
		}
	}
	conf, _ := os.ReadFile(st.Config)
	if !strings.Contains(string(conf), "\nmaxmemory 64mb\n") || !strings.Contains(string(conf), "\ndaemonize yes\n") {
		t.Errorf("config:\n%s", conf)
	}
	for _, left := range []string{filepath.Join(f.p.Dirs.Data, "build"), stage} {
		if entries, _ := os.ReadDir(left); len(entries) > 0 {
			t.Errorf("%s left behind: %v", left, entries)
		}
	}

	// The no-op path reads and spawns nothing.
	quiet := f.host()
	o, err = s.Observe(t.Context(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Diff(o); len(d) != 0 || o.Have.Version != "7.2.4" {
		t.Errorf("no-op observe: %+v, diff %+v", o.Have, d)
	}

	// A version bump builds the new version and moves the links.
	f.cat = mustCatalog(t, f.sourceTarball("7.2.4"), f.sourceTarball("7.2.5"))
	bumped := f.service(&recipe.Service{Version: "7.2.5", Sources: []string{"build"}, Config: spec.Config})
	st, err = f.apply(bumped)
	if err != nil {
		t.Fatal(err)
	}
	if st.Have == nil || st.Have.Version != "7.2.5" {
		t.Fatalf("after the bump: %+v", st.Have)
	}
	if got, _ := os.Readlink(filepath.Join(f.p.Dirs.Bin, "redis-server")); got != filepath.Join(f.p.Dirs.Data, "redis", "7.2.5", "bin", "redis-server") {
		t.Errorf("bin/redis-server -> %q after the bump", got)
	}
}

func TestForeignFileInBinIsLeftAlone(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	installTree(t, f, "7.2.4")
	if err := os.MkdirAll(f.p.Dirs.Bin, 0o755); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(f.p.Dirs.Bin, "redis-cli")
	if err := os.WriteFile(mine, []byte("mine"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := f.apply(f.service(specFor("7.2", false)))
	if err == nil || !strings.Contains(err.Error(), "exists and envup did not make it") {
		t.Fatalf("err = %v", err)
	}
	if data, _ := os.ReadFile(mine); string(data) != "mine" {
		t.Error("envup overwrote a file it does not own")
	}
}

func TestBuildThatSaysAnotherVersionIsNotKept(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if !f.onPath("make", "cc") {
		t.Skip("no make or cc")
	}
	f.standIns(f.staged("7.2.4"))
	// The recipe's own tarball, named 7.2.4, builds a 7.0.15.
	top := "redis-7.2.4/"
	path, sum := systemtest.TarGz(t, t.TempDir(), "redis-7.2.4.tar.gz", map[string]string{
		top:                  "",
		top + "Makefile":     "all:\n\ttrue\ninstall:\n\tmkdir -p $(PREFIX)/bin\n\tcp redis-server redis-cli $(PREFIX)/bin/\n",
		top + "redis-server": standIn("Redis", "7.0.15"),
		top + "redis-cli":    "#!/bin/sh\n",
	})
	url := "https://mirror.example.org/redis-7.2.4.tar.gz"
	f.sys.WithDownload(url, path)
	f.cat = mustCatalog(t)
	s := f.service(&recipe.Service{Version: "7.2", Sources: []string{"build"}, Source: &recipe.Download{URL: url, SHA256: sum}})
	_, err := f.apply(s)
	if err == nil || !strings.Contains(err.Error(), `the source built redis 7.0.15, which does not satisfy "7.2"`) {
		t.Fatalf("err = %v", err)
	}
	for _, dir := range []string{filepath.Join(f.p.Dirs.Data, "redis"), filepath.Join(f.p.Dirs.Data, "build")} {
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("%s = %v, want nothing left of the failed build", dir, entries)
		}
	}
	if s.src.Installed(f.sys) != nil {
		t.Error("the wrong build is taken for an install")
	}
}
