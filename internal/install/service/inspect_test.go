package service

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install/source"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Inspect finds a service envup configured, with the recipe's config
// told apart from envup's own lines, and an install no service uses.
func TestInspect(t *testing.T) {
	home := t.TempDir()
	p := detect.Platform{OS: "linux", Home: home, Dirs: detect.DirsFor("linux", home, func(string) string { return "" })}
	t.Setenv("PATH", t.TempDir()) // no redis-server or valkey-server on the PATH
	sys := system.NewReal()

	s, err := New("cache", &recipe.Service{Kind: "redis", Version: "7", Port: 6390, Config: map[string]string{"maxmemory": "64mb", "appendonly": "yes", "dir": "/srv/redis data"}}, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := s.layout()
	if err := sys.WriteFile(l.conf, configFor("redis", "cache", 6390, s.spec.Config, l, "7.0.15", managerProcess, "linux"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"7.0.15", "7.2.4"} {
		if err := source.WriteMarker(sys, p, s.src.Prefix(v), source.Marker{Kind: "redis", Version: v, Source: "build"}); err != nil {
			t.Fatal(err)
		}
	}
	valkey, _ := New("valkey", &recipe.Service{Kind: "valkey"}, p, Options{})
	if err := source.WriteMarker(sys, p, valkey.src.Prefix("8.0.1"), source.Marker{Kind: "valkey", Version: "8.0.1", Source: "build"}); err != nil {
		t.Fatal(err)
	}

	got, err := Inspect(context.Background(), sys, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Seen{
		{
			Name: "cache", Kind: "redis", Version: "7.2.4", Origin: "envup",
			Path:   filepath.Join(p.Dirs.Data, "redis", "7.2.4", "bin", "redis-server"),
			Port:   6390,
			Config: map[string]string{"maxmemory": "64mb", "appendonly": "yes", "dir": "/srv/redis data"},
		},
		{
			Name: "valkey", Kind: "valkey", Version: "8.0.1", Origin: "envup",
			Path: filepath.Join(p.Dirs.Data, "valkey", "8.0.1", "bin", "valkey-server"),
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Inspect:\n got %+v\nwant %+v", got, want)
	}

	// A pidfile naming a process that is not the server: not running.
	if err := os.WriteFile(l.pid, []byte("1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, _ = Inspect(context.Background(), sys, p, nil)
	if got[0].Running {
		t.Errorf("pid 1 taken for the server")
	}
}
