package detect

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

func TestOrderManagers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		found, native []string
		want          []string
	}{
		{"native first", []string{"apt", "dnf", "brew"}, []string{"dnf", "yum"}, []string{"dnf", "apt", "brew"}},
		{"natives in their order", []string{"dnf", "yum"}, []string{"dnf", "yum"}, []string{"dnf", "yum"}},
		{"yum alone on an old rhel", []string{"yum", "brew"}, []string{"yum"}, []string{"yum", "brew"}},
		{"native not found", []string{"brew"}, []string{"apt"}, []string{"brew"}},
		{"no native", []string{"apk", "brew"}, nil, []string{"apk", "brew"}},
		{"nothing", nil, []string{"apt"}, []string{}},
	}
	for _, tt := range tests {
		if got := orderManagers(tt.found, tt.native); !slices.Equal(got, tt.want) {
			t.Errorf("%s: orderManagers(%q, %q) = %q, want %q", tt.name, tt.found, tt.native, got, tt.want)
		}
	}
}

// TestFindManagers puts fake commands on a temp PATH: found on the PATH
// or at a known path off it, in probe order.
func TestFindManagers(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("fake commands here are shell-less files; Windows looks for .exe")
	}
	dir := t.TempDir()
	off := t.TempDir()
	for _, f := range []string{filepath.Join(dir, "apt-get"), filepath.Join(dir, "yum"), filepath.Join(off, "brew")} {
		if err := os.WriteFile(f, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir) // not parallel: it changes the environment
	probes := []managerProbe{
		{name: "apt", command: "apt-get"},
		{name: "dnf", command: "dnf"},
		{name: "yum", command: "yum"},
		{name: "brew", command: "brew", paths: []string{filepath.Join(off, "nope"), filepath.Join(off, "brew")}},
		{name: "port", command: "port", paths: []string{filepath.Join(off, "port")}},
	}
	got := findManagers(probes)
	if want := []string{"apt", "yum", "brew"}; !slices.Equal(got, want) {
		t.Errorf("findManagers = %q, want %q", got, want)
	}
}

func TestIDLikeFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id, version string
		want        []string
	}{
		{"ubuntu", "22.04", []string{"debian"}},
		{"linuxmint", "21.3", []string{"ubuntu", "debian"}},
		{"rocky", "9.3", []string{"rhel", "centos", "fedora"}},
		{"amzn", "2", []string{"centos", "rhel", "fedora"}},
		{"amzn", "2023", []string{"fedora"}},
		{"debian", "12", nil},
		{"nixos", "24.05", nil},
	}
	for _, tt := range tests {
		if got := idLikeFor(tt.id, tt.version); !slices.Equal(got, tt.want) {
			t.Errorf("idLikeFor(%q, %q) = %q, want %q", tt.id, tt.version, got, tt.want)
		}
	}
}
