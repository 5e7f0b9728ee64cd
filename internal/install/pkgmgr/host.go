package pkgmgr

import (
	"errors"
	"io/fs"
	"os/exec"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// host is what a manager needs to know of the machine it observes.
type host struct {
	p    detect.Platform
	root string // prepended to the Linux databases' paths; "" on a real host
}

// path is a fixed database path (/var/lib/dpkg/status) under the root.
func (h host) path(p string) string {
	if h.root == "" {
		return p
	}
	return strings.TrimRight(h.root, "/") + p
}

// unobservable reports an error that means "nothing is installed here":
// the file or program does not exist, or the host is planned from
// elsewhere (system.Absent).
func unobservable(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, exec.ErrNotFound) ||
		errors.Is(err, system.ErrNotObserved)
}

// baseName strips a tap or bucket ("homebrew/cask/firefox",
// "extras/vscode") to the package's own name.
func baseName(name string) string {
	if i := strings.LastIndex(name, "/"); i >= 0 {
		return name[i+1:]
	}
	return name
}

// missingFrom returns the names not in have, in order.
func missingFrom(names []string, have func(string) bool) []string {
	var missing []string
	for _, n := range names {
		if !have(n) {
			missing = append(missing, n)
		}
	}
	return missing
}
