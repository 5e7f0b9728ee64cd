package service

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/install/source"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// servedFetcher serves downloads from a map of URL to file and fails on
// any other URL, the way an unreachable origin would.
type servedFetcher struct {
	dir   string
	files map[string]string // url → local file
	mu    sync.Mutex
	got   []string
}

func (f *servedFetcher) Get(_ context.Context, url, sha string) (string, error) {
	f.mu.Lock()
	f.got = append(f.got, url)
	f.mu.Unlock()
	src, ok := f.files[url]
	if !ok {
		return "", errors.New(url + ": unreachable")
	}
	if err := fetch.Verified(src, sha); err != nil {
		return "", err
	}
	return src, nil
}

func (f *servedFetcher) Path(sha string) string { return filepath.Join(f.dir, sha) }

func (f *servedFetcher) Extract(_ context.Context, archive, dest string, strip int) error {
	return fetch.Extract(archive, dest, fetch.ExtractOptions{StripComponents: strip})
}

// host is a Real system with its own PATH and fake commands: a command
// whose argv[0] (or argv[0]'s base name) has a handler runs it instead;
// any other command fails the test, as an unexpected argv must. Queries
// and runs are counted, so a test can say that nothing was spawned.
type host struct {
	*system.Real
	t    *testing.T
	path []string // folders LookPath searches
	env  map[string]string

	mu       sync.Mutex
	handlers map[string]func(system.Cmd) (*system.Result, error)
	real     map[string]bool // argv[0] base names that really run
	ran      []string
}

func (h *host) Getenv(k string) string { return h.env[k] }

func (h *host) LookPath(file string) (string, error) {
	for _, dir := range h.path {
		p := filepath.Join(dir, file)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: not on the test PATH", file)
}

func (h *host) Query(ctx context.Context, cmd system.Cmd) (*system.Result, error) {
	return h.exec(ctx, "query", cmd)
}

func (h *host) Run(ctx context.Context, cmd system.Cmd) (*system.Result, error) {
	return h.exec(ctx, "run", cmd)
}

func (h *host) exec(ctx context.Context, verb string, cmd system.Cmd) (*system.Result, error) {
	h.mu.Lock()
	h.ran = append(h.ran, verb+" "+system.Quote(cmd.Argv))
	handler, ok := h.handlers[cmd.Argv[0]]
	if !ok {
		handler, ok = h.handlers[filepath.Base(cmd.Argv[0])]
	}
	runReal := h.real[filepath.Base(cmd.Argv[0])]
	h.mu.Unlock()
	switch {
	case ok:
		return handler(cmd)
	case runReal:
		return h.Real.Run(ctx, cmd)
	}
	h.t.Errorf("unexpected %s %s", verb, system.Quote(cmd.Argv))
	return nil, fmt.Errorf("%s: not expected by the test", system.Quote(cmd.Argv))
}

func (h *host) handle(name string, fn func(system.Cmd) (*system.Result, error)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.handlers[name] = fn
}

// spawned is what ran since the last call.
func (h *host) spawned() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := h.ran
	h.ran = nil
	return out
}

// noSpawn is a System that fails the test on any command: Observe on the
// no-op path must read, never run.
type noSpawn struct {
	system.System
	t *testing.T
}

func (n noSpawn) Query(_ context.Context, cmd system.Cmd) (*system.Result, error) {
	n.t.Errorf("Observe spawned %s", system.Quote(cmd.Argv))
	return nil, errors.New("no spawning here")
}

func (n noSpawn) Run(_ context.Context, cmd system.Cmd) (*system.Result, error) {
	n.t.Errorf("Observe ran %s", system.Quote(cmd.Argv))
	return nil, errors.New("no running here")
}

type fixture struct {
	t       *testing.T
	root    string
	p       detect.Platform
	fetcher *servedFetcher
	sys     *host
	log     bytes.Buffer
	memo    *state.Memo
	cat     *catalog.Catalog
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
	f := &fixture{t: t, root: root, p: p, memo: state.NewMemo(nil),
		fetcher: &servedFetcher{dir: filepath.Join(root, "cache"), files: map[string]string{}}}
	f.sys = &host{Real: system.NewRealWith(f.fetcher), t: t, env: map[string]string{},
		path:     []string{filepath.Join(root, "path")},
		handlers: map[string]func(system.Cmd) (*system.Result, error){},
		real:     map[string]bool{},
	}
	// No user systemd here: the server daemonizes itself.
	f.sys.handle("systemctl", func(system.Cmd) (*system.Result, error) {
		return &system.Result{Stdout: []byte("offline\n"), ExitCode: 1}, &system.ExitError{Argv: []string{"systemctl"}, ExitCode: 1}
	})
	// apt knows no redis unless a test says so.
	f.sys.handle("apt-cache", func(system.Cmd) (*system.Result, error) {
		return &system.Result{Stdout: []byte("redis-server:\n  Installed: (none)\n  Candidate: (none)\n")}, nil
	})
	if err := os.MkdirAll(filepath.Join(root, "path"), 0o755); err != nil {
		t.Fatal(err)
	}
	return f
}

// onPath puts real programs (make, cc) on the fixture's PATH and lets
// them run.
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
		f.sys.real[n] = true
	}
	return true
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
	return again.(*State), nil
}

// tarGz writes a .tar.gz of files (name → content; names ending in / are
// folders) and returns its path and sha256.
func tarGz(t *testing.T, dir, name string, files map[string]string) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for n, content := range files {
		hdr := &tar.Header{Name: n, Mode: 0o755, Size: int64(len(content)), Typeflag: tar.TypeReg}
		if strings.HasSuffix(n, "/") {
			hdr.Typeflag, hdr.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return path, hex.EncodeToString(sum[:])
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
	path, sum := tarGz(f.t, f.t.TempDir(), "redis-"+ver+".tar.gz", map[string]string{
		top:                  "",
		top + "Makefile":     makefile,
		top + "redis-server": standIn("Redis", ver),
		top + "redis-cli":    "#!/bin/sh\necho PONG\n",
	})
	url := "https://download.redis.io/releases/redis-" + ver + ".tar.gz"
	f.fetcher.files[url] = path
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
