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
			return New(key, spec, env.Platform)
		})
	},
}

// New returns the resource for an editors key.
func New(key string, spec *recipe.Editor, p detect.Platform) (install.Resource, error) {
	switch {
	case key == "vscode":
		return install.Erased(NewVSCode(spec, p))
	case key == "sublime":
		return install.Erased(NewSublime(spec, p))
	case key == "vim" || key == "neovim":
		return install.Erased(NewVim(key, spec, p))
	case IsJetBrains(key):
		return install.Erased(NewJetBrains(key, spec, p))
	}
	return nil, fmt.Errorf("editor %s: envup does not know this editor", key)
}
