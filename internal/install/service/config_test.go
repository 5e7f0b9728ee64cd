package service

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s--- want\n%s", name, got, want)
	}
}

func TestConfigGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		kind     string
		key      string
		platform string
		home     string
		spec     recipe.Service
		ver      string
		manager  string
	}{
		{
			name: "redis-linux-process.conf", kind: "redis", key: "redis", platform: "linux/debian/12/amd64", home: "/home/ada",
			spec: recipe.Service{Port: 6379, Config: map[string]string{"maxmemory": "64mb", "appendonly": "yes", "save": "900 1 300 10"}},
			ver:  "7.0.15", manager: managerProcess,
		},
		{
			name: "valkey-linux-systemd.conf", kind: "valkey", key: "cache", platform: "linux/debian/13/amd64", home: "/home/ada",
			spec: recipe.Service{Kind: "valkey", Port: 6390, Config: map[string]string{"Bind": "0.0.0.0", "requirepass": `s3 "cret"`}},
			ver:  "8.1.1", manager: managerSystemd,
		},
		{
			name: "redis-old-linux.conf", kind: "redis", key: "redis", platform: "linux/centos/7/amd64", home: "/home/ada",
			spec: recipe.Service{Port: 6379}, ver: "5.0.14", manager: managerProcess,
		},
		{
			name: "redis-macos-launchd.conf", kind: "redis", key: "redis", platform: "macos/14/arm64", home: "/Users/Ada Lovelace",
			spec: recipe.Service{Port: 6379, Config: map[string]string{"dir": "/Volumes/Fast Disk/redis"}}, ver: "7.2.4", manager: managerLaunchd,
		},
		{
			name: "redis-windows.conf", kind: "redis", key: "redis", platform: "windows/10.0.19045/amd64", home: `C:\Users\Ada Lovelace`,
			spec: recipe.Service{Port: 6379, Config: map[string]string{"maxmemory": "64mb"}}, ver: "5.0.14.1", manager: managerWindows,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := detect.ParsePlatform(tt.platform)
			if err != nil {
				t.Fatal(err)
			}
			p.Home = tt.home
			p.Dirs = detect.DirsFor(p.OS, tt.home, func(string) string { return "" })
			s, err := New(tt.key, &tt.spec, p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := s.config(tt.ver, tt.manager)
			golden(t, tt.name, got)
			// What envup writes, it reads back: the paths it needs.
			if tt.manager != managerWindows {
				if pid := configValue(got, "pidfile"); pid != s.layout().pid {
					t.Errorf("pidfile reads back as %q, want %q", pid, s.layout().pid)
				}
			}
			if e := s.endpoint(got); e.port != tt.spec.Port || e.password != tt.spec.Config["requirepass"] {
				t.Errorf("endpoint = %+v", e)
			}
		})
	}
}

func TestConfigDiffSaysWhichDirectives(t *testing.T) {
	t.Parallel()
	have := []byte("# envup\nport 6379\nmaxmemory 64mb\nappendonly no\nlogfile /x/redis.log\n")
	tests := []struct {
		want, diff string
	}{
		{"# envup\nport 6379\nmaxmemory 128mb\nappendonly no\nlogfile /x/redis.log\n", "config differs: maxmemory 64mb → 128mb"},
		{"# envup\nport 6380\nmaxmemory 64mb\nlogfile /x/redis.log\nsave \"\"\n", "config differs: port 6379 → 6380, appendonly no → (unset), save (unset) → \"\""},
		{"# envup, another comment\nport 6379\nmaxmemory 64mb\nappendonly no\nlogfile /x/redis.log\n", "config differs: edited outside envup"},
		{"a 1\nb 2\nc 3\nd 4\ne 5\n", "config differs: port 6379 → (unset), maxmemory 64mb → (unset), appendonly no → (unset), logfile /x/redis.log → (unset) and 5 more"},
	}
	for _, tt := range tests {
		if got := configDiff(have, []byte(tt.want)); got != tt.diff {
			t.Errorf("configDiff = %q\n            want %q", got, tt.diff)
		}
	}
}

func TestQuoteValue(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]string{
		"64mb":                      "64mb",
		"":                          `""`,
		"900 1 300 10":              `"900 1 300 10"`,
		`C:\envup\redis.log`:        `C:\envup\redis.log`,
		`C:\Users\Ada L\redis.log`:  `"C:\\Users\\Ada L\\redis.log"`,
		`say "hi"`:                  `"say \"hi\""`,
		"it's":                      `"it's"`,
		"/Users/Ada Lovelace/x.pid": `"/Users/Ada Lovelace/x.pid"`,
	} {
		if got := quoteValue(v); got != want {
			t.Errorf("quoteValue(%q) = %s, want %s", v, got, want)
		}
		if got := unquote(quoteValue(v)); got != v {
			t.Errorf("unquote(quoteValue(%q)) = %q", v, got)
		}
	}
}

func TestNewRefusesWhatEnvupOwns(t *testing.T) {
	t.Parallel()
	p, _ := detect.ParsePlatform("linux/debian/12/amd64")
	for cfg, want := range map[string]string{
		"port":      "service redis: config: port: set port: instead",
		"PidFile":   "service redis: config: PidFile: envup keeps the pidfile",
		"daemonize": "service redis: config: daemonize: envup decides",
		"a b":       `service redis: config: "a b" is not a directive name`,
	} {
		_, err := New("redis", &recipe.Service{Version: "7", Config: map[string]string{cfg: "x"}}, p, Options{})
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("config %s: err = %v, want %q", cfg, err, want)
		}
	}
	_, err := New("redis", &recipe.Service{Version: "7", Config: map[string]string{"maxmemory": "1mb\nport 1"}}, p, Options{})
	if err == nil || !strings.Contains(err.Error(), "a value is one line") {
		t.Errorf("a two-line value: err = %v", err)
	}
	_, err = New("cache", &recipe.Service{Kind: "memcached", Version: "1"}, p, Options{})
	if err == nil || !strings.Contains(err.Error(), "envup cannot run memcached") {
		t.Errorf("memcached: err = %v", err)
	}
}
