package font

import (
	"errors"
	"maps"
	"slices"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
)

// Kind is the font kind: one resource per recipe font, by family.
var Kind = install.Kind{
	Name:    "font",
	Section: "fonts",
	Build: func(env install.Env, r *recipe.Recipe) ([]install.Resource, error) {
		var out []install.Resource
		var errs []error
		for _, family := range slices.Sorted(maps.Keys(r.Fonts)) {
			res, err := New(family, r.Fonts[family], env.Dir, env.Platform, Options{Log: env.Log, Recipe: env.Recipe})
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, res)
		}
		return out, errors.Join(errs...)
	},
}
