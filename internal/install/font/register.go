package font

import (
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
)

// Kind is the font kind: one resource per recipe font, by family.
var Kind = install.Kind{
	Name: "font",
	Part: Part,
	Build: func(env install.Env, r *recipe.Recipe) ([]install.Resource, error) {
		return install.Each(r.Fonts, func(family string, spec *recipe.Font) (install.Resource, error) {
			return install.Erased(New(family, spec, env.Dir, env.Platform, env.Options))
		})
	},
}
