package detect

import "strings"

// wslVersion tells whether Linux runs inside WSL, and which (PLATFORMS.md
// §4.5): WSL 1's kernel release says "Microsoft" ("4.4.0-19041-Microsoft"),
// WSL 2's stock kernel "microsoft" ("5.15.153.1-microsoft-standard-WSL2").
// A custom WSL 2 kernel says neither; WSL's /init still registers the
// WSLInterop binfmt and sets WSL_DISTRO_NAME, so those mean WSL 2.
func wslVersion(kernel string, interop bool, distroName string) int {
	switch {
	case strings.Contains(kernel, "Microsoft"):
		return 1
	case strings.Contains(kernel, "microsoft"):
		return 2
	case interop || distroName != "":
		return 2
	}
	return 0
}

// containerKind names the container Linux runs in, or is "" (PLATFORMS.md
// §4.6, in systemd's order): the "container" variable that container
// managers give PID 1 (ours, or PID 1's when readable), then Docker's
// /.dockerenv, then Podman's /run/.containerenv.
func containerKind(env, pid1Env string, dockerenv, containerenv bool) string {
	switch {
	case env != "":
		return env
	case pid1Env != "":
		return pid1Env
	case dockerenv:
		return "docker"
	case containerenv:
		return "podman"
	}
	return ""
}

// environValue finds key's value in a NUL-separated environment block
// such as /proc/1/environ.
func environValue(block []byte, key string) string {
	for kv := range strings.SplitSeq(string(block), "\x00") {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			return v
		}
	}
	return ""
}
