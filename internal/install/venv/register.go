package venv

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/interpreter"
	"github.com/envup/envup/internal/recipe"
)

// Kind is the virtualenv kind: one resource per recipe virtualenv, on the
// interpreter resource the interpreter kind built for its python.
var Kind = install.Kind{
	Name: "virtualenv",
	Part: Part,
	Build: func(env install.Env, r *recipe.Recipe) ([]install.Resource, error) {
		opts := env.Options
		var out []install.Resource
		var errs []error
		for _, key := range slices.Sorted(maps.Keys(r.Virtualenvs)) {
			spec := r.Virtualenvs[key]
			base, ok := install.As[Base](env.Find(install.ID{Kind: interpreter.Kind.Name, Name: spec.Python}))
			if !ok {
				errs = append(errs, fmt.Errorf("virtualenv %s: no interpreter %q on %s", key, spec.Python, env.Platform))
				continue
			}
			res, err := New(key, spec, env.Dir, base, env.Platform, opts)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, install.Erase(res))
		}
		return out, errors.Join(errs...)
	},
}
