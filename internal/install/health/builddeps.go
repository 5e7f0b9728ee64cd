package health

import (
	"context"
	"errors"
	"io/fs"
	"os/exec"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install/pkgmgr"
	"github.com/envup/envup/internal/system"
)

// The package databases MissingBuildDeps reads, under its root.
const (
	dpkgStatus  = "/var/lib/dpkg/status"
	pacmanLocal = "/var/lib/pacman/local"
	apkDB       = "/lib/apk/db/installed"
)

// MissingBuildDeps says which of BuildDeps' packages are not installed,
// before a CPython build configures, so the plan can name them. root
// ("" for /) is prepended to the package databases' paths; tests use it.
//
//   - apt: reads dpkg's status file; pacman and apk: their local
//     databases; brew: <prefix>/opt/<formula>. None spawns anything.
//   - dnf, yum, zypper: asks `rpm -q` (with --root when root is set),
//     since rpm's database is not a file envup can read.
//   - MacPorts, the Windows managers and hosts without a manager: nil,
//     nil — nothing known to check (macOS builds need the Command Line
//     Tools, which no manager installs).
//
// A database that cannot be read because it is not there (a fresh host,
// or one planned from elsewhere) has nothing installed: every package is
// missing, and that is not an error.
func MissingBuildDeps(ctx context.Context, sys system.System, p detect.Platform, root string) ([]string, error) {
	m, names := BuildDeps(p)
	var installed func(string) bool
	switch m {
	case "apt":
		data, err := sys.ReadFile(under(root, dpkgStatus))
		if err != nil {
			return allIfUnobservable(names, err)
		}
		have := pkgmgr.DpkgInstalled(data)
		installed = func(n string) bool { return have[n] }
	case "dnf", "yum", "zypper":
		return rpmMissing(ctx, sys, root, names)
	case "pacman":
		entries, err := sys.ReadDir(under(root, pacmanLocal))
		if err != nil {
			return allIfUnobservable(names, err)
		}
		have := map[string]bool{}
		for _, e := range entries {
			have[pacmanName(e.Name())] = true
		}
		installed = func(n string) bool { return have[n] }
	case "apk":
		data, err := sys.ReadFile(under(root, apkDB))
		if err != nil {
			return allIfUnobservable(names, err)
		}
		have := map[string]bool{}
		for _, line := range strings.Split(string(data), "\n") {
			if name, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), "P:"); ok {
				have[name] = true
			}
		}
		installed = func(n string) bool { return have[n] }
	case "brew":
		prefix := under(root, brewPrefix(sys, p))
		installed = func(n string) bool {
			_, err := sys.Stat(prefix + "/opt/" + n)
			return err == nil
		}
	default:
		return nil, nil
	}
	var missing []string
	for _, n := range names {
		if !installed(n) {
			missing = append(missing, n)
		}
	}
	return missing, nil
}

// under puts a fixed path under root.
func under(root, path string) string {
	if root == "" {
		return path
	}
	return strings.TrimRight(root, "/") + path
}

// unobservable is an error that means "nothing is installed here": the
// file or program does not exist, or the host is planned from elsewhere.
func unobservable(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, exec.ErrNotFound) ||
		errors.Is(err, system.ErrNotObserved)
}

func allIfUnobservable(names []string, err error) ([]string, error) {
	if unobservable(err) {
		return names, nil
	}
	return nil, err
}

// pacmanName strips the version and release from a pacman database
// folder: "base-devel-1-2" is base-devel, "openssl-3.3.1-1" is openssl.
func pacmanName(dir string) string {
	for range 2 {
		if i := strings.LastIndex(dir, "-"); i > 0 {
			dir = dir[:i]
		}
	}
	return dir
}

// brewPrefix is where Homebrew lives: $HOMEBREW_PREFIX, else its default
// for the host (PLATFORMS.md §3.3).
func brewPrefix(sys system.System, p detect.Platform) string {
	if env := sys.Getenv("HOMEBREW_PREFIX"); env != "" {
		return env
	}
	switch {
	case p.OS == "linux":
		return "/home/linuxbrew/.linuxbrew"
	case p.Arch == "arm64" && !p.Rosetta:
		return "/opt/homebrew"
	}
	return "/usr/local"
}

// rpmMissing asks rpm which names are not installed. `rpm -q` prints
// "package X is not installed" for each and exits non-zero.
func rpmMissing(ctx context.Context, sys system.System, root string, names []string) ([]string, error) {
	argv := []string{"rpm", "-q", "--qf", `%{NAME}\n`}
	if root != "" {
		argv = append(argv, "--root", root)
	}
	res, err := sys.Query(ctx, system.Cmd{Argv: append(argv, names...)})
	if err != nil && unobservable(err) {
		return names, nil
	}
	var exitErr *system.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return nil, err
	}
	notInstalled := map[string]bool{}
	if res != nil {
		for _, line := range strings.Split(string(res.Stdout), "\n") {
			line = strings.TrimSpace(line)
			if name, ok := strings.CutPrefix(line, "package "); ok {
				if name, ok := strings.CutSuffix(name, " is not installed"); ok {
					notInstalled[name] = true
				}
			}
		}
	}
	if err != nil && len(notInstalled) == 0 {
		return nil, err // rpm failed, and not because a package is missing
	}
	var missing []string
	for _, n := range names {
		if notInstalled[n] {
			missing = append(missing, n)
		}
	}
	return missing, nil
}
