package detect

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// currentVersionKey holds the feature update, UBR and edition
// (PLATFORMS.md §1.3).
const currentVersionKey = `SOFTWARE\Microsoft\Windows NT\CurrentVersion`

// verNTWorkstation is OSVERSIONINFOEX.wProductType for a client; 2 and 3
// are a domain controller and a server.
const verNTWorkstation = 1

// detectOS fills in a Windows host: the true version from RtlGetVersion
// (GetVersionEx lies to unmanifested programs from 8.1 on), the feature
// update and edition from the registry, elevation, package managers.
func detectOS(p *Platform) error {
	p.OS = "windows"
	v := windows.RtlGetVersion()
	p.Server = v.ProductType != verNTWorkstation
	p.Version = fmt.Sprintf("%d.%d.%d", v.MajorVersion, v.MinorVersion, v.BuildNumber)
	p.Name = WindowsName(v.MajorVersion, v.MinorVersion, v.BuildNumber, p.Server)
	p.Kernel = p.Version
	// WOW64_64KEY: a 386 build on 64-bit Windows must read the real key.
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, currentVersionKey, registry.QUERY_VALUE|registry.WOW64_64KEY)
	if err == nil {
		display, _, _ := k.GetStringValue("DisplayVersion")
		release, _, _ := k.GetStringValue("ReleaseId")
		product, _, _ := k.GetStringValue("ProductName")
		if ubr, _, err := k.GetIntegerValue("UBR"); err == nil {
			p.Kernel = fmt.Sprintf("%s.%d", p.Version, ubr)
		}
		k.Close()
		p.Build = WindowsFeatureUpdate(display, release)
		p.Edition = windowsEdition(product, v.BuildNumber)
	}
	var process, native uint16
	if windows.IsWow64Process2(windows.CurrentProcess(), &process, &native) != nil {
		native = 0 // before Windows 10 1511: the environment tells
	}
	p.Arch = windowsArch(native, p.Arch, os.Getenv("PROCESSOR_ARCHITEW6432"))
	p.Admin = windows.GetCurrentProcessToken().IsElevated()
	p.Managers = findManagers(windowsProbes())
	return nil
}

// windowsProbes look on the PATH, then where each installer puts its
// command: winget's app execution alias, Scoop's shims, Chocolatey's bin.
func windowsProbes() []managerProbe {
	under := func(env string, elem ...string) []string {
		dir := os.Getenv(env)
		if dir == "" {
			return nil
		}
		return []string{filepath.Join(append([]string{dir}, elem...)...)}
	}
	return []managerProbe{
		{name: "winget", command: "winget", paths: under("LOCALAPPDATA", "Microsoft", "WindowsApps", "winget.exe")},
		{name: "scoop", command: "scoop", paths: under("USERPROFILE", "scoop", "shims", "scoop.cmd")},
		{name: "choco", command: "choco", paths: under("ProgramData", "chocolatey", "bin", "choco.exe")},
	}
}
