package service

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

// freePort is a port nothing listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// daemon plays a daemonizing server for the fixture, as envup installs
// of the versions given: started by `redis-server <conf>`, it listens on
// the config's port answering PONG, writes the pidfile and a /proc entry
// naming itself; `redis-cli … shutdown` ends it, as the real server
// removes its pidfile on exit.
type daemon struct {
	t    *testing.T
	f    *fixture
	pid  int
	mu   sync.Mutex
	srv  *respServer
	runs []string
}

func newDaemon(t *testing.T, f *fixture, versions ...string) *daemon {
	d := &daemon{t: t, f: f, pid: 4242}
	for _, v := range versions {
		bin := filepath.Join(f.p.Dirs.Data, "redis", v, "bin")
		f.sys.AllowPrefix(systemtest.Run, filepath.Join(bin, "redis-server")).Func(d.serverCmd)
		f.sys.AllowPrefix(systemtest.Run, filepath.Join(bin, "redis-cli")).Func(d.cliCmd)
	}
	return d
}

func (d *daemon) serverCmd(_ context.Context, cmd system.Cmd) (*system.Result, error) {
	if len(cmd.Argv) != 2 {
		d.t.Errorf("redis-server %q", cmd.Argv[1:])
		return &system.Result{}, nil
	}
	conf, err := os.ReadFile(cmd.Argv[1])
	if err != nil {
		return nil, err
	}
	if configValue(conf, "daemonize") != "yes" {
		d.t.Errorf("started without daemonize yes:\n%s", conf)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pid++
	d.runs = append(d.runs, "start "+configValue(conf, "maxmemory"))
	d.srv = serveRESP(d.t, "127.0.0.1:"+configValue(conf, "port"), nil)
	proc := filepath.Join(d.f.root, "proc", strconv.Itoa(d.pid))
	if err := os.MkdirAll(proc, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(proc, "cmdline"), []byte("redis-server 127.0.0.1:"+configValue(conf, "port")), 0o644); err != nil {
		return nil, err
	}
	return &system.Result{}, os.WriteFile(configValue(conf, "pidfile"), []byte(strconv.Itoa(d.pid)+"\n"), 0o644)
}

func (d *daemon) cliCmd(_ context.Context, cmd system.Cmd) (*system.Result, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if got := strings.Join(cmd.Argv[1:], " "); d.srv == nil || got != "-h 127.0.0.1 -p "+strconv.Itoa(d.srv.port())+" shutdown" {
		d.t.Errorf("redis-cli %s", got)
		return &system.Result{}, nil
	}
	d.runs = append(d.runs, "shutdown")
	d.srv.close()
	d.srv = nil
	_ = os.RemoveAll(filepath.Join(d.f.root, "proc", strconv.Itoa(d.pid)))
	return &system.Result{}, os.Remove(filepath.Join(d.f.p.Dirs.State, "services", "redis", "redis.pid"))
}

func (d *daemon) history() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return strings.Join(d.runs, ", ")
}

func TestStartRestartStop(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	installTree(t, f, "7.2.4")
	d := newDaemon(t, f, "7.2.4")
	port := freePort(t)
	spec := &recipe.Service{Version: "7.2", Port: port, Start: true, Config: map[string]string{"maxmemory": "64mb"}}
	s := f.service(spec)

	o, err := s.Observe(t.Context(), f.sys)
	if err != nil {
		t.Fatal(err)
	}
	subject := "redis on port " + strconv.Itoa(port)
	if changes := s.Diff(o); len(changes) != 4 || changes[3].Subject != subject || changes[3].Why != "not running; start as process" {
		t.Fatalf("changes = %+v", changes)
	}
	st, err := f.apply(s)
	if err != nil {
		t.Fatal(err)
	}
	if st.Running == nil || st.Running.PID != 4243 || st.Manager != managerProcess {
		t.Fatalf("after apply: running %+v, manager %s", st.Running, st.Manager)
	}
	if err := s.Verify(t.Context(), f.sys, st); err != nil {
		t.Errorf("verify: %v", err)
	}

	// Running and as the recipe wants: observing reads files only.
	o, err = s.Observe(t.Context(), f.host())
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Diff(o); len(d) != 0 {
		t.Errorf("diff while running = %+v", d)
	}
	if got := s.Describe(o); !strings.HasSuffix(got, ", running on port "+strconv.Itoa(port)+" (pid 4243, process)") {
		t.Errorf("describe = %q", got)
	}
	status, err := s.Status(t.Context(), f.host())
	if err != nil {
		t.Fatal(err)
	}
	if !status.Running || status.PID != 4243 || !status.Answering || status.Version != "7.2.4" || status.Port != port || status.Manager != managerProcess {
		t.Errorf("status = %+v", status)
	}

	// A config change restarts it.
	spec.Config = map[string]string{"maxmemory": "128mb"}
	s = f.service(spec)
	o, err = s.Observe(t.Context(), f.sys)
	if err != nil {
		t.Fatal(err)
	}
	changes := s.Diff(o)
	if len(changes) != 2 || changes[0].Why != "config differs: maxmemory 64mb → 128mb" ||
		changes[1].Subject != subject || changes[1].Why != "restart: config changed" {
		t.Fatalf("changes = %+v", changes)
	}
	if err := s.Apply(t.Context(), f.sys, o); err != nil {
		t.Fatal(err)
	}
	if got := d.history(); got != "start 64mb, shutdown, start 128mb" {
		t.Errorf("the server saw: %s", got)
	}

	// Stop, then start again as `envup services` does.
	if err := s.Stop(t.Context(), f.sys); err != nil {
		t.Fatal(err)
	}
	if status, _ := s.Status(t.Context(), f.sys); status.Running || status.Answering {
		t.Errorf("after stop: %+v", status)
	}
	if err := s.Stop(t.Context(), f.sys); err != nil {
		t.Errorf("stopping a stopped server: %v", err)
	}
	if err := s.Start(t.Context(), f.sys); err != nil {
		t.Fatal(err)
	}
	if status, _ := s.Status(t.Context(), f.sys); !status.Running || !status.Answering {
		t.Errorf("after start: %+v", status)
	}
	if err := s.Stop(t.Context(), f.sys); err != nil {
		t.Fatal(err)
	}
	if got := d.history(); got != "start 64mb, shutdown, start 128mb, shutdown, start 128mb, shutdown" {
		t.Errorf("the server saw: %s", got)
	}
}

func TestVersionBumpRestartsARunningServer(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	old := installTree(t, f, "7.2.4")
	d := newDaemon(t, f, "7.2.4", "7.2.5")
	port := freePort(t)
	s := f.service(&recipe.Service{Version: "7.2.4", Port: port, Start: true})
	if _, err := f.apply(s); err != nil {
		t.Fatal(err)
	}
	// The recipe moves to 7.2.5, which the catalog builds; here the
	// "build" is an install tree that appears when make install runs.
	f.cat = mustCatalog(t, f.sourceTarball("7.2.5"))
	f.sys.AllowPrefix(systemtest.Run, "make").Func(func(_ context.Context, cmd system.Cmd) (*system.Result, error) {
		if len(cmd.Argv) > 2 && cmd.Argv[1] == "install" {
			stage := strings.TrimPrefix(cmd.Argv[2], "PREFIX=")
			if err := os.MkdirAll(filepath.Join(stage, "bin"), 0o755); err != nil {
				return nil, err
			}
			for _, p := range []string{"redis-server", "redis-cli"} {
				if err := os.WriteFile(filepath.Join(stage, "bin", p), []byte(standIn("Redis", "7.2.5")), 0o755); err != nil {
					return nil, err
				}
			}
		}
		return &system.Result{}, nil
	})
	// make is a fake here; cc need only be found.
	if err := os.WriteFile(filepath.Join(f.root, "path", "make"), nil, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.root, "path", "cc"), nil, 0o755); err != nil {
		t.Fatal(err)
	}
	f.sys.Allow(systemtest.Query, f.staged("7.2.5"), "--version").
		Stdout("Redis server v=7.2.5 sha=00000000:0 malloc=libc bits=64 build=1\n")
	bumped := f.service(&recipe.Service{Version: "7.2.5", Port: port, Start: true, Sources: []string{"build"}})
	o, err := bumped.Observe(t.Context(), f.sys)
	if err != nil {
		t.Fatal(err)
	}
	changes := bumped.Diff(o)
	if last := changes[len(changes)-1]; last.Why != "restart: new version 7.2.5" {
		t.Fatalf("changes = %+v", changes)
	}
	if err := bumped.Apply(t.Context(), f.sys, o); err != nil {
		t.Fatal(err)
	}
	if got := d.history(); got != "start , shutdown, start " {
		t.Errorf("the server saw: %s", got)
	}
	st, err := bumped.Observe(t.Context(), f.sys)
	if err != nil {
		t.Fatal(err)
	}
	if have := st.Have; have == nil || have.Version != "7.2.5" || have.Path == old.Path {
		t.Errorf("after the bump: %+v", have)
	}
	if err := bumped.Stop(t.Context(), f.sys); err != nil {
		t.Fatal(err)
	}
}
