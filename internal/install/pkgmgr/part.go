package pkgmgr

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Installed is the OS packages a machine has on purpose: manager → name
// → version.
type Installed = map[string]map[string]string

// Part records the packages the user installed on purpose (Manual),
// read from the same databases a Packages resource observes.
var Part = install.Record[Installed]("packages", func() Installed { return Installed{} }, part{})

type part struct{}

func (part) Inspect(ctx context.Context, sys system.System, look install.Look) (Installed, error) {
	var opts []Option
	if look.Root != "" {
		opts = append(opts, WithRoot(look.Root))
	}
	manual, notRead, err := Manual(ctx, sys, look.Platform, opts...)
	errs := []error{err}
	for _, why := range notRead {
		errs = append(errs, errors.New(why))
	}
	return manual, errors.Join(errs...)
}

func (part) Count(seen Installed) int {
	n := 0
	for _, pkgs := range seen {
		n += len(pkgs)
	}
	return n
}

func (part) Tilde(Installed, detect.Path) {}

func (part) Facts(seen Installed, fs install.Facts) {
	for mgr, pkgs := range seen {
		k := "packages/" + install.Seg(mgr)
		fs.Group(k, install.Plural(len(pkgs), "package"))
		for name, ver := range pkgs {
			fs.Put(k+"/"+install.Seg(name), ver)
		}
	}
}

// Wants are the names of each group for the first of p's managers it
// lists, as a Packages resource installs them: any version will do.
func (part) Wants(r *recipe.Recipe, p detect.Platform, fs install.Facts) error {
	for _, group := range slices.Sorted(maps.Keys(r.Packages)) {
		g := r.Packages[group]
		for _, mgr := range p.Managers {
			names, ok := g.Managers[mgr]
			if !ok {
				continue
			}
			k := "packages/" + install.Seg(mgr)
			if fs[k] == nil {
				fs.Group(k, "")
			}
			for _, n := range names {
				f := fs.Put(k+"/"+install.Seg(n), "")
				f.Show = "installed"
				f.Match = func(string) bool { return true }
			}
			break
		}
	}
	return nil
}

// Words: "apt packages", "apt hello".
func (part) Words(path []string) (string, string, string) {
	if len(path) == 2 {
		return "", path[1] + " packages", ""
	}
	return path[1], strings.Join(path[2:], "/"), " "
}

// Capture writes the packages as one group, "captured", when asked to.
func (part) Capture(seen Installed, c *install.Captured) {
	if !c.Packages || len(seen) == 0 {
		return
	}
	g := &recipe.PackageGroup{Managers: map[string][]string{}}
	for mgr, pkgs := range seen {
		g.Managers[mgr] = slices.Sorted(maps.Keys(pkgs))
	}
	c.Recipe.Packages = map[string]*recipe.PackageGroup{"captured": g}
}
