package health

import (
	"slices"

	"github.com/envup/envup/internal/detect"
)

// devPackage is one row of the table: a module a CPython build compiles
// only when the library's headers are there, and the package with those
// headers for each package manager. dnf and yum share a column; "" is a
// module the OS itself provides (macOS's SDK has libffi, zlib, bzip2).
type devPackage struct {
	module                                    string
	apt, rpm, zypper, pacman, apk, brew, port string
}

// devPackages is the one table of which package fixes which missing
// module. Names are each distribution's own: Debian/Ubuntu, Fedora/RHEL,
// openSUSE, Arch (headers ship in the library's package), Alpine,
// Homebrew, MacPorts.
var devPackages = []devPackage{
	{"ssl", "libssl-dev", "openssl-devel", "libopenssl-devel", "openssl", "openssl-dev", "openssl@3", "openssl3"},
	{"sqlite3", "libsqlite3-dev", "sqlite-devel", "sqlite3-devel", "sqlite", "sqlite-dev", "sqlite", "sqlite3"},
	{"ctypes", "libffi-dev", "libffi-devel", "libffi-devel", "libffi", "libffi-dev", "", "libffi"},
	{"zlib", "zlib1g-dev", "zlib-devel", "zlib-devel", "zlib", "zlib-dev", "", "zlib"},
	{"bz2", "libbz2-dev", "bzip2-devel", "libbz2-devel", "bzip2", "bzip2-dev", "", "bzip2"},
	{"lzma", "liblzma-dev", "xz-devel", "xz-devel", "xz", "xz-dev", "xz", "xz"},
}

// buildTools are the compiler and make for each manager. On macOS they
// come with the Command Line Tools, which no package manager installs.
var buildTools = map[string][]string{
	"apt":    {"build-essential"}, // gcc, g++, make, libc6-dev, dpkg-dev
	"dnf":    {"gcc", "make"},
	"yum":    {"gcc", "make"},
	"zypper": {"gcc", "make"},
	"pacman": {"base-devel"},                  // gcc, make, binutils, ...
	"apk":    {"build-base", "linux-headers"}, // gcc, make, musl-dev; CPython needs the kernel headers too
	"brew":   nil,
	"port":   nil,
}

// name returns the row's package for manager, and whether the table has
// a column for that manager at all.
func (d devPackage) name(manager string) (string, bool) {
	switch manager {
	case "apt":
		return d.apt, true
	case "dnf", "yum":
		return d.rpm, true
	case "zypper":
		return d.zypper, true
	case "pacman":
		return d.pacman, true
	case "apk":
		return d.apk, true
	case "brew":
		return d.brew, true
	case "port":
		return d.port, true
	}
	return "", false
}

// hostManager is the first of the host's package managers the table
// knows, or "" (Windows' choco, scoop and winget install no headers).
func hostManager(p detect.Platform) string {
	for _, m := range p.Managers {
		if _, ok := buildTools[m]; ok {
			return m
		}
	}
	return ""
}

// packageFor returns the package that provides module's headers with
// manager, or "".
func packageFor(manager, module string) string {
	for _, d := range devPackages {
		if d.module == module {
			name, _ := d.name(manager)
			return name
		}
	}
	return ""
}

// BuildDeps returns the host's package manager (the first in p.Managers
// that envup knows build packages for) and the packages a CPython build
// needs with it: the compiler and make, then the headers of every module
// the health check imports. With no such manager it returns "", nil.
func BuildDeps(p detect.Platform) (manager string, packages []string) {
	m := hostManager(p)
	if m == "" {
		return "", nil
	}
	packages = append(packages, buildTools[m]...)
	for _, d := range devPackages {
		if name, _ := d.name(m); name != "" && !slices.Contains(packages, name) {
			packages = append(packages, name)
		}
	}
	return m, packages
}
