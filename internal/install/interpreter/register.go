package interpreter

import (
	"errors"
	"maps"
	"slices"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/source"
	"github.com/envup/envup/internal/recipe"
)

// Kind is the interpreter kind: one resource per recipe interpreter, by key.
var Kind = install.Kind{
	Name:    "interpreter",
	Section: "interpreters",
	Build: func(env install.Env, r *recipe.Recipe) ([]install.Resource, error) {
		var out []install.Resource
		var errs []error
		for _, key := range slices.Sorted(maps.Keys(r.Interpreters)) {
			res, err := New(key, r.Interpreters[key], env.Platform, source.OptionsOf(env))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, res)
		}
		return out, errors.Join(errs...)
	},
}
