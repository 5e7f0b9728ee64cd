package detect

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ParsePlatform reads the short form of a platform that the --platform
// flag takes, and fills in what such a host has by default:
//
//	windows/<major>.<minor>[.<build>]/<arch>   windows/5.1/386, windows/10.0.22631/amd64
//	windows-server/<major>.<minor>[.<build>]/<arch>
//	macos/<version>/<arch>                     macos/10.7/amd64, macos/14/arm64
//	linux/<id>[/<version>]/<arch>              linux/ubuntu/22.04/arm64, linux/arch/amd64
//
// darwin and osx stand for macos; x86_64 and x64 for amd64, aarch64 for
// arm64, x86, i386 and i686 for 386. The result has Name (WindowsName,
// MacName, or "<id> <version>"), Distro with a known ID_LIKE, Libc (musl
// on Alpine, else glibc of unknown version), the package managers such a
// host ships with, Home "~", Dirs under it with "/" separators, and
// Foreign set: it can be planned for, not observed. Windows 5.2 on 386
// and build 20348 exist only as servers and are read as such.
func ParsePlatform(s string) (Platform, error) {
	parts := strings.Split(strings.TrimSpace(s), "/")
	osName := strings.ToLower(parts[0])
	var (
		p   Platform
		err error
	)
	switch osName {
	case "windows", "windows-server":
		p, err = parseWindows(parts, osName == "windows-server")
	case "macos", "darwin", "osx", "macosx":
		p, err = parseMac(parts)
	case "linux":
		p, err = parseLinux(parts)
	case "":
		err = errShortForm
	default:
		err = fmt.Errorf("unknown os %q: want windows, windows-server, macos or linux", parts[0])
	}
	if err != nil {
		return Platform{}, fmt.Errorf("detect: platform %q: %w", s, err)
	}
	p.Foreign = true
	p.Home = "~"
	p.Dirs = DirsFor(p.OS, p.Home, foreignEnv(p))
	return p, nil
}

var errShortForm = errors.New("want os/version/arch, e.g. windows/10.0.22631/amd64, macos/14/arm64 or linux/ubuntu/22.04/amd64")

// serverOnlyBuilds are NT 10.0 builds no client release has:
// Windows Server 2022 (PLATFORMS.md §1.2).
var serverOnlyBuilds = map[uint32]bool{20348: true}

func parseWindows(parts []string, server bool) (Platform, error) {
	if len(parts) != 3 {
		return Platform{}, fmt.Errorf("want %s/<major>.<minor>[.<build>]/<arch>, e.g. windows/5.1/386 or windows/10.0.22631/amd64", parts[0])
	}
	arch, err := parseArch(parts[2])
	if err != nil {
		return Platform{}, err
	}
	major, minor, build, err := parseNTVersion(parts[1])
	if err != nil {
		return Platform{}, err
	}
	if serverOnlyBuilds[build] || major == 5 && minor == 2 && arch == "386" {
		server = true // XP x64 was amd64 only; 5.2 on 386 is Server 2003
	}
	managers := []string{"choco"}
	if major > 10 || major == 10 && build >= 17763 {
		managers = []string{"winget"}
	}
	return Platform{
		OS:       "windows",
		Version:  parts[1],
		Name:     WindowsName(major, minor, build, server),
		Arch:     arch,
		Server:   server,
		Managers: managers,
	}, nil
}

// parseNTVersion reads "5.1", "6.1.7601" or "10.0.22631". NT 10.0 needs
// its build: it alone tells Windows 10 from 11 and one server from
// another.
func parseNTVersion(v string) (major, minor, build uint32, err error) {
	fields := strings.Split(v, ".")
	nums := make([]uint32, len(fields))
	for i, f := range fields {
		n, perr := strconv.ParseUint(f, 10, 32)
		if perr != nil {
			nums = nil
			break
		}
		nums[i] = uint32(n)
	}
	if len(nums) < 2 || len(nums) > 3 {
		return 0, 0, 0, fmt.Errorf("windows version %q: want <major>.<minor>[.<build>], e.g. 5.1 or 10.0.22631", v)
	}
	if len(nums) == 3 {
		build = nums[2]
	}
	if nums[0] == 10 && build == 0 {
		return 0, 0, 0, fmt.Errorf("windows version %q: 10.0 needs its build, e.g. 10.0.19045 (Windows 10 22H2) or 10.0.22631 (Windows 11 23H2)", v)
	}
	return nums[0], nums[1], build, nil
}

func parseMac(parts []string) (Platform, error) {
	if len(parts) != 3 {
		return Platform{}, errors.New("want macos/<version>/<arch>, e.g. macos/10.7/amd64 or macos/14/arm64")
	}
	arch, err := parseArch(parts[2])
	if err != nil {
		return Platform{}, err
	}
	version := parts[1]
	major, minor, ok := macMajorMinor(version)
	switch {
	case !ok:
		return Platform{}, fmt.Errorf("macos version %q: want a number such as 10.7 or 14.5", version)
	case major == 10 && !strings.Contains(version, "."):
		return Platform{}, fmt.Errorf("macos version %q: 10 needs its minor version, e.g. 10.7", version)
	case major == 10 && minor == 16:
		version = "11.0" // Big Sur in compatibility mode
		major, minor = 11, 0
	case major == 10 && minor > 16, major < 10, major > 15 && major < 26:
		return Platform{}, fmt.Errorf("macos version %q: no such release (10.0 to 10.15, then 11 to 15, then 26 on)", version)
	}
	managers := []string{"port"}
	if major > 10 || minor >= 15 {
		managers = []string{"brew"} // Homebrew refuses to run below 10.15
	}
	return Platform{
		OS:       "macos",
		Version:  version,
		Name:     MacName(version),
		Arch:     arch,
		Managers: managers,
	}, nil
}

// distroIDPattern is what os-release(5) allows in ID; versions also take
// upper case and "~+".
var (
	distroIDPattern      = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	distroVersionPattern = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z._~+-]*$`)
)

func parseLinux(parts []string) (Platform, error) {
	var id, version, rawArch string
	switch len(parts) {
	case 4:
		id, version, rawArch = parts[1], parts[2], parts[3]
	case 3:
		id, rawArch = parts[1], parts[2]
	default:
		return Platform{}, errors.New("want linux/<id>/<version>/<arch>, e.g. linux/ubuntu/22.04/arm64, or linux/<id>/<arch> for a rolling release")
	}
	arch, err := parseArch(rawArch)
	if err != nil {
		if len(parts) == 3 {
			return Platform{}, fmt.Errorf("%w; want linux/<id>/<version>/<arch> or linux/<id>/<arch>", err)
		}
		return Platform{}, err
	}
	id = strings.ToLower(id)
	if !distroIDPattern.MatchString(id) {
		return Platform{}, fmt.Errorf("distro id %q: want an os-release ID such as ubuntu, debian, rhel or alpine", id)
	}
	if len(parts) == 4 && !distroVersionPattern.MatchString(version) {
		return Platform{}, fmt.Errorf("distro version %q: want an os-release VERSION_ID such as 22.04 or 9", version)
	}
	d := Distro{ID: id, IDLike: idLikeFor(id, version), Version: version}
	libc := Libc{Name: "glibc"}
	if id == "alpine" || slices.Contains(d.IDLike, "alpine") {
		libc.Name = "musl"
	}
	return Platform{
		OS:       "linux",
		Version:  version,
		Name:     linuxName(d),
		Arch:     arch,
		Libc:     libc,
		Distro:   d,
		Managers: nativeManagers(d),
	}, nil
}

// foreignEnv is the environment DirsFor sees for a foreign host: the
// Windows folders under "~", XP's own layout before Vista.
func foreignEnv(p Platform) func(string) string {
	env := map[string]string{}
	if p.OS == "windows" {
		if major, _, _, err := parseNTVersion(p.Version); err == nil && major < 6 {
			env["APPDATA"] = "~/Application Data"
		} else {
			env["APPDATA"] = "~/AppData/Roaming"
			env["LOCALAPPDATA"] = "~/AppData/Local"
		}
	}
	return func(k string) string { return env[k] }
}

// String is p in the short form ParsePlatform reads: "windows/5.1/386",
// "windows-server/10.0.20348/amd64", "macos/14.5/arm64",
// "linux/ubuntu/22.04/arm64", "linux/arch/amd64".
func (p Platform) String() string {
	switch p.OS {
	case "windows":
		name := "windows"
		if p.Server {
			name = "windows-server"
		}
		return name + "/" + p.Version + "/" + p.Arch
	case "linux":
		id, version := p.Distro.ID, p.Distro.Version
		if id == "" {
			id = "linux"
		}
		if version == "" {
			version = p.Version
		}
		if version == "" {
			return "linux/" + id + "/" + p.Arch
		}
		return "linux/" + id + "/" + version + "/" + p.Arch
	}
	return p.OS + "/" + p.Version + "/" + p.Arch
}
