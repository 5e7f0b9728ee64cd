package detect

import "testing"

// TestWindowsName follows PLATFORMS.md §1.1 (NT version to name, after
// CPython's platform.py tables) and §1.2 (Windows 10/11 builds): 11 from
// build 22000; the 10.0 servers by build, 2016 below 17763, 2022 at
// 20348, 2025 at 26100; client or server by product type only.
func TestWindowsName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		major, minor, build uint32
		server              bool
		want                string
	}{
		{4, 0, 1381, false, "nt 4.0"},
		{5, 0, 2195, false, "2000"},
		{5, 0, 2195, true, "server 2000"},
		{5, 1, 2600, false, "xp"},
		{5, 2, 3790, false, "xp x64"},
		{5, 2, 3790, true, "server 2003"},
		{6, 0, 6000, false, "vista"},
		{6, 0, 6002, false, "vista"},
		{6, 0, 6001, true, "server 2008"},
		{6, 1, 7600, false, "7"},
		{6, 1, 7601, false, "7"},
		{6, 1, 7601, true, "server 2008 r2"},
		{6, 2, 9200, false, "8"},
		{6, 2, 9200, true, "server 2012"},
		{6, 3, 9600, false, "8.1"},
		{6, 3, 9600, true, "server 2012 r2"},
		{10, 0, 10240, false, "10"},
		{10, 0, 19045, false, "10"},
		{10, 0, 21999, false, "10"},
		{10, 0, 22000, false, "11"},
		{10, 0, 22631, false, "11"},
		{10, 0, 26100, false, "11"},
		{10, 0, 26200, false, "11"},
		{10, 0, 14393, true, "server 2016"},
		{10, 0, 16299, true, "server 2016"}, // a 1709 SAC server: below 17763, as CPython
		{10, 0, 17763, true, "server 2019"},
		{10, 0, 20348, true, "server 2022"},
		{10, 0, 26100, true, "server 2025"},
		{5, 1, 2600, true, "nt 5.1"}, // no XP server
		{6, 4, 9841, false, "nt 6.4"},
		{11, 0, 30000, false, "nt 11.0"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			if got := WindowsName(tt.major, tt.minor, tt.build, tt.server); got != tt.want {
				t.Errorf("WindowsName(%d, %d, %d, %v) = %q, want %q", tt.major, tt.minor, tt.build, tt.server, got, tt.want)
			}
		})
	}
}

// TestWindowsFeatureUpdate: DisplayVersion from 20H2 on, ReleaseId from
// 1511 to 2004, stuck at 2009 once DisplayVersion exists (PLATFORMS.md
// §1.3).
func TestWindowsFeatureUpdate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		display, release, want string
	}{
		{"23H2", "2009", "23H2"},
		{"20H2", "2009", "20H2"},
		{"", "2004", "2004"},
		{"", "1607", "1607"},
		{"", "", ""},
		{" 22H2 ", "", "22H2"},
	}
	for _, tt := range tests {
		if got := WindowsFeatureUpdate(tt.display, tt.release); got != tt.want {
			t.Errorf("WindowsFeatureUpdate(%q, %q) = %q, want %q", tt.display, tt.release, got, tt.want)
		}
	}
}

// TestWindowsEdition: Windows 11's registry ProductName still says
// "Windows 10" (PLATFORMS.md §1.3).
func TestWindowsEdition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		product string
		build   uint32
		want    string
	}{
		{"Windows 10 Pro", 22631, "Windows 11 Pro"},
		{"Windows 10 Enterprise", 19045, "Windows 10 Enterprise"},
		{"Windows Server 2022 Datacenter", 20348, "Windows Server 2022 Datacenter"},
		{"Windows 7 Professional", 7601, "Windows 7 Professional"},
		{"", 22631, ""},
	}
	for _, tt := range tests {
		if got := windowsEdition(tt.product, tt.build); got != tt.want {
			t.Errorf("windowsEdition(%q, %d) = %q, want %q", tt.product, tt.build, got, tt.want)
		}
	}
}
