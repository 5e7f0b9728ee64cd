package venv

import (
	"context"
	"fmt"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Found is a venv as found on disk, whether or not a recipe names it.
type Found struct {
	Config   Config            // its pyvenv.cfg
	Packages map[string]string // every distribution in the venv itself: normalised name → version
}

// ReadAt reads the venv at path the way Observe does, without a recipe:
// pyvenv.cfg and the METADATA of every installed distribution, spawning
// nothing. ok is false when path holds no pyvenv.cfg (not a venv, or not
// there). windows says which layout to read (Lib\site-packages or
// lib/pythonX.Y/site-packages).
func ReadAt(sys system.System, path string, windows bool) (seen Found, ok bool, err error) {
	j := joiner{windows: windows}
	data, err := sys.ReadFile(j.join(path, "pyvenv.cfg"))
	if err != nil {
		if isNotExist(err) {
			return Found{}, false, nil
		}
		return Found{}, false, fmt.Errorf("read pyvenv.cfg: %w", err)
	}
	seen.Config = ParseConfig(data)
	dists := map[string]*Dist{}
	for _, site := range j.sitePackages(sys, path, minorOf(seen.Config.Version)) {
		readSite(sys, site, j, dists)
	}
	seen.Packages = versions(dists)
	return seen, true, nil
}

// noBase stands for the interpreter when only the recipe's wants are read.
type noBase struct{}

func (noBase) ID() install.ID { return install.ID{} }
func (noBase) Current(context.Context, system.System) (string, string, bool, error) {
	return "", "", false, nil
}

// Wants is what a recipe's venv must hold on a base of version, as
// Observe reckons it: the packages list and the local requirements files
// (read on this machine), markers evaluated for p and version, each name
// with the specifier all its requirements make together; pip with the
// recipe's pin. Requirements without a name (a URL, a path) are left out.
func Wants(key string, spec *recipe.Virtualenv, recipeDir string, p detect.Platform, version string) (map[string]Specifier, error) {
	v, err := New(key, spec, recipeDir, noBase{}, p, Options{})
	if err != nil {
		return nil, err
	}
	w, err := v.wanted(system.NewReal())
	if err != nil {
		return nil, err
	}
	env := newMarkerEnv(p, version, "").withExtra("")
	out := map[string]Specifier{}
	for _, r := range w.reqs {
		if !r.applies(env) || !r.checkable() {
			continue
		}
		s := out[r.Key].and(r.Specifier)
		if c, ok := w.constraints[r.Key]; ok {
			s = s.and(c)
		}
		out[r.Key] = s
	}
	if !v.pip.Empty() {
		out["pip"] = out["pip"].and(v.pip)
	}
	return out, nil
}
