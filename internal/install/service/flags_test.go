package service

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
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

// buildHostFacts is a host with only some folders, files and programs.
type buildHostFacts struct {
	dirs  []string
	files []string
	path  []string // programs LookPath finds in /usr/bin
	env   map[string]string
}

// host lays the facts out under a chroot; it runs nothing.
func (h buildHostFacts) host(t *testing.T) *systemtest.System {
	t.Helper()
	sys := systemtest.NewChroot(t)
	for _, dir := range h.dirs {
		if err := os.MkdirAll(sys.Local(dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range h.files {
		if err := os.MkdirAll(filepath.Dir(sys.Local(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(sys.Local(name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, file := range h.path {
		sys.WithPath(file, "/usr/bin/"+file)
	}
	for k, v := range h.env {
		sys.WithEnv(k, v)
	}
	return sys
}

func TestReadBuildHost(t *testing.T) {
	t.Parallel()
	debian := detect.Platform{OS: "linux", Arch: "amd64", Managers: []string{"apt"}}
	intelMac := detect.Platform{OS: "macos", Arch: "amd64"}
	tests := []struct {
		name string
		p    detect.Platform
		h    buildHostFacts
		want buildHost
	}{
		{"debian with build-essential and libssl-dev", debian,
			buildHostFacts{files: []string{"/usr/include/openssl/ssl.h"}, path: []string{"make", "cc", "gcc"}},
			buildHost{Make: true, CC: "cc", OpenSSL: "/usr"}},
		{"debian with gcc only", debian,
			buildHostFacts{path: []string{"make", "gcc"}}, buildHost{Make: true, CC: "gcc"}},
		{"a bare container", debian, buildHostFacts{}, buildHost{}},
		{"mac with the command line tools and a moved brew", intelMac,
			buildHostFacts{dirs: []string{"/Library/Developer/CommandLineTools/usr/bin"}, files: []string{"/opt/brew/opt/openssl/include/openssl/ssl.h"},
				env: map[string]string{"HOMEBREW_PREFIX": "/opt/brew"}},
			buildHost{Make: true, CC: "cc", OpenSSL: "/opt/brew/opt/openssl"}},
		{"mac without the command line tools", intelMac,
			buildHostFacts{path: []string{"make", "cc"}}, buildHost{}},
	}
	for _, tt := range tests {
		if got := readBuildHost(tt.h.host(t), tt.p, ""); got != tt.want {
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
	f.sys.Allow(systemtest.Query, "apt-cache", "policy", "redis-server").
		Stdout("redis-server:\n  Installed: (none)\n  Candidate: 5:7.0.15-1~deb12u3\n")
	server := filepath.Join(f.root, "path", "redis-server")
	f.sys.Expect(systemtest.Run, "apt-get", "install", "-y", "--no-install-recommends", "redis-server", "redis-tools").
		Func(func(context.Context, system.Cmd) (*system.Result, error) {
			return &system.Result{}, os.WriteFile(server, []byte(standIn("Redis", "7.0.15")), 0o755)
		})
	f.standIns(server)
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
	if got := f.sys.Log(systemtest.Download); len(got) != 0 {
		t.Errorf("downloaded %v before knowing the build could run", got)
	}
}
