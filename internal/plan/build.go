package plan

import (
	"errors"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/kinds"
	"github.com/envup/envup/internal/install/source"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Plan is what a recipe asks of one platform: its resources in the order
// they are applied, and the checks run afterwards.
type Plan struct {
	Resources []install.Resource
	Checks    []*recipe.Check
}

// Options are what Build needs beyond the recipe and the platform.
type Options struct {
	// Recipe reads the recipe's own files (a files: source). It is this
	// machine even when planning for another platform. Nil: the real one.
	Recipe system.System
	// Root, when set, is where package databases are read from instead
	// of / (ENVUP_ROOT: tests with fake package managers, chroots).
	Root string
	// Interpreter is the source engine's options (catalog, memo, log,
	// launcher...): Build gives them to every kind through install.Env.
	Interpreter source.Options
	// Mirrors and Offline are --mirror (with ENVUP_MIRROR and the
	// recipe's mirror:) and --offline, for the resources that download
	// outside envup's fetcher (pip).
	Mirrors []string
	Offline bool
}

// Build turns a loaded recipe into resources for p, kind by kind in the
// registry's order (kinds.All): packages, interpreters, virtualenvs,
// services, the PATH (Windows), fonts, editors, files. Every kind is
// built with one install.Env.
// It is pure: nothing is read from the host.
func Build(r *recipe.Recipe, p detect.Platform, opts Options) (*Plan, error) {
	env := opts.env(r, p)
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

// env is the one install.Env every kind is built with.
func (opts Options) env(r *recipe.Recipe, p detect.Platform) install.Env {
	if opts.Recipe == nil {
		opts.Recipe = system.NewReadOnly(system.NewReal())
	}
	in := opts.Interpreter
	in.Root = opts.Root
	return install.Env{Platform: p, Dir: r.Dir, Recipe: opts.Recipe, Options: in, Mirrors: opts.Mirrors, Offline: opts.Offline}
}
