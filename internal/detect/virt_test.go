package detect

import "testing"

// TestWSLVersion uses kernel releases quoted in PLATFORMS.md §4.5.
func TestWSLVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, kernel string
		interop      bool
		distro       string
		want         int
	}{
		{"wsl1", "4.4.0-19041-Microsoft", true, "Ubuntu", 1},
		{"wsl2", "5.15.153.1-microsoft-standard-WSL2", true, "Ubuntu", 2},
		{"wsl2 old kernel", "4.19.104-microsoft-standard", false, "", 2},
		{"wsl2 custom kernel", "6.6.30-custom", true, "", 2},
		{"wsl2 custom kernel, env only", "6.6.30-custom", false, "Debian", 2},
		{"plain linux", "6.1.0-18-amd64", false, "", 0},
		{"no kernel read", "", false, "", 0},
	}
	for _, tt := range tests {
		if got := wslVersion(tt.kernel, tt.interop, tt.distro); got != tt.want {
			t.Errorf("%s: wslVersion(%q, %v, %q) = %d, want %d", tt.name, tt.kernel, tt.interop, tt.distro, got, tt.want)
		}
	}
}

// TestContainerKind follows systemd's order (PLATFORMS.md §4.6).
func TestContainerKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, env, pid1      string
		docker, containerenv bool
		want                 string
	}{
		{"env wins", "lxc", "", true, false, "lxc"},
		{"pid 1 env", "", "systemd-nspawn", false, false, "systemd-nspawn"},
		{"docker", "", "", true, false, "docker"},
		{"podman", "", "", false, true, "podman"},
		{"docker file before podman file", "", "", true, true, "docker"},
		{"none", "", "", false, false, ""},
	}
	for _, tt := range tests {
		if got := containerKind(tt.env, tt.pid1, tt.docker, tt.containerenv); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestEnvironValue(t *testing.T) {
	t.Parallel()
	block := []byte("PATH=/usr/bin\x00container=podman\x00HOME=/root\x00")
	if got := environValue(block, "container"); got != "podman" {
		t.Errorf("container = %q, want podman", got)
	}
	if got := environValue(block, "TERM"); got != "" {
		t.Errorf("TERM = %q, want empty", got)
	}
	if got := environValue(nil, "container"); got != "" {
		t.Errorf("empty block gave %q", got)
	}
}
