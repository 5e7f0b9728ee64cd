package pkgmgr

import (
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
)

// Kind is the packages kind: one resource per manager the recipe's
// package groups use here (Group).
var Kind = install.Kind{
	Name: "packages",
	Part: Part,
	Build: func(env install.Env, r *recipe.Recipe) ([]install.Resource, error) {
		var opts []Option
		if env.Root != "" {
			opts = append(opts, WithRoot(env.Root))
		}
		var out []install.Resource
		for _, p := range Group(r.Packages, env.Platform, opts...) {
			out = append(out, install.Erase(p))
		}
		return out, nil
	},
}
