package interpreter

import (
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
)

// Kind is the interpreter kind: one resource per recipe interpreter, by key.
var Kind = install.Kind{
	Name: "interpreter",
	Part: Part,
	Build: func(env install.Env, r *recipe.Recipe) ([]install.Resource, error) {
		return install.Each(r.Interpreters, func(key string, spec *recipe.Interpreter) (install.Resource, error) {
			return install.Erased(New(key, spec, env.Platform, env.Options))
		})
	},
}
