package file

import (
	"errors"
	"maps"
	"slices"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
)

// Kind is the file kind: one resource per recipe files entry, by destination.
var Kind = install.Kind{
	Name: "file",
	Build: func(env install.Env, r *recipe.Recipe) ([]install.Resource, error) {
		var out []install.Resource
		var errs []error
		for _, dest := range slices.Sorted(maps.Keys(r.Files)) {
			res, err := New(dest, r.Files[dest], env.Dir, r.Vars, env.Platform, ReadSourcesFrom(env.Recipe))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, res)
		}
		return out, errors.Join(errs...)
	},
}
