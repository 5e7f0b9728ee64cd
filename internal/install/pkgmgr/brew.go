package pkgmgr

import (
	"context"
	"path"

	"github.com/envup/envup/internal/system"
)

// brewMissing looks in Homebrew's prefix: a formula is installed when
// Cellar/<name> holds a version (or opt/<name> links to one, which also
// covers aliases such as python3), a cask when Caskroom/<name> exists.
func brewMissing(_ context.Context, sys system.System, h host, names []string) ([]string, error) {
	prefix := brewPrefix(sys, h)
	var missing []string
	for _, n := range names {
		n0 := baseName(n)
		ok, err := brewHas(sys, prefix, n0)
		if err != nil {
			return nil, err
		}
		if !ok {
			missing = append(missing, n)
		}
	}
	return missing, nil
}

func brewHas(sys system.System, prefix, name string) (bool, error) {
	versions, err := sys.ReadDir(path.Join(prefix, "Cellar", name))
	if err == nil && len(versions) > 0 {
		return true, nil
	}
	if err != nil && !unobservable(err) {
		return false, err
	}
	for _, p := range []string{path.Join(prefix, "opt", name), path.Join(prefix, "Caskroom", name)} {
		_, err := sys.Stat(p)
		if err == nil {
			return true, nil
		}
		if !unobservable(err) {
			return false, err
		}
	}
	return false, nil
}

// brewPrefix is where the brew on the PATH lives: the parent of its bin
// folder (/opt/homebrew/bin/brew → /opt/homebrew). Without one on the
// PATH, HOMEBREW_PREFIX, then Homebrew's default for the platform.
func brewPrefix(sys system.System, h host) string {
	if bin, err := sys.LookPath("brew"); err == nil {
		return path.Dir(path.Dir(bin))
	}
	if p := sys.Getenv("HOMEBREW_PREFIX"); p != "" {
		return p
	}
	switch {
	case h.p.OS == "linux":
		return "/home/linuxbrew/.linuxbrew"
	case h.p.Arch == "arm64":
		return "/opt/homebrew"
	default:
		return "/usr/local"
	}
}
