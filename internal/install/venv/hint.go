package venv

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/envup/envup/internal/system"
)

// unreachable are what pip (its urllib3) says when it cannot reach an
// index at all: no network, no name resolution, a proxy refusing.
var unreachable = []string{
	"Failed to establish a new connection",
	"Temporary failure in name resolution",
	"Name or service not known",
	"Network is unreachable",
	"ProxyError",
}

// pipFailed is the error of a failed pip install, with a hint when pip
// says what an unreachable index makes it say: a connection that failed,
// or no version at all of a requirement ("(from versions: none)"; with
// some versions, the index answered and the requirement is wrong).
func pipFailed(err error) error {
	var exit *system.ExitError
	if !errors.As(err, &exit) || !indexMissing(exit.Stderr) {
		return fmt.Errorf("pip install: %w", err)
	}
	hint := "the package index is not reachable: give the venv find_links: a folder of wheels (`envup wheels` makes one on a connected machine), or --mirror"
	if slices.Contains(exit.Argv, "--no-index") {
		hint = "no wheel for it in find_links (offline, pip looks nowhere else): add it to the folder with `envup wheels` on a connected machine"
	}
	return fmt.Errorf("pip install: %w\n  hint: %s", err, hint)
}

// indexMissing says whether pip's output tells of an index it could not
// reach, or of a requirement with no version to be found at all.
func indexMissing(out string) bool {
	for _, s := range unreachable {
		if strings.Contains(out, s) {
			return true
		}
	}
	return strings.Contains(out, "(from versions: none)") &&
		(strings.Contains(out, "Could not find a version that satisfies") || strings.Contains(out, "No matching distribution"))
}
