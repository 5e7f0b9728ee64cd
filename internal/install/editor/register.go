package editor

import (
	"fmt"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
)

// Kind is the editor kind: one resource per recipe editors key.
var Kind = install.Kind{
	Name: "editor",
	Part: Part,
	Build: func(env install.Env, r *recipe.Recipe) ([]install.Resource, error) {
		return install.Each(r.Editors, func(key string, spec *recipe.Editor) (install.Resource, error) {
			return New(key, spec, env.Platform, venvsNamed(spec, env.Built))
		})
	},
}

// New returns the resource for an editors key, which needs the
// resources needs names (the virtualenvs its settings point at).
func New(key string, spec *recipe.Editor, p detect.Platform, needs []install.ID) (install.Resource, error) {
	n := needing{ids: needs}
	switch {
	case key == "vscode":
		r, err := NewVSCode(spec, p)
		if err == nil {
			r.needing = n
		}
		return install.Erased(r, err)
	case key == "sublime":
		r, err := NewSublime(spec, p)
		if err == nil {
			r.needing = n
		}
		return install.Erased(r, err)
	case key == "vim" || key == "neovim":
		r, err := NewVim(key, spec, p)
		if err == nil {
			r.needing = n
		}
		return install.Erased(r, err)
	case IsJetBrains(key):
		r, err := NewJetBrains(key, spec, p)
		if err == nil {
			r.needing = n
		}
		return install.Erased(r, err)
	}
	return nil, fmt.Errorf("editor %s: envup does not know this editor", key)
}
