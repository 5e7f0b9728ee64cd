package detect

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// systemVersionPlist is where macOS states its version; Homebrew reads it
// rather than fork sw_vers (PLATFORMS.md §3.2).
const systemVersionPlist = "/System/Library/CoreServices/SystemVersion.plist"

// detectOS fills in a macOS host from SystemVersion.plist and sysctl:
// version, build, kernel release, Rosetta, package managers.
func detectOS(p *Platform) error {
	p.OS = "macos"
	data, err := os.ReadFile(systemVersionPlist)
	if err != nil {
		return errRead(systemVersionPlist, err)
	}
	sv, err := ParseSystemVersionPlist(data)
	if err != nil {
		return fmt.Errorf("detect: %s: %w", systemVersionPlist, err)
	}
	p.Kernel, _ = unix.Sysctl("kern.osrelease")
	p.Version = sv.ProductVersion
	if sv.Compat {
		// The file said 10.16; the kernel knows better. kern.osproductversion
		// exists from 10.13.4; the Darwin major works everywhere.
		if v, err := unix.Sysctl("kern.osproductversion"); err == nil && v != "" && v != "10.16" {
			p.Version = v
		} else if v := macVersionFromDarwin(p.Kernel); v != "" {
			p.Version = v
		}
	}
	p.Name = MacName(p.Version)
	p.Edition = sv.ProductName
	p.Build = sv.ProductBuildVersion
	// 1 under Rosetta 2, 0 native; missing (ENOENT) on Intel Macs.
	translated, err := unix.SysctlUint32("sysctl.proc_translated")
	p.Rosetta = err == nil && translated == 1
	p.Admin = os.Geteuid() == 0
	p.Managers = findManagers(macProbes)
	return nil
}

// macProbes are the managers looked for on macOS, preferred first.
var macProbes = []managerProbe{
	{name: "brew", command: "brew", paths: brewPaths},
	{name: "port", command: "port", paths: []string{"/opt/local/bin/port"}},
}
