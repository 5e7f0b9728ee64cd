package service

import (
	"errors"
	"maps"
	"slices"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/source"
	"github.com/envup/envup/internal/recipe"
)

// Kind is the service kind: one resource per recipe service, by key.
var Kind = install.Kind{
	Name:    "service",
	Section: "services",
	Build: func(env install.Env, r *recipe.Recipe) ([]install.Resource, error) {
		var out []install.Resource
		var errs []error
		for _, key := range slices.Sorted(maps.Keys(r.Services)) {
			res, err := New(key, r.Services[key], env.Platform, source.OptionsOf(env))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, res)
		}
		return out, errors.Join(errs...)
	},
}
