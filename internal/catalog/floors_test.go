package catalog

import (
	"slices"
	"testing"
)

// TestFloorTable checks every row reads: a known tool and OS, a
// constraint, a floor version, and a source saying how sure it is.
func TestFloorTable(t *testing.T) {
	t.Parallel()
	for i, f := range floorTable {
		if !slices.Contains(Tools(), f.tool) {
			t.Errorf("row %d: unknown tool %q", i, f.tool)
		}
		if !slices.Contains([]string{"windows", "macos", "linux"}, f.os) {
			t.Errorf("row %d: unknown os %q", i, f.os)
		}
		if _, err := ParseConstraint(f.versions); err != nil {
			t.Errorf("row %d: %v", i, err)
		}
		if _, err := ParseConstraint(f.floor); err != nil || f.floor == "" {
			t.Errorf("row %d: floor %q", i, f.floor)
		}
		if f.source == "" || f.source[0] != '[' {
			t.Errorf("row %d: source %q does not start with [V], [I] or [U]", i, f.source)
		}
	}
}

// TestFloors checks the floors the loader derived, release and artifact.
func TestFloors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tool, version string
		floors        Floors
		artifact      string // a file name
		floor         string
	}{
		{"python", "2.7.18", Floors{Windows: "5.1"}, "python-2.7.18.msi", "5.1"},
		{"python", "3.4.4", Floors{Windows: "5.1"}, "python-3.4.4.amd64.msi", "5.1"},
		{"python", "3.8.10", Floors{Windows: "6.0"}, "python-3.8.10-amd64.exe", "6.0"},
		{"python", "3.8.10", Floors{Windows: "6.0"}, "Python-3.8.10.tar.xz", ""},
		// PBS: the stricter of CPython's floor and its own.
		{"python", "3.8.20", Floors{Windows: "6.0"}, "cpython-3.8.20+20241002-x86_64-pc-windows-msvc-install_only_stripped.tar.gz", "6.3"},
		{"python", "3.12.14", Floors{Windows: "6.3"}, "cpython-3.12.14+20260814-i686-pc-windows-msvc-install_only_stripped.tar.gz", "6.3"},
		{"python", "3.13.15", Floors{Windows: "10.0"}, "cpython-3.13.15+20260814-x86_64-pc-windows-msvc-install_only_stripped.tar.gz", "10.0"},
		{"python", "3.14.7", Floors{Windows: "10.0"}, "cpython-3.14.7+20260814-x86_64-pc-windows-msvc-install_only_stripped.tar.gz", "10.0"},
		{"python", "3.14.7", Floors{Windows: "10.0"}, "cpython-3.14.7+20260814-aarch64-apple-darwin-install_only_stripped.tar.gz", "10.15"},
		{"python", "3.14.7", Floors{Windows: "10.0"}, "cpython-3.14.7+20260814-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz", "2.17"},
		{"python", "3.14.7", Floors{Windows: "10.0"}, "cpython-3.14.7+20260814-x86_64-unknown-linux-musl-install_only_stripped.tar.gz", ""},
		{"node", "18.20.8", Floors{Windows: "6.3", MacOS: "10.15", Glibc: "2.28"}, "node-v18.20.8-linux-x64.tar.gz", "2.28"},
		{"node", "20.20.2", Floors{Windows: "6.3", MacOS: "10.15", Glibc: "2.28"}, "node-v20.20.2-win-x64.zip", "6.3"},
		{"node", "22.23.2", Floors{Windows: "10.0", MacOS: "11", Glibc: "2.28"}, "node-v22.23.2-darwin-arm64.tar.gz", "11"},
		{"node", "24.19.0", Floors{Windows: "10.0", MacOS: "13.5", Glibc: "2.28"}, "node-v24.19.0-darwin-x64.tar.gz", "13.5"},
		{"redis", "7.2.4", Floors{}, "redis-7.2.4.tar.gz", ""},
		{"redis", "5.0.14.1", Floors{}, "Redis-x64-5.0.14.1.zip", "6.1"},
		{"valkey", "8.1.1", Floors{}, "valkey-8.1.1.tar.gz", ""},
	}
	for _, tt := range tests {
		t.Run(tt.artifact, func(t *testing.T) {
			t.Parallel()
			r := release(t, tt.tool, tt.version)
			if r.Floors != tt.floors {
				t.Errorf("%s %s floors = %+v, want %+v", tt.tool, tt.version, r.Floors, tt.floors)
			}
			i := slices.IndexFunc(r.Artifacts, func(a Artifact) bool { return a.Filename == tt.artifact })
			if i < 0 {
				t.Fatalf("no %s in %s %s", tt.artifact, tt.tool, tt.version)
			}
			if got := r.Artifacts[i].Floor; got != tt.floor {
				t.Errorf("%s floor = %q, want %q", tt.artifact, got, tt.floor)
			}
		})
	}
}

func TestStricter(t *testing.T) {
	t.Parallel()
	tests := []struct{ a, b, want string }{
		{"", "6.3", "6.3"},
		{"6.3", "", "6.3"},
		{"6.0", "6.3", "6.3"},
		{"10.0", "6.3", "10.0"},
		{"10.15", "11", "11"},
		{"13.5", "11", "13.5"},
	}
	for _, tt := range tests {
		if got := stricter(tt.a, tt.b); got != tt.want {
			t.Errorf("stricter(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}
