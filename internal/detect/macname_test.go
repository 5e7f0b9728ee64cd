package detect

import "testing"

// TestMacName follows PLATFORMS.md §3.1.
func TestMacName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		version, want string
	}{
		{"10.0", "cheetah"},
		{"10.1.5", "puma"},
		{"10.2", "jaguar"},
		{"10.3", "panther"},
		{"10.4.11", "tiger"},
		{"10.5", "leopard"},
		{"10.6.8", "snow leopard"},
		{"10.7", "lion"},
		{"10.7.5", "lion"},
		{"10.8.5", "mountain lion"},
		{"10.9", "mavericks"},
		{"10.10", "yosemite"},
		{"10.11.6", "el capitan"},
		{"10.12", "sierra"},
		{"10.13.6", "high sierra"},
		{"10.14", "mojave"},
		{"10.15.7", "catalina"},
		{"10.16", "big sur"},
		{"11.0", "big sur"},
		{"11.7.10", "big sur"},
		{"12", "monterey"},
		{"13.6", "ventura"},
		{"14.0", "sonoma"},
		{"15.4", "sequoia"},
		{"26", "tahoe"},
		{"26.0.1", "tahoe"},
		{"27.0", "macos 27"},
		{"10.17", "macos 10.17"},
		{"", ""},
		{"lion", ""},
		{"1.2.3.4", ""},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			t.Parallel()
			if got := MacName(tt.version); got != tt.want {
				t.Errorf("MacName(%q) = %q, want %q", tt.version, got, tt.want)
			}
		})
	}
}

// TestMacVersionFromDarwin follows Homebrew's rule (PLATFORMS.md §3.1).
func TestMacVersionFromDarwin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kernel, want string
	}{
		{"11.4.2", "10.7"},
		{"19.6.0", "10.15"},
		{"20.6.0", "11"},
		{"21.6.0", "12"},
		{"23.0.0", "14"},
		{"24.1.0", "15"},
		{"25.0.0", "26"},
		{"27.0.0", "27"},
		{"", ""},
		{"4.0", ""},
	}
	for _, tt := range tests {
		if got := macVersionFromDarwin(tt.kernel); got != tt.want {
			t.Errorf("macVersionFromDarwin(%q) = %q, want %q", tt.kernel, got, tt.want)
		}
	}
}
