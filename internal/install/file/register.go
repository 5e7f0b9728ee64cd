package file

import (
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
)

// Kind is the file kind: one resource per recipe files entry, by destination.
var Kind = install.Kind{
	Name: "file",
	Build: func(env install.Env, r *recipe.Recipe) ([]install.Resource, error) {
		return install.Each(r.Files, func(dest string, spec *recipe.File) (install.Resource, error) {
			return install.Erased(New(dest, spec, env.Dir, r.Vars, env.Platform, ReadSourcesFrom(env.Recipe)))
		})
	},
}
