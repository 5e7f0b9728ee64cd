package service

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install/source"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/systemtest"
)

type fixture struct {
	t    *testing.T
	root string
	p    detect.Platform
	sys  *systemtest.System
	log  bytes.Buffer
	memo *state.Memo
	cat  *catalog.Catalog
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	root := t.TempDir()
	p := detect.Platform{OS: "linux", Arch: "amd64", Version: "12", Name: "debian 12",
		Libc: detect.Libc{Name: "glibc", Version: "2.36"}, Distro: detect.Distro{ID: "debian", Version: "12"},
		Managers: []string{"apt"}, Home: filepath.Join(root, "home"), Admin: true,
		Dirs: detect.Dirs{
			Data: filepath.Join(root, "data"), Cache: filepath.Join(root, "cache"), State: filepath.Join(root, "state"),
			Bin: filepath.Join(root, "bin"), Config: filepath.Join(root, "config"),
		}}
	f := &fixture{t: t, root: root, p: p, memo: state.NewMemo(nil)}
	f.sys = f.host()
	// No user systemd here: the server daemonizes itself.
	f.sys.Allow(systemtest.Query, "systemctl", "--user", "is-system-running").Stdout("offline\n").Exit(1, "")
	// apt knows no redis unless a test says so.
	f.sys.Allow(systemtest.Query, "apt-cache", "policy", "redis-server").
		Stdout("redis-server:\n  Installed: (none)\n  Candidate: (none)\n")
	if err := os.MkdirAll(filepath.Join(root, "path"), 0o755); err != nil {
		t.Fatal(err)
	}
	return f
}

// host is a System over the fixture's files with the fixture's PATH and
// nothing scripted: on it any command fails the test (Observe's no-op
// path must read, never run).
func (f *fixture) host() *systemtest.System {
	return systemtest.New(f.t).WithEnv("PATH", filepath.Join(f.root, "path"))
}

// onPath puts real programs (make, cc) on the fixture's PATH and lets
// them run, whatever their arguments.
func (f *fixture) onPath(names ...string) bool {
	f.t.Helper()
	for _, n := range names {
		real, err := exec.LookPath(n)
		if err != nil {
			return false
		}
		if err := os.Symlink(real, filepath.Join(f.root, "path", n)); err != nil {
			f.t.Fatal(err)
		}
		f.sys.AllowPrefix(systemtest.Run, n).Func(systemtest.Exec)
	}
	return true
}

// standIns lets the servers at paths (stand-ins the test or a build
// wrote) say their version for real.
func (f *fixture) standIns(paths ...string) {
	for _, p := range paths {
		f.sys.Allow(systemtest.Query, p, "--version").Func(systemtest.Exec)
	}
}

// staged is where a build of redis ver leaves its server, before envup
// moves the install in place.
func (f *fixture) staged(ver string) string {
	return filepath.Join(f.p.Dirs.Data, "redis", ver+source.StageSuffix, "bin", "redis-server")
}

func (f *fixture) service(spec *recipe.Service) *Service {
	f.t.Helper()
	s, err := New("redis", spec, f.p, Options{Catalog: f.cat, Memo: f.memo, Log: &f.log, Root: filepath.Join(f.root, "sysroot")})
	if err != nil {
		f.t.Fatal(err)
	}
	s.proc = filepath.Join(f.root, "proc")
	s.deadline = 5 * time.Second
	return s
}

// apply observes, applies when there is something to do, and observes
// again, returning the second state.
func (f *fixture) apply(s *Service) (*State, error) {
	f.t.Helper()
	ctx := f.t.Context()
	o, err := s.Observe(ctx, f.sys)
	if err != nil {
		return nil, err
	}
	if len(s.Diff(o)) > 0 {
		if err := s.Apply(ctx, f.sys, o); err != nil {
			return nil, err
		}
	}
	again, err := s.Observe(ctx, f.sys)
	if err != nil {
		return nil, err
	}
	return again, nil
}

// standIn is a stand-in redis-server: it says its version, and started
// with a config file it does nothing (it cannot answer PING; the tests
// that need a PONG serve one themselves).
func standIn(server, ver string) string {
	return fmt.Sprintf("#!/bin/sh\ncase \"$1\" in --version|-v) echo '%s server v=%s sha=00000000:0 malloc=libc bits=64 build=1' ;; esac\n", server, ver)
}

// sourceTarball is a tiny source tree whose Makefile "builds" and
// installs a stand-in server and cli, and records the flags it got.
func (f *fixture) sourceTarball(ver string) catalog.Release {
	f.t.Helper()
	top := "redis-" + ver + "/"
	makefile := "all:\n\techo $(BUILD_TLS) $(MALLOC) > flags\n" +
		"install:\n\tmkdir -p $(PREFIX)/bin\n\tcp redis-server redis-cli $(PREFIX)/bin/\n\tcp flags $(PREFIX)/\n"
	path, sum := systemtest.TarGz(f.t, f.t.TempDir(), "redis-"+ver+".tar.gz", map[string]string{
		top:                  "",
		top + "Makefile":     makefile,
		top + "redis-server": standIn("Redis", ver),
		top + "redis-cli":    "#!/bin/sh\necho PONG\n",
	})
	url := "https://download.redis.io/releases/redis-" + ver + ".tar.gz"
	f.sys.WithDownload(url, path)
	return catalog.Release{Tool: "redis", Version: ver, Artifacts: []catalog.Artifact{{
		Kind: catalog.KindSource, URL: url, SHA256: sum, Origin: "redis.io",
	}}}
}

func mustCatalog(t *testing.T, rels ...catalog.Release) *catalog.Catalog {
	t.Helper()
	c, err := catalog.New(rels...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func specFor(version string, start bool) *recipe.Service {
	return &recipe.Service{Version: version, Sources: []string{"archive", "build", "system"}, Port: 6379, Start: start}
}

// installTree puts an envup install of redis ver in the data dir, as a
// build leaves it: stand-in programs and the marker.
func installTree(t *testing.T, f *fixture, ver string) *Found {
	t.Helper()
	s := f.service(&recipe.Service{Version: ver})
	have := s.found(s.src.Prefix(ver), ver)
	if err := os.MkdirAll(filepath.Dir(have.Path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(have.Path, []byte(standIn("Redis", ver)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(have.CLI, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := source.WriteMarker(f.sys, s.p, have.Prefix, source.Marker{Kind: "redis", Version: ver, Source: "build"}); err != nil {
		t.Fatal(err)
	}
	return have
}
