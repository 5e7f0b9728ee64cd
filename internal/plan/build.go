package plan

import (
	"errors"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/kinds"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Plan is what a recipe asks of one platform: its resources in the order
// they are applied, and the checks run afterwards.
type Plan struct {
	Resources []install.Resource
	Checks    []*recipe.Check
}

// Build turns a loaded recipe into resources for p, kind by kind in the
// registry's order (kinds.All): packages, interpreters, virtualenvs,
// services, the PATH (Windows), fonts, editors, files. Every kind is
// built with one install.Env.
// It is pure: nothing is read from the host.
func Build(r *recipe.Recipe, p detect.Platform, opts install.Options) (*Plan, error) {
	if opts.Recipe == nil {
		opts.Recipe = system.NewReadOnly(system.NewReal())
	}
	env := install.Env{Platform: p, Dir: r.Dir, Options: opts}
	pl := &Plan{Checks: r.Checks}
	var errs []error
	for _, k := range kinds.All() {
		if k.HereOnly && p.Foreign {
			continue // what it keeps cannot be read on another host
		}
		env.Built = pl.Resources
		res, err := k.Build(env, r)
		if err != nil {
			errs = append(errs, err)
		}
		pl.Resources = append(pl.Resources, res...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return pl, nil
}
