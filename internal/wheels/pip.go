package wheels

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/envup/envup/internal/install/venv"
	"github.com/envup/envup/internal/system"
)

// ErrNoPip is the error when neither the virtualenv's own python nor the
// interpreter it is built on runs pip.
var ErrNoPip = errors.New("no python with pip")

// pipPackages are the packages that give a system python its pip, by
// package manager: what to install when no python runs pip.
var pipPackages = map[string]string{
	"apt":    "apt install python3-pip",
	"dnf":    "dnf install python3-pip",
	"yum":    "yum install python3-pip",
	"zypper": "zypper install python3-pip",
	"apk":    "apk add py3-pip",
	"pacman": "pacman -S python-pip",
}

// pipPython is the python pip download runs with: the virtualenv's own
// when it exists and its pip runs (a venv envup made has pip), else the
// interpreter it is built on when `-m pip --version` runs there (a
// Debian python3 has no pip without python3-pip). ran remembers each
// python probed, so a base many venvs share is asked once.
func pipPython(ctx context.Context, sys system.System, v *venv.Venv, base string, managers []string, ran map[string]bool) (string, error) {
	candidates := []string{base}
	if fi, err := sys.Stat(v.Python()); err == nil && !fi.IsDir() {
		candidates = []string{v.Python(), base}
	}
	for _, py := range candidates {
		ok, seen := ran[py]
		if !seen {
			_, err := sys.Query(ctx, system.Cmd{Argv: []string{py, "-m", "pip", "--version"}})
			if ctx.Err() != nil {
				return "", ctx.Err() // interrupted: no answer about pip
			}
			ok = err == nil
			ran[py] = ok
		}
		if ok {
			return py, nil
		}
	}
	return "", fmt.Errorf("%w: %s has none: run envup apply first (the virtualenv gets its own pip), or %s", ErrNoPip, base, pipHint(base, managers))
}

// pipHint says how to give python pip on a host with these package
// managers.
func pipHint(python string, managers []string) string {
	for _, m := range managers {
		if cmd, ok := pipPackages[m]; ok {
			return "install pip for it (" + cmd + ")"
		}
	}
	if slices.Contains(managers, "brew") {
		return "use a python that has pip (brew install python)"
	}
	return "install pip for it (" + python + " -m ensurepip --user)"
}
