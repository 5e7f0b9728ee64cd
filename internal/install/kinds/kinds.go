// Package kinds is the registry of envup's resource kinds: each kind's
// package registers one install.Kind (its register.go), and All lists
// them in the order a plan applies them. plan.Build iterates it; nothing
// else names the kinds one by one.
package kinds

import (
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/editor"
	"github.com/envup/envup/internal/install/file"
	"github.com/envup/envup/internal/install/font"
	"github.com/envup/envup/internal/install/interpreter"
	"github.com/envup/envup/internal/install/pkgmgr"
	"github.com/envup/envup/internal/install/service"
	"github.com/envup/envup/internal/install/userpath"
	"github.com/envup/envup/internal/install/venv"
)

// All are the kinds in the order a plan applies them: packages first
// (build dependencies), interpreters before the virtualenvs built on
// them, services, the bin dir on the Windows Path once interpreters and
// services have put programs there, then fonts, editors and files.
func All() []install.Kind {
	return []install.Kind{
		pkgmgr.Kind,
		interpreter.Kind,
		venv.Kind,
		service.Kind,
		userpath.Kind,
		font.Kind,
		editor.Kind,
		file.Kind,
	}
}

// Named is the kind whose IDs start with name, and whether there is one.
func Named(name string) (install.Kind, bool) {
	for _, k := range All() {
		if k.Name == name {
			return k, true
		}
	}
	return install.Kind{}, false
}
