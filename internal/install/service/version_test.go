package service

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/envup/envup/internal/recipe"
)

func TestParseVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line, server, version string
	}{
		{"Redis server version 2.4.10 (00000000:0)", "redis", "2.4.10"},
		{"Redis server v=2.8.19 sha=00000000:0 malloc=jemalloc-3.6.0 bits=64 build=8e60ef4ba8e8e1b6", "redis", "2.8.19"},
		{"Redis server v=3.0.6 sha=00000000:0 malloc=jemalloc-3.6.0 bits=64 build=7785291a3d2152db", "redis", "3.0.6"},
		{"Redis server v=5.0.7 sha=00000000:0 malloc=jemalloc-5.2.1 bits=64 build=636cde3b5c7a3923", "redis", "5.0.7"},
		{"Redis server v=5.0.14.1 sha=ec77f72d:0 malloc=jemalloc-5.2.1-redis bits=64 build=5627b8177c9289c", "redis", "5.0.14.1"},
		{"Redis server v=6.2.14 sha=00000000:0 malloc=jemalloc-5.1.0 bits=64 build=a5dbb7b2d6d3a8c0", "redis", "6.2.14"},
		{"Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=1", "redis", "7.0.15"},
		{"Redis server v=7.2.4 sha=00000000:0 malloc=libc bits=64 build=ddb4d3e6fd51a6b2", "redis", "7.2.4"},
		{"Redis server v=8.0.0 sha=00000000:1 malloc=jemalloc-5.3.0 bits=64 build=9729964261b8fc0f\n", "redis", "8.0.0"},
		{"Valkey server v=7.2.5 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=1", "valkey", "7.2.5"},
		{"Valkey server v=8.1.1 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=ab1cd23ef", "valkey", "8.1.1"},
		{"WARNING: something first\nRedis server v=7.2.4 sha=0:0 malloc=libc bits=64 build=1", "redis", "7.2.4"},
	}
	for _, tt := range tests {
		server, version, ok := parseVersion(tt.line)
		if !ok || server != tt.server || version != tt.version {
			t.Errorf("parseVersion(%q) = %q, %q, %v; want %q, %q", tt.line, server, version, ok, tt.server, tt.version)
		}
	}
	for _, bad := range []string{"", "garbage", "Valkey server v=unknown", "redis-cli 7.2.4", "KeyDB server v=6.3.4 sha=0"} {
		if server, version, ok := parseVersion(bad); ok {
			t.Errorf("parseVersion(%q) = %q, %q; want refused", bad, server, version)
		}
	}
}

func TestSystemServerVersionIsRemembered(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	runs := filepath.Join(f.root, "runs")
	server := filepath.Join(f.root, "path", "redis-server")
	script := "#!/bin/sh\necho run >> " + runs + "\necho 'Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=1'\n"
	if err := os.WriteFile(server, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	f.standIns(server)
	s := f.service(&recipe.Service{Version: "7.0", Sources: []string{"system"}})
	for range 3 {
		st, err := s.Observe(t.Context(), f.sys)
		if err != nil {
			t.Fatal(err)
		}
		if st.Have == nil || st.Have.Path != server || st.Have.Version != "7.0.15" || st.Have.Origin != "system" {
			t.Fatalf("state = %+v", st.Have)
		}
	}
	if data, _ := os.ReadFile(runs); string(data) != "run\n" {
		t.Errorf("redis-server ran %q; its version should be remembered after the first", data)
	}
	// A newer file is asked again.
	if err := os.WriteFile(server, []byte(script+"# changed\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Observe(t.Context(), f.sys); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(runs); string(data) != "run\nrun\n" {
		t.Errorf("a changed redis-server was not asked again: %q", data)
	}
}
