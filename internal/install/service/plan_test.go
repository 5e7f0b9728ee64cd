package service

import (
	"fmt"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

// plan observes and applies against a DryRun over a host that cannot be
// seen, as `envup plan --platform` does, and returns the steps.
func plan(t *testing.T, platform string, spec *recipe.Service) (string, *Service) {
	t.Helper()
	p, err := detect.ParsePlatform(platform)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New("redis", spec, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dry := system.NewDryRun(system.Absent{})
	o, err := s.Observe(t.Context(), dry)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Diff(o)) == 0 {
		t.Fatal("nothing to do on a fresh host")
	}
	if err := s.Apply(t.Context(), dry, o); err != nil {
		t.Fatal(err)
	}
	return dry.String(), s
}

func wantSteps(t *testing.T, steps string, want ...string) {
	t.Helper()
	at := 0
	for _, w := range want {
		i := strings.Index(steps[at:], w)
		if i < 0 {
			t.Errorf("steps lack %q after position %d:\n%s", w, at, steps)
			return
		}
		at += i + len(w)
	}
}

func TestPlanShowsTheBuild(t *testing.T) {
	t.Parallel()
	steps, _ := plan(t, "linux/debian/12/amd64", &recipe.Service{Version: "7.0.15", Port: 6379, Start: true})
	wantSteps(t, steps,
		"download https://download.redis.io/releases/redis-7.0.15.tar.gz (sha256 98066f536350…)",
		"extract <download cache>/98066f5363504b26c34dd20fbcc3c957990d764cdf42576c836fc021073f4341 (into ~/.local/share/envup/build/redis-7.0.15, dropping 1 leading folder(s))",
		"run make -j2 (in ~/.local/share/envup/build/redis-7.0.15)",
		"run make install PREFIX=~/.local/share/envup/redis/7.0.15.envup-stage (in ~/.local/share/envup/build/redis-7.0.15)",
		"check ~/.local/share/envup/redis/7.0.15.envup-stage/bin/redis-server --version says redis 7.0.15",
		"write ~/.local/share/envup/redis/7.0.15.envup-stage/.envup-install.json",
		"rename ~/.local/share/envup/redis/7.0.15.envup-stage (to ~/.local/share/envup/redis/7.0.15)",
		"link ~/.local/bin/redis-server (to ~/.local/share/envup/redis/7.0.15/bin/redis-server)",
		"link ~/.local/bin/redis-cli (to ~/.local/share/envup/redis/7.0.15/bin/redis-cli)",
		"mkdir ~/.local/state/envup/services/redis/data",
		"write ~/.local/state/envup/services/redis/redis.conf (",
		"run ~/.local/share/envup/redis/7.0.15/bin/redis-server ~/.local/state/envup/services/redis/redis.conf",
		"check redis answers PING on 127.0.0.1:6379",
	)
}

func TestPlanForValkeyOnAlpine(t *testing.T) {
	t.Parallel()
	steps, _ := plan(t, "linux/alpine/3.20/amd64", &recipe.Service{Kind: "valkey", Version: "8.1", Port: 6380})
	wantSteps(t, steps,
		"download https://github.com/valkey-io/valkey/archive/refs/tags/8.1.9.tar.gz",
		"run make -j2 MALLOC=libc",
		"run make install PREFIX=~/.local/share/envup/valkey/8.1.9.envup-stage MALLOC=libc",
		"link ~/.local/bin/valkey-server (to ~/.local/share/envup/valkey/8.1.9/bin/valkey-server)",
		"link ~/.local/bin/valkey-cli (to ~/.local/share/envup/valkey/8.1.9/bin/valkey-cli)",
		"write ~/.local/state/envup/services/redis/valkey.conf",
	)
	if strings.Contains(steps, "run ~/.local/share/envup/valkey/8.1.9/bin/valkey-server") {
		t.Errorf("start: false started it:\n%s", steps)
	}
}

func TestPlanForWindowsUsesTheZip(t *testing.T) {
	t.Parallel()
	steps, _ := plan(t, "windows/10.0.19045/amd64", &recipe.Service{Version: "5", Port: 6379})
	wantSteps(t, steps,
		"download https://github.com/tporadowski/redis/releases/download/v5.0.14.1/Redis-x64-5.0.14.1.zip (sha256 018ea18a3587…)",
		"extract <download cache>/018ea18a35876383cbb5f4cd0258adfc87747cf9d619bce1cf73a2e36f720ccf (into ~/AppData/Local/envup/redis/5.0.14.1)",
		"write ~/AppData/Local/envup/redis/5.0.14.1/.envup-install.json",
		"write ~/AppData/Local/envup/bin/redis-server.shim",
		"hardlink ~/AppData/Local/envup/bin/redis-server.exe (to ~/AppData/Local/envup/shim/envup-shim.exe)",
		"write ~/AppData/Local/envup/bin/redis-cli.shim",
		"hardlink ~/AppData/Local/envup/bin/redis-cli.exe (to ~/AppData/Local/envup/shim/envup-shim.exe)",
		"write ~/AppData/Local/envup/services/redis/redis.conf",
	)
	if strings.Contains(steps, "make") {
		t.Errorf("a Windows plan builds:\n%s", steps)
	}
}

// issue 13, bug 8: a normal (not elevated) Windows user's plan of the
// study-hall recipe failed at Redis, since a Windows service needs an
// administrator. Such a user gets the server as their own process, and
// the plan says why; an administrator still gets the service.
func TestPlanForWindowsStartsTheUsersOwnProcessUnlessAdmin(t *testing.T) {
	t.Parallel()
	p, _ := detect.ParsePlatform("windows/10.0.19045/amd64")
	s, err := New("redis", &recipe.Service{Version: "5", Start: true}, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dry := system.NewDryRun(system.Absent{})
	o, err := s.Observe(t.Context(), dry)
	if err != nil {
		t.Fatal(err)
	}
	if why := fmt.Sprint(s.Diff(o)); !strings.Contains(why, "start as your own process (a Windows service needs an administrator") {
		t.Errorf("the plan does not say how it starts: %s", why)
	}
	if err := s.Apply(t.Context(), dry, o); err != nil {
		t.Fatalf("a normal user's plan failed: %v", err)
	}
	wantSteps(t, dry.String(),
		"start ~/AppData/Local/envup/redis/5.0.14.1/redis-server.exe ~/AppData/Local/envup/services/redis/redis.conf",
		"check redis answers PING on 127.0.0.1:6379",
	)
	if strings.Contains(dry.String(), "--service-install") {
		t.Errorf("a normal user's plan installs a Windows service:\n%s", dry)
	}
	p.Admin = true
	s, _ = New("redis", &recipe.Service{Version: "5", Start: true}, p, Options{})
	dry = system.NewDryRun(system.Absent{})
	o, _ = s.Observe(t.Context(), dry)
	if err := s.Apply(t.Context(), dry, o); err != nil {
		t.Fatal(err)
	}
	wantSteps(t, dry.String(),
		"run ~/AppData/Local/envup/redis/5.0.14.1/redis-server.exe --service-install ~/AppData/Local/envup/services/redis/redis.conf --service-name envup-redis",
		"run ~/AppData/Local/envup/redis/5.0.14.1/redis-server.exe --service-start --service-name envup-redis",
		"check redis answers PING on 127.0.0.1:6379",
	)
}

func TestNoSourceSaysWhy(t *testing.T) {
	t.Parallel()
	p, _ := detect.ParsePlatform("windows/10.0.19045/amd64")
	s, err := New("cache", &recipe.Service{Kind: "valkey", Version: "8"}, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Observe(t.Context(), system.NewDryRun(system.Absent{}))
	for _, want := range []string{
		"no source can install valkey 8 here: archive: ",
		"build: envup builds from source on linux and macos only",
		"system: envup does not know winget's name for valkey",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want %q", err, want)
		}
	}
}

func TestPlanForMacOSUsesALaunchAgent(t *testing.T) {
	t.Parallel()
	steps, _ := plan(t, "macos/14/arm64", &recipe.Service{Version: "7.2", Port: 6379, Start: true})
	wantSteps(t, steps,
		"download https://download.redis.io/releases/redis-7.2.15.tar.gz",
		"run make -j2 (in ~/Library/Application Support/envup/build/redis-7.2.15)",
		"run make install 'PREFIX=~/Library/Application Support/envup/redis/7.2.15.envup-stage'",
		"write ~/Library/Application Support/envup/services/redis/redis.conf",
		"write ~/Library/LaunchAgents/io.envup.redis.plist",
		"run launchctl load -w ~/Library/LaunchAgents/io.envup.redis.plist",
		"check redis answers PING on 127.0.0.1:6379",
	)
}

func TestPlanWithSystemdUsesAUserUnit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	installTree(t, f, "7.2.4")
	f.sys.Allow(systemtest.Query, "systemctl", "--user", "is-system-running").Stdout("degraded\n").Exit(1, "")
	s := f.service(&recipe.Service{Version: "7.2", Port: freePort(t), Start: true})
	dry := system.NewDryRun(f.sys)
	o, err := s.Observe(t.Context(), dry)
	if err != nil {
		t.Fatal(err)
	}
	if o.Manager != managerSystemd {
		t.Fatalf("manager = %s", o.Manager)
	}
	if err := s.Apply(t.Context(), dry, o); err != nil {
		t.Fatal(err)
	}
	unit := f.p.Dirs.Config + "/systemd/user/envup-redis.service"
	wantSteps(t, dry.String(),
		"write "+f.p.Dirs.State+"/services/redis/redis.conf",
		"write "+unit,
		"run systemctl --user daemon-reload",
		"run systemctl --user enable --now envup-redis.service",
		"check redis answers PING on 127.0.0.1:",
	)
	data, err := dry.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.ReplaceAll(string(data), f.root, "/ROOT")
	golden(t, "envup-redis.service", []byte(got))
	if conf, _ := dry.ReadFile(f.p.Dirs.State + "/services/redis/redis.conf"); !strings.Contains(string(conf), "\ndaemonize no\n") {
		t.Errorf("a systemd unit's server daemonizes:\n%s", conf)
	}
}

func TestUnitQuoting(t *testing.T) {
	t.Parallel()
	plist := string(unitFor(managerLaunchd, "redis", "r", "io.envup.r", "/Users/a&b/redis-server", "/Users/a&b/App Support/redis.conf"))
	if !strings.Contains(plist, "<string>/Users/a&amp;b/App Support/redis.conf</string>") {
		t.Errorf("plist:\n%s", plist)
	}
	if got := systemdQuote(`/home/a b/50%$x`); got != `"/home/a b/50%%$$x"` {
		t.Errorf("systemdQuote = %s", got)
	}
}
