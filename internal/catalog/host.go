package catalog

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/go-version"

	"github.com/envup/envup/internal/detect"
)

// RunsOn reports whether a can be used on p, by its target and floor
// alone (Unverified is the caller's business): a source tarball on any
// linux or macos host; a prebuilt artifact on its own OS, on an arch p
// runs (see Native), with p's C library, at or above its floor. A host
// version envup does not know passes every floor: `--platform
// linux/debian/12/amd64` does not say which glibc it has. A wheel (pip's)
// runs anywhere a Python does.
func (a Artifact) RunsOn(p detect.Platform) bool {
	if a.Kind == KindWheel {
		return true
	}
	if a.Kind == KindSource {
		return builds(p) && (a.OS == "" || a.OS == p.OS)
	}
	if a.OS != p.OS {
		return false
	}
	if runs, _ := archRuns(p, a.Arch); !runs {
		return false
	}
	if p.OS == "linux" {
		if libcOf(p) != a.Libc {
			return false // a glibc build never on musl, nor the other way
		}
		if a.Libc != "glibc" {
			return true
		}
	}
	return atLeast(hostVersion(p), a.Floor)
}

// Native reports whether p runs a's binaries without translation. False
// for a 386 build on 64-bit Windows (WOW64) and for the x86 and x64
// emulation of Windows on arm64; such artifacts come after native ones.
// Source artifacts are native everywhere they build.
func (a Artifact) Native(p detect.Platform) bool {
	if a.Kind == KindSource || a.Kind == KindWheel {
		return true
	}
	_, native := archRuns(p, a.Arch)
	return native
}

// builds reports whether p builds source tarballs: linux and macos do;
// Windows has no configure && make.
func builds(p detect.Platform) bool {
	return p.OS == "linux" || p.OS == "macos"
}

// archRuns reports whether p runs binaries built for arch, and natively.
// Only Windows runs foreign binaries here: 386 on amd64 (WOW64), and on
// arm64 386 (Windows 10 and 11) and amd64 (Windows 11, build 22000 and
// later) [U: Microsoft's "x64 emulation" is a Windows 11 feature; not in
// PLATFORMS.md]. Rosetta is left out: it may not be installed, and every
// macOS artifact has an arm64 build.
func archRuns(p detect.Platform, arch string) (runs, native bool) {
	if arch == p.Arch {
		return true, true
	}
	if p.OS != "windows" {
		return false, false
	}
	switch {
	case p.Arch == "amd64" && arch == "386":
		return true, false
	case p.Arch == "arm64" && arch == "386":
		return true, false
	case p.Arch == "arm64" && arch == "amd64":
		return windowsBuild(p) >= 22000, false
	}
	return false, false
}

// windowsBuild is the build of "10.0.22631", 0 when p.Version has none.
func windowsBuild(p detect.Platform) int {
	parts := strings.Split(p.Version, ".")
	if len(parts) < 3 {
		return 0
	}
	n, _ := strconv.Atoi(parts[2])
	return n
}

// libcOf is p's C library, glibc unless detect said musl.
func libcOf(p detect.Platform) string {
	if p.Libc.Name == "musl" {
		return "musl"
	}
	return "glibc"
}

// hostVersion is what floors on p's OS compare with: the NT version, the
// macOS product version, the glibc version ("" when unknown).
func hostVersion(p detect.Platform) string {
	if p.OS == "linux" {
		if libcOf(p) != "glibc" {
			return ""
		}
		return p.Libc.Version
	}
	return p.Version
}

// atLeast reports whether have is floor or later. An empty or unreadable
// have, or an empty floor, passes.
func atLeast(have, floor string) bool {
	if floor == "" {
		return true
	}
	h, err := version.NewVersion(have)
	if err != nil {
		return true
	}
	f, err := version.NewVersion(floor)
	if err != nil {
		return true
	}
	return h.GreaterThanOrEqual(f)
}

// meetsFloors reports whether p is at or above the release's own floor
// for p's OS.
func meetsFloors(f Floors, p detect.Platform) bool {
	switch p.OS {
	case "windows":
		return atLeast(p.Version, f.Windows)
	case "macos":
		return atLeast(p.Version, f.MacOS)
	case "linux":
		return libcOf(p) != "glibc" || atLeast(p.Libc.Version, f.Glibc)
	}
	return true
}

// describe names p as error messages do: "windows 7 (6.1)", "windows xp
// (5.1, 386)", "macos lion (10.7)", "centos 7 (glibc 2.17)", "alpine
// 3.19 (musl, arm64)".
func describe(p detect.Platform) string {
	var name string
	var details []string
	switch p.OS {
	case "windows", "macos":
		name = strings.TrimSpace(p.OS + " " + p.Name)
		if v := majorMinor(p.Version); v != "" {
			details = append(details, v)
		}
	case "linux":
		name = p.Name
		if name == "" {
			name = "linux"
		}
		libc := libcOf(p)
		if libc == "glibc" && p.Libc.Version != "" {
			libc += " " + p.Libc.Version
		}
		details = append(details, libc)
	default:
		name = p.OS
	}
	if p.Arch != "" && p.Arch != "amd64" {
		details = append(details, p.Arch)
	}
	if len(details) == 0 {
		return name
	}
	return fmt.Sprintf("%s (%s)", name, strings.Join(details, ", "))
}

// majorMinor shortens "6.1.7601" to "6.1" and "10.7.5" to "10.7".
func majorMinor(v string) string {
	parts := strings.Split(v, ".")
	if len(parts) > 2 {
		parts = parts[:2]
	}
	return strings.Join(parts, ".")
}
