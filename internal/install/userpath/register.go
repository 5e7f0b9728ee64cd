package userpath

import (
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
)

// Kind is the path kind: the bin dir on the user's Path (path/bin), on a
// Windows host that is this machine, when the recipe has interpreters or
// services (their programs are in the bin dir). Windows reads a new
// console's PATH from the registry; another host's Path is not read, so a
// plan for one (an export) cannot know what to keep, and leaves it alone.
var Kind = install.Kind{
	Name:     "path",
	HereOnly: true,
	Build: func(env install.Env, r *recipe.Recipe) ([]install.Resource, error) {
		p := env.Platform
		if p.OS != "windows" || len(r.Interpreters)+len(r.Services) == 0 {
			return nil, nil
		}
		return []install.Resource{install.Erase(New(p))}, nil
	},
}
