package recipe

import (
	"strconv"
	"strings"

	"github.com/envup/envup/internal/detect"
)

// Names the selectors accept. Aliases map to the canonical name.
var (
	osAliases = map[string]string{
		"linux": "linux", "macos": "macos", "darwin": "macos", "osx": "macos", "windows": "windows",
	}
	osNames     = []string{"linux", "macos", "windows"}
	archAliases = map[string]string{
		"amd64": "amd64", "x86_64": "amd64", "x64": "amd64",
		"arm64": "arm64", "aarch64": "arm64",
		"386": "386", "x86": "386", "i386": "386", "i686": "386",
		"arm": "arm", "ppc64": "ppc64", "ppc64le": "ppc64le", "s390x": "s390x",
		"riscv64": "riscv64", "loong64": "loong64",
		"mips": "mips", "mipsle": "mipsle", "mips64": "mips64", "mips64le": "mips64le",
	}
	archNames   = []string{"amd64", "arm64", "386", "arm", "ppc64", "ppc64le", "s390x", "riscv64", "loong64", "mips", "mipsle", "mips64", "mips64le", "x86_64", "aarch64", "x86"}
	libcAliases = map[string]string{"glibc": "glibc", "gnu": "glibc", "musl": "musl"}
	libcNames   = []string{"glibc", "musl"}
)

// Release names come from package detect, which names hosts: a selector
// accepts exactly the names a detected host can have.
var releaseNames = map[string][]string{
	"windows": windowsNames(),
	"macos":   macosNames(),
}

// windowsNames lists detect.WindowsName for every NT version it knows,
// client and server, and each server name without "server " (detect's
// NameMatches takes "2022" for "server 2022").
func windowsNames() []string {
	versions := []struct{ major, minor, build uint32 }{
		{4, 0, 1381},
		{5, 0, 2195},
		{5, 1, 2600},
		{5, 2, 3790},
		{6, 0, 6002},
		{6, 1, 7601},
		{6, 2, 9200},
		{6, 3, 9600},
		{10, 0, 14393},
		{10, 0, 17763},
		{10, 0, 20348},
		{10, 0, 22000},
		{10, 0, 26100},
	}
	var out []string
	for _, server := range []bool{false, true} {
		for _, v := range versions {
			n := detect.WindowsName(v.major, v.minor, v.build, server)
			out = appendNew(out, n)
			if rest, ok := strings.CutPrefix(n, "server "); ok {
				out = appendNew(out, rest)
			}
		}
	}
	return out
}

// macosNames lists detect.MacName for every macOS release it names.
func macosNames() []string {
	var out []string
	for minor := 0; minor <= 16; minor++ {
		out = appendNew(out, detect.MacName("10."+strconv.Itoa(minor)))
	}
	for major := 11; major <= 40; major++ {
		out = appendNew(out, detect.MacName(strconv.Itoa(major)))
	}
	return out
}

// appendNew appends a real name once: not "", not "macos 27" (a number).
func appendNew(list []string, name string) []string {
	if name == "" || strings.HasPrefix(name, "macos ") {
		return list
	}
	for _, n := range list {
		if n == name {
			return list
		}
	}
	return append(list, name)
}

// knownName tells whether name is a release name of os. Linux names are
// codenames, which are not listed: any word is one.
func knownName(os, name string) bool {
	n := detect.NormalizeName(name)
	if os == "linux" {
		return n != ""
	}
	for _, r := range releaseNames[os] {
		if detect.NormalizeName(r) == n {
			return true
		}
	}
	return false
}

// nameMatches tells whether a selector's name names the host. On Linux
// the name is the codename; elsewhere detect.NameMatches decides, after a
// Platform without a Name (one built by hand) gets one from its version.
func nameMatches(os, name string, p detect.Platform) bool {
	if os == "linux" {
		n := detect.NormalizeName(name)
		return n != "" && n == detect.NormalizeName(p.Distro.Codename)
	}
	if p.Name == "" {
		p.Name = nameFromVersion(os, p.Version, p.Server)
	}
	return detect.NameMatches(p, name)
}

// nameFromVersion is the release name of an OS version.
func nameFromVersion(os, ver string, server bool) string {
	switch os {
	case "macos":
		return detect.MacName(ver)
	case "windows":
		f := strings.Split(ver, ".")
		if len(f) < 2 {
			return ""
		}
		var n [3]uint32
		for i := 0; i < 3 && i < len(f); i++ {
			v, err := strconv.ParseUint(f[i], 10, 32)
			if err != nil {
				return ""
			}
			n[i] = uint32(v)
		}
		return detect.WindowsName(n[0], n[1], n[2], server)
	}
	return ""
}

// nameExamples are the release names a selector's name takes: Windows's
// and macOS's, and two Linux codenames (any codename is one).
func nameExamples() []string {
	out := append(append([]string(nil), releaseNames["windows"]...), releaseNames["macos"]...)
	return append(out, "bookworm", "jammy")
}
