package detect

import (
	"debug/pe"
	"strings"
	"testing"
)

func TestWindowsArchIsTheMachines(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		native        uint16
		goarch, w6432 string
		want          string
	}{
		// issue 13, bug 5: a 386 envup on 64-bit Windows 10 under Wine 10
		// said 386 and planned the i686 Python
		{pe.IMAGE_FILE_MACHINE_AMD64, "386", "AMD64", "amd64"},
		{0, "386", "AMD64", "amd64"}, // no IsWow64Process2 (before 10 1511): the environment
		{0, "386", "ARM64", "arm64"},
		{0, "386", "", "386"}, // 32-bit Windows
		{pe.IMAGE_FILE_MACHINE_ARM64, "amd64", "", "arm64"},
		{pe.IMAGE_FILE_MACHINE_AMD64, "amd64", "", "amd64"},
		{0, "amd64", "", "amd64"},
	} {
		if got := windowsArch(c.native, c.goarch, c.w6432); got != c.want {
			t.Errorf("windowsArch(%#x, %s, %q) = %s, want %s", c.native, c.goarch, c.w6432, got, c.want)
		}
	}
}

func TestUnsupportedHostsAreSaid(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		p    Platform
		want string // "" or a part of the message
	}{
		{Platform{OS: "windows", Version: "6.1.7601", Name: "7", Arch: "amd64"}, "Windows 10 and later; this host is Windows 7"},
		{Platform{OS: "windows", Version: "5.1.2600", Name: "xp", Arch: "386"}, "envup export --platform windows/5.1.2600/386"},
		{Platform{OS: "windows", Version: "6.3.9600", Name: "8.1", Arch: "amd64"}, "this host is Windows 8.1"},
		{Platform{OS: "windows", Version: "10.0.17134", Name: "10", Arch: "amd64"}, ""},
		{Platform{OS: "windows", Version: "10.0.20348", Name: "server 2022", Server: true}, ""},
		{Platform{OS: "macos", Version: "11.7", Name: "big sur"}, "macOS 12 and later; this host is macOS big sur"},
		{Platform{OS: "macos", Version: "14.5"}, ""},
		{Platform{OS: "linux", Version: "3.2"}, ""},
	} {
		got := Unsupported(c.p)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("Unsupported(%s %s) = %q, want %q", c.p.OS, c.p.Version, got, c.want)
		}
	}
}
