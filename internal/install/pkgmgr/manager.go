// Package pkgmgr installs OS packages with the host's package manager:
// apt, dnf, yum, zypper, pacman, apk, brew, port, choco, scoop, winget.
//
// Observe reads each manager's own database where it can (dpkg's status
// file, pacman's and apk's databases, brew's Cellar, choco's and scoop's
// folders) and asks the manager only where it must (rpm, port, winget).
// Apply installs only what is missing, in one non-interactive call per
// manager (winget takes one id per call).
package pkgmgr

import (
	"context"
	"slices"

	"github.com/envup/envup/internal/system"
)

// Privilege is what a manager needs to install.
type Privilege int

// The privileges managers need.
const (
	User     Privilege = iota // brew, scoop, winget: run as the user, never sudo
	Root                      // apt, dnf, ...: sudo when envup is not root
	Elevated                  // choco: an elevated Windows prompt; there is no sudo
)

// Manager describes one package manager: its name in recipes and in
// detect.Platform.Managers, what it needs to install, how envup sees what
// it has installed, and the commands that install.
type Manager struct {
	Name      string
	Privilege Privilege
	// OnePerCall is true when the manager takes one package per install
	// command (winget).
	OnePerCall bool

	// missing returns which of names are not installed. A host that
	// cannot be read (a fresh one, or one planned from elsewhere) has
	// nothing installed: that is not an error.
	missing func(ctx context.Context, sys system.System, h host, names []string) ([]string, error)
	// refresh, when set, says whether the package lists must be fetched
	// before installing (apt on a host that never ran apt-get update).
	refresh func(sys system.System, h host) (bool, error)
	// refreshArgv fetches the package lists.
	refreshArgv []string
	// installArgv is the install command for names, without sudo.
	installArgv func(names []string) []string
	// env is added to the install command's environment; under sudo it
	// goes into argv as VAR=value, since sudo resets the environment.
	env []string
	// elevated says why an Elevated manager's installs need an
	// administrator, as a script for another host says it.
	elevated string
}

// managers is every manager envup can drive, by name.
var managers = map[string]*Manager{
	"apt": {
		Name: "apt", Privilege: Root,
		missing: aptMissing, refresh: aptNeedsUpdate,
		refreshArgv: []string{"apt-get", "update"},
		installArgv: prefixed("apt-get", "install", "-y", "--no-install-recommends"),
		env:         []string{"DEBIAN_FRONTEND=noninteractive"},
	},
	"dnf": {
		Name: "dnf", Privilege: Root, missing: rpmMissing,
		installArgv: prefixed("dnf", "install", "-y"),
	},
	"yum": {
		Name: "yum", Privilege: Root, missing: rpmMissing,
		installArgv: prefixed("yum", "install", "-y"),
	},
	"zypper": {
		Name: "zypper", Privilege: Root, missing: rpmMissing,
		installArgv: prefixed("zypper", "--non-interactive", "install"),
	},
	"pacman": {
		Name: "pacman", Privilege: Root, missing: pacmanMissing,
		installArgv: prefixed("pacman", "-S", "--noconfirm", "--needed"),
	},
	"apk": {
		Name: "apk", Privilege: Root, missing: apkMissing,
		installArgv: prefixed("apk", "add"),
	},
	"brew": {
		Name: "brew", Privilege: User, missing: brewMissing,
		installArgv: prefixed("brew", "install"),
	},
	"port": {
		Name: "port", Privilege: Root, missing: portMissing,
		installArgv: prefixed("port", "-N", "install"),
	},
	"choco": {
		Name: "choco", Privilege: Elevated, missing: chocoMissing,
		installArgv: prefixed("choco", "install", "-y", "--no-progress"),
		elevated:    "Chocolatey installs for all users",
	},
	"scoop": {
		Name: "scoop", Privilege: User, missing: scoopMissing,
		installArgv: prefixed("scoop", "install"),
	},
	"winget": {
		Name: "winget", Privilege: User, OnePerCall: true, missing: wingetMissing,
		installArgv: wingetInstallArgv,
	},
}

// prefixed returns an argv builder: the fixed words, then the names.
func prefixed(words ...string) func([]string) []string {
	return func(names []string) []string {
		return append(append([]string(nil), words...), names...)
	}
}

// Lookup returns the manager called name ("apt"), if envup knows it.
func Lookup(name string) (*Manager, bool) {
	m, ok := managers[name]
	return m, ok
}

// Names lists the managers envup knows, sorted: the keys a recipe's
// package group may use.
func Names() []string {
	names := make([]string, 0, len(managers))
	for n := range managers {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Intent is what running the manager's install commands means beyond
// their argv: an Elevated manager's need an administrator.
func (m *Manager) Intent() system.Intent {
	if m.Privilege != Elevated {
		return system.Intent{}
	}
	return system.Intent{Admin: m.elevated}
}

// Commands returns the commands that install names, in order: a refresh
// of the package lists first when asked, then one install (one per name
// for winget). With admin false a Root manager's commands run under sudo,
// which asks for the password on the terminal; with admin true never.
func (m *Manager) Commands(names []string, refresh, admin bool) []system.Cmd {
	if len(names) == 0 {
		return nil
	}
	sudo := m.Privilege == Root && !admin
	var cmds []system.Cmd
	if refresh && m.refreshArgv != nil {
		argv := append([]string(nil), m.refreshArgv...)
		if sudo {
			argv = append([]string{"sudo"}, argv...)
		}
		cmds = append(cmds, system.Cmd{Argv: argv})
	}
	batches := [][]string{names}
	if m.OnePerCall {
		batches = batches[:0]
		for _, n := range names {
			batches = append(batches, []string{n})
		}
	}
	for _, b := range batches {
		argv := m.installArgv(b)
		if sudo {
			argv = append(append([]string{"sudo"}, m.env...), argv...)
		}
		cmds = append(cmds, system.Cmd{Argv: argv, Env: append([]string(nil), m.env...)})
	}
	return cmds
}
