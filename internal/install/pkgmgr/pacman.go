package pkgmgr

import (
	"context"
	"strings"

	"github.com/envup/envup/internal/system"
)

// pacmanLocal holds one directory per installed package,
// <name>-<pkgver>-<pkgrel> (the version may carry an epoch, "1:2.3-1").
const pacmanLocal = "/var/lib/pacman/local"

// pacmanMissing lists pacman's local database; it spawns nothing.
func pacmanMissing(_ context.Context, sys system.System, h host, names []string) ([]string, error) {
	entries, err := sys.ReadDir(h.path(pacmanLocal))
	if unobservable(err) {
		return names, nil
	}
	if err != nil {
		return nil, err
	}
	installed := map[string]bool{}
	for _, e := range entries {
		if !e.IsDir() {
			continue // ALPM_DB_VERSION
		}
		if name, ok := pacmanName(e.Name()); ok {
			installed[name] = true
		}
	}
	return missingFrom(names, func(n string) bool { return installed[n] }), nil
}

// pacmanName takes the version and release off a local database entry:
// "python-pip-24.0-1" is python-pip. Names may hold dashes, versions not.
func pacmanName(dir string) (string, bool) {
	i := strings.LastIndex(dir, "-")
	if i <= 0 {
		return "", false
	}
	j := strings.LastIndex(dir[:i], "-")
	if j <= 0 {
		return "", false
	}
	return dir[:j], true
}
