package detect

import (
	"fmt"
	"strings"
)

// WindowsName is the name people use for an NT version (PLATFORMS.md §1.1,
// after CPython's platform.py tables): "2000", "xp", "xp x64" (5.2 on a
// workstation), "server 2003", "vista", "server 2008", "7",
// "server 2008 r2", "8", "server 2012", "8.1", "server 2012 r2", "10",
// "11" (build 22000 and up), "server 2016" (10.0 below build 17763),
// "server 2019", "server 2022" (20348), "server 2025" (26100). Windows 10
// and 11, and the 10.0 servers, differ only in the build; client and
// server only in the product type. Unknown versions are "nt <major>.<minor>".
func WindowsName(major, minor, build uint32, server bool) string {
	client, srv := windowsNames(major, minor, build)
	if server && srv != "" {
		return srv
	}
	if !server && client != "" {
		return client
	}
	return fmt.Sprintf("nt %d.%d", major, minor)
}

func windowsNames(major, minor, build uint32) (client, server string) {
	switch {
	case major == 4 && minor == 0:
		return "nt 4.0", "nt 4.0 server"
	case major == 5 && minor == 0:
		return "2000", "server 2000"
	case major == 5 && minor == 1:
		return "xp", ""
	case major == 5 && minor == 2:
		return "xp x64", "server 2003"
	case major == 6 && minor == 0:
		return "vista", "server 2008"
	case major == 6 && minor == 1:
		return "7", "server 2008 r2"
	case major == 6 && minor == 2:
		return "8", "server 2012"
	case major == 6 && minor == 3:
		return "8.1", "server 2012 r2"
	case major == 10 && minor == 0:
		return windows10Client(build), windows10Server(build)
	}
	return "", ""
}

func windows10Client(build uint32) string {
	if build >= 22000 {
		return "11"
	}
	return "10"
}

func windows10Server(build uint32) string {
	switch {
	case build >= 26100:
		return "server 2025"
	case build >= 20348:
		return "server 2022"
	case build >= 17763:
		return "server 2019"
	}
	return "server 2016"
}

// WindowsFeatureUpdate is the feature-update label winver shows, from the
// registry values under HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion:
// DisplayVersion ("22H2", Windows 10 20H2 and later), else ReleaseId
// ("1909", Windows 10 1511 to 2004). Older Windows have neither: "".
func WindowsFeatureUpdate(displayVersion, releaseID string) string {
	if v := strings.TrimSpace(displayVersion); v != "" {
		return v
	}
	return strings.TrimSpace(releaseID)
}

// windowsEdition corrects the registry's ProductName, which still says
// "Windows 10 Pro" on Windows 11 (PLATFORMS.md §1.3).
func windowsEdition(productName string, build uint32) string {
	if build >= 22000 && strings.HasPrefix(productName, "Windows 10") {
		return "Windows 11" + strings.TrimPrefix(productName, "Windows 10")
	}
	return productName
}
