package service

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

func TestBuildFlagsPerHost(t *testing.T) {
	t.Parallel()
	debian := detect.Platform{OS: "linux", Arch: "amd64", Libc: detect.Libc{Name: "glibc", Version: "2.36"}}
	alpine := detect.Platform{OS: "linux", Arch: "amd64", Libc: detect.Libc{Name: "musl", Version: "1.2.5"}}
	sonoma := detect.Platform{OS: "macos", Arch: "arm64", Version: "14.5"}
	tools := buildHost{Make: true, CC: "cc"}
	withSSL := func(h buildHost, prefix string) buildHost { h.OpenSSL = prefix; return h }
	tests := []struct {
		name string
		p    detect.Platform
		kind string
		ver  string
		h    buildHost
		want []string
	}{
		{"glibc with openssl", debian, "redis", "7.0.15", withSSL(tools, "/usr"), []string{"BUILD_TLS=yes"}},
		{"glibc without openssl", debian, "redis", "7.0.15", tools, nil},
		{"musl with openssl", alpine, "redis", "7.2.4", withSSL(tools, "/usr"), []string{"BUILD_TLS=yes", "MALLOC=libc"}},
		{"musl without openssl", alpine, "valkey", "8.1.1", tools, []string{"MALLOC=libc"}},
		{"macos with brew openssl", sonoma, "redis", "7.2.4", withSSL(tools, "/opt/homebrew/opt/openssl"), []string{"BUILD_TLS=yes", "OPENSSL_PREFIX=/opt/homebrew/opt/openssl"}},
		{"macos without openssl", sonoma, "redis", "7.2.4", tools, nil},
		{"redis 5 has no TLS", debian, "redis", "5.0.14", withSSL(tools, "/usr"), nil},
		{"valkey always has TLS", debian, "valkey", "7.2.5", withSSL(tools, "/usr"), []string{"BUILD_TLS=yes"}},
		{"only gcc", debian, "redis", "7.0.15", buildHost{Make: true, CC: "gcc"}, []string{"CC=gcc"}},
	}
	for _, tt := range tests {
		if got := buildFlags(tt.p, tt.kind, tt.ver, tt.h); !slices.Equal(got, tt.want) {
			t.Errorf("%s: buildFlags = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// headers is a host with nothing on the PATH but some files present.
type headers struct {
	system.Absent
	files map[string]bool
	env   map[string]string
	path  map[string]bool
}

func (h headers) Stat(name string) (fs.FileInfo, error) {
	if h.files[name] {
		return os.Stat(".")
	}
	return h.Absent.Stat(name)
}

func (h headers) LookPath(file string) (string, error) {
	if h.path[file] {
		return "/usr/bin/" + file, nil
	}
	return h.Absent.LookPath(file)
}

func (h headers) Getenv(k string) string { return h.env[k] }

func TestReadBuildHost(t *testing.T) {
	t.Parallel()
	debian := detect.Platform{OS: "linux", Arch: "amd64", Managers: []string{"apt"}}
	intelMac := detect.Platform{OS: "macos", Arch: "amd64"}
	tests := []struct {
		name string
		p    detect.Platform
		sys  headers
		want buildHost
	}{
		{"debian with build-essential and libssl-dev", debian,
			headers{files: map[string]bool{"/usr/include/openssl/ssl.h": true}, path: map[string]bool{"make": true, "cc": true, "gcc": true}},
			buildHost{Make: true, CC: "cc", OpenSSL: "/usr"}},
		{"debian with gcc only", debian,
			headers{path: map[string]bool{"make": true, "gcc": true}}, buildHost{Make: true, CC: "gcc"}},
		{"a bare container", debian, headers{}, buildHost{}},
		{"mac with the command line tools and a moved brew", intelMac,
			headers{files: map[string]bool{"/Library/Developer/CommandLineTools/usr/bin": true, "/opt/brew/opt/openssl/include/openssl/ssl.h": true},
				env: map[string]string{"HOMEBREW_PREFIX": "/opt/brew"}},
			buildHost{Make: true, CC: "cc", OpenSSL: "/opt/brew/opt/openssl"}},
		{"mac without the command line tools", intelMac,
			headers{path: map[string]bool{"make": true, "cc": true}}, buildHost{}},
	}
	for _, tt := range tests {
		if got := readBuildHost(tt.sys, tt.p, ""); got != tt.want {
			t.Errorf("%s: readBuildHost = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestMissingBuildToolsAreNamedThenSystemIsTried(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rel := f.sourceTarball("7.0.15")
	f.cat = mustCatalog(t, rel)
	// No make, no cc on the PATH; apt offers 7.0.15, installs it, and
	// then the server is there.
	f.sys.handle("apt-cache", func(system.Cmd) (*system.Result, error) {
		return &system.Result{Stdout: []byte("redis-server:\n  Installed: (none)\n  Candidate: 5:7.0.15-1~deb12u3\n")}, nil
	})
	server := filepath.Join(f.root, "path", "redis-server")
	f.sys.handle("apt-get", func(cmd system.Cmd) (*system.Result, error) {
		if got := strings.Join(cmd.Argv, " "); got != "apt-get install -y --no-install-recommends redis-server redis-tools" {
			t.Errorf("apt-get argv = %q", got)
		}
		return &system.Result{}, os.WriteFile(server, []byte(standIn("Redis", "7.0.15")), 0o755)
	})
	f.sys.real["redis-server"] = true
	s := f.service(specFor("7.0", false))
	o, err := s.Observe(t.Context(), f.sys)
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Diff(o); len(d) == 0 || !strings.HasPrefix(d[0].Why, "built from source redis-7.0.15.tar.gz; needs build-essential (apt) first (make, a C compiler); without TLS: no libssl-dev (apt) (archive: ") {
		t.Fatalf("diff = %+v", d)
	}
	if err := s.Apply(context.Background(), f.sys, o); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.log.String(), "service/redis: build failed: building redis 7.0.15 needs make and a C compiler, not on the PATH: install build-essential (apt)") ||
		!strings.Contains(f.log.String(), "falling back to from apt (redis-server redis-tools)") {
		t.Errorf("the fallback was not said: %q", f.log.String())
	}
	st, err := s.Observe(t.Context(), f.sys)
	if err != nil {
		t.Fatal(err)
	}
	if st.Have == nil || st.Have.Origin != "system" || st.Have.Path != server || len(s.Diff(st)) != 0 {
		t.Fatalf("after apply: %+v, diff %+v", st.Have, s.Diff(st))
	}
	if len(f.fetcher.got) != 0 {
		t.Errorf("downloaded %v before knowing the build could run", f.fetcher.got)
	}
}
