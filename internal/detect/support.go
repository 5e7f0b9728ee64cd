package detect

import (
	"debug/pe"
	"fmt"
	"strconv"
	"strings"
)

// Unsupported says why envup itself cannot be relied on to run on p, or
// "" when it can. envup is built with Go 1.26, whose floors are Windows
// 10 (and Server 2016) and macOS 12 Monterey (PLATFORMS.md §2.2). A
// binary may still start below them (Wine posing as Windows 7, an old
// Go runtime check missing): envup then says so at start and points at
// `envup export`, which writes a script such a host runs by itself.
func Unsupported(p Platform) string {
	var floor string
	switch p.OS {
	case "windows":
		if major, _ := leadingInt(p.Version); major >= 10 || p.Version == "" {
			return ""
		}
		floor = "Windows 10"
	case "macos":
		if major, _ := leadingInt(p.Version); major >= 12 || p.Version == "" {
			return ""
		}
		floor = "macOS 12"
	default:
		return ""
	}
	name := p.Name
	if name == "" {
		name = p.Version
	}
	return fmt.Sprintf("envup runs on %s and later; this host is %s %s, where it may fail in ways nobody tested. "+
		"Plan for it from a supported machine and run the script `envup export --platform %s` writes (`envup export --probe` tells its platform exactly)",
		floor, osWord(p.OS), name, p.String())
}

func osWord(os string) string {
	if os == "macos" {
		return "macOS"
	}
	return "Windows"
}

func leadingInt(v string) (int, error) {
	head, _, _ := strings.Cut(v, ".")
	return strconv.Atoi(head)
}

// windowsArch is the machine's architecture as Go names it, from the
// machine type IsWow64Process2 gives (0 when it gave none), else from the
// environment: a 32-bit process under WOW64 sees PROCESSOR_ARCHITECTURE=x86
// and the machine's own in PROCESSOR_ARCHITEW6432. goarch, the running
// binary's, is the last resort. A 386 envup on 64-bit Windows must plan
// for amd64, as any installer the user runs by hand would.
func windowsArch(native uint16, goarch, w6432 string) string {
	switch native {
	case pe.IMAGE_FILE_MACHINE_AMD64:
		return "amd64"
	case pe.IMAGE_FILE_MACHINE_ARM64:
		return "arm64"
	case pe.IMAGE_FILE_MACHINE_I386:
		return "386"
	}
	switch strings.ToUpper(w6432) {
	case "AMD64":
		return "amd64"
	case "ARM64":
		return "arm64"
	}
	return goarch
}
