package detect

import (
	"os"
	"os/exec"
	"slices"
)

// managerProbe is a package manager and how to find it: its command on
// the PATH, or one of a few files where its installer puts it off the
// PATH.
type managerProbe struct {
	name    string   // as Platform.Managers reports it: "apt"
	command string   // "apt-get"
	paths   []string // full paths tried when the command is not on the PATH
}

// findManagers returns the names of the probes found, in probe order.
func findManagers(probes []managerProbe) []string {
	var found []string
	for _, p := range probes {
		if present(p) {
			found = append(found, p.name)
		}
	}
	return found
}

func present(p managerProbe) bool {
	if _, err := exec.LookPath(p.command); err == nil {
		return true
	}
	for _, path := range p.paths {
		// Lstat, not Stat: winget is an app execution alias, a reparse
		// point that Stat cannot follow.
		if _, err := os.Lstat(path); err == nil {
			return true
		}
	}
	return false
}

// orderManagers puts the native managers first, in their own order, then
// the other managers found, in the order found. A native manager that was
// not found is left out.
func orderManagers(found, native []string) []string {
	out := make([]string, 0, len(found))
	for _, n := range native {
		if slices.Contains(found, n) {
			out = append(out, n)
		}
	}
	for _, f := range found {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}
