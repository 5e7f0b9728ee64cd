package plan

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/editor"
	"github.com/envup/envup/internal/install/file"
	"github.com/envup/envup/internal/install/font"
	"github.com/envup/envup/internal/install/interpreter"
	"github.com/envup/envup/internal/install/pkgmgr"
	"github.com/envup/envup/internal/install/service"
	"github.com/envup/envup/internal/install/source"
	"github.com/envup/envup/internal/install/userpath"
	"github.com/envup/envup/internal/install/venv"
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
	// Interpreter is what the interpreter and service resources share
	// (the source engine's options).
	Interpreter source.Options
	// Mirrors and Offline are --mirror (with ENVUP_MIRROR and the
	// recipe's mirror:) and --offline, for the resources that download
	// outside envup's fetcher (pip).
	Mirrors []string
	Offline bool
}

// Build turns a loaded recipe into resources for p, ordered by phase:
// packages, interpreters, virtualenvs, services, the PATH (Windows),
// fonts, editors, files.
// It is pure: nothing is read from the host.
func Build(r *recipe.Recipe, p detect.Platform, opts Options) (*Plan, error) {
	if opts.Recipe == nil {
		opts.Recipe = system.NewReadOnly(system.NewReal())
	}
	var pkgOpts []pkgmgr.Option
	if opts.Root != "" {
		pkgOpts = append(pkgOpts, pkgmgr.WithRoot(opts.Root))
	}
	pl := &Plan{Checks: r.Checks}
	pl.Resources = append(pl.Resources, pkgmgr.Group(r.Packages, p, pkgOpts...)...)

	var errs []error
	bases := map[string]*interpreter.Interpreter{}
	for _, name := range slices.Sorted(maps.Keys(r.Interpreters)) {
		res, err := interpreter.New(name, r.Interpreters[name], p, opts.Interpreter)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		bases[name] = res
		pl.Resources = append(pl.Resources, res)
	}
	for _, name := range slices.Sorted(maps.Keys(r.Virtualenvs)) {
		spec := r.Virtualenvs[name]
		base, ok := bases[spec.Python]
		if !ok {
			errs = append(errs, fmt.Errorf("virtualenv %s: no interpreter %q on %s", name, spec.Python, p))
			continue
		}
		res, err := venv.New(name, spec, r.Dir, base, p, venv.Options{
			Log: opts.Interpreter.Log, Live: opts.Interpreter.Live, Recipe: opts.Recipe,
			Mirrors: opts.Mirrors, Offline: opts.Offline,
		})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pl.Resources = append(pl.Resources, res)
	}

	for _, name := range slices.Sorted(maps.Keys(r.Services)) {
		res, err := service.New(name, r.Services[name], p, opts.Interpreter)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pl.Resources = append(pl.Resources, res)
	}
	if p.OS == "windows" && !p.Foreign && len(r.Interpreters)+len(r.Services) > 0 {
		// Windows reads a new console's PATH from the registry: the bin
		// dir goes there. Another host's Path is not read, so a plan for
		// one (an export) cannot know what to keep, and leaves it alone.
		pl.Resources = append(pl.Resources, userpath.New(p))
	}
	for _, family := range slices.Sorted(maps.Keys(r.Fonts)) {
		res, err := font.New(family, r.Fonts[family], r.Dir, p, font.Options{Log: opts.Interpreter.Log, Recipe: opts.Recipe})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pl.Resources = append(pl.Resources, res)
	}
	for _, key := range slices.Sorted(maps.Keys(r.Editors)) {
		res, err := newEditor(key, r.Editors[key], p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pl.Resources = append(pl.Resources, res)
	}

	for _, dest := range slices.Sorted(maps.Keys(r.Files)) {
		res, err := file.New(dest, r.Files[dest], r.Dir, r.Vars, p, file.ReadSourcesFrom(opts.Recipe))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pl.Resources = append(pl.Resources, res)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return pl, nil
}

// newEditor picks the resource for an editors key.
func newEditor(key string, spec *recipe.Editor, p detect.Platform) (install.Resource, error) {
	switch {
	case key == "vscode":
		return editor.NewVSCode(spec, p)
	case key == "sublime":
		return editor.NewSublime(spec, p)
	case key == "vim" || key == "neovim":
		return editor.NewVim(key, spec, p)
	case editor.IsJetBrains(key):
		return editor.NewJetBrains(key, spec, p)
	}
	return nil, fmt.Errorf("editor %s: envup does not know this editor", key)
}
