package detect

import (
	"errors"
	"os"
	"strings"
)

// detectOS fills in a Linux host from files alone: the distribution
// (os-release and its fallbacks), kernel release, C library, WSL,
// container and package managers.
func detectOS(p *Platform) error {
	p.OS = "linux"
	d, err := LinuxDistro("/")
	switch {
	case errors.Is(err, ErrNoDistro):
		d = Distro{ID: "linux"} // os-release(5)'s default ID
	case err != nil && d.ID == "":
		return err
	}
	// Otherwise err, if any, is a malformed line in os-release: envup
	// goes by what the other lines say rather than refuse to start.
	p.Distro = d
	p.Version = d.Version
	p.Name = linuxName(d)
	p.Edition = d.Pretty
	p.Kernel = readTrimmed("/proc/sys/kernel/osrelease")
	p.Libc = hostLibc()
	p.WSL = wslVersion(p.Kernel, exists("/proc/sys/fs/binfmt_misc/WSLInterop"), os.Getenv("WSL_DISTRO_NAME"))
	pid1, _ := os.ReadFile("/proc/1/environ") // readable by root only
	p.Container = containerKind(os.Getenv("container"), environValue(pid1, "container"),
		exists("/.dockerenv"), exists("/run/.containerenv"))
	p.Admin = os.Geteuid() == 0
	p.Managers = orderManagers(findManagers(linuxProbes), nativeManagers(d))
	return nil
}

func readTrimmed(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// linuxProbes are the managers looked for on Linux, in the order they are
// listed when none is the distribution's own.
var linuxProbes = []managerProbe{
	{name: "apt", command: "apt-get"},
	{name: "dnf", command: "dnf"},
	{name: "yum", command: "yum"},
	{name: "zypper", command: "zypper"},
	{name: "pacman", command: "pacman"},
	{name: "apk", command: "apk"},
	{name: "brew", command: "brew", paths: brewPaths},
}
