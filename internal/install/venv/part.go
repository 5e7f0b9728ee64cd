package venv

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/interpreter"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Seen is one Python virtual environment and what it holds, as a
// snapshot records it.
type Seen struct {
	Name               string            `json:"name"` // the recipe's key when envup made it, else the folder's name
	Path               string            `json:"path"`
	Python             string            `json:"python"`         // the base's version, from pyvenv.cfg
	Home               string            `json:"home,omitempty"` // the base's folder
	Tool               string            `json:"tool,omitempty"` // venv, virtualenv or uv
	SystemSitePackages bool              `json:"system_site_packages,omitempty"`
	Packages           map[string]string `json:"packages"` // normalised name → version
	FoundBy            string            `json:"found_by"` // state, recipe, or the --venv-root folder
}

// Part records the virtualenvs envup knows by name and those under the
// venv roots, read as Observe reads them (ReadAt).
var Part = install.Record[[]Seen]("virtualenvs", func() []Seen { return []Seen{} }, part{})

type part struct{}

// Inspect reads the venvs known by name, then those under the roots; a
// folder is listed once, under the first name it was found by.
func (part) Inspect(_ context.Context, sys system.System, look install.Look) ([]Seen, error) {
	windows := look.Platform.OS == "windows"
	known := slices.Clone(look.Venvs)
	var errs []error
	for _, root := range look.VenvRoots {
		entries, err := sys.ReadDir(root)
		if err != nil {
			errs = append(errs, fmt.Errorf("--venv-root %s: %w", root, err))
			continue
		}
		dir := look.Platform.Path(root)
		if _, err := sys.Stat(dir.Join("pyvenv.cfg").String()); err == nil {
			known = append(known, install.KnownVenv{Name: dir.Base(), Path: root, FoundBy: root})
			continue
		}
		for _, e := range entries {
			if e.IsDir() {
				known = append(known, install.KnownVenv{Name: e.Name(), Path: dir.Join(e.Name()).String(), FoundBy: root})
			}
		}
	}
	var out []Seen
	seenPath := map[string]bool{}
	seenName := map[string]int{}
	for _, k := range known {
		if seenPath[k.Path] {
			continue
		}
		found, ok, err := ReadAt(sys, k.Path, windows)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", k.Path, err))
			continue
		}
		if !ok {
			continue
		}
		seenPath[k.Path] = true
		name := k.Name
		if n := seenName[name]; n > 0 { // two folders of one name: the second is name-2
			name = fmt.Sprintf("%s-%d", name, n+1)
		}
		seenName[k.Name]++
		out = append(out, Seen{
			Name: name, Path: k.Path, Python: found.Config.Version, Home: found.Config.Home,
			Tool: found.Config.Tool, SystemSitePackages: found.Config.SystemSitePackages,
			Packages: found.Packages, FoundBy: k.FoundBy,
		})
	}
	slices.SortFunc(out, func(a, b Seen) int { return cmp.Compare(a.Name, b.Name) })
	return out, errors.Join(errs...)
}

func (part) Count(seen []Seen) int { return len(seen) }

func (part) Tilde(seen []Seen, home detect.Path) {
	for i := range seen {
		v := &seen[i]
		v.Path, v.Home, v.FoundBy = home.Collapse(v.Path), home.Collapse(v.Home), home.Collapse(v.FoundBy)
	}
}

func (part) Facts(seen []Seen, fs install.Facts) {
	for _, v := range seen {
		k := "virtualenvs/" + install.Seg(v.Name)
		fs.Group(k, fmt.Sprintf("(%s, python %s, %s)", v.Path, v.Python, install.Plural(len(v.Packages), "package")))
		fs.Put(k+"/path", v.Path)
		fs.Put(k+"/python", v.Python)
		if v.SystemSitePackages {
			fs.Put(k+"/system_site_packages", "true")
		}
		fs.Group(k+"/packages", install.Plural(len(v.Packages), "package"))
		for name, ver := range v.Packages {
			fs.Put(k+"/packages/"+install.Seg(name), ver)
		}
	}
}

// Wants are each venv's folder, its python's constraint and the packages
// it must hold as Observe reckons them (Wants).
func (part) Wants(r *recipe.Recipe, p detect.Platform, fs install.Facts) error {
	for _, key := range slices.Sorted(maps.Keys(r.Virtualenvs)) {
		v := r.Virtualenvs[key]
		k := "virtualenvs/" + install.Seg(key)
		where := p.HomePath().Collapse(v.Path)
		fs.Group(k, "("+where+")")
		fs.Put(k+"/path", where)
		python := ""
		if in := r.Interpreters[v.Python]; in != nil {
			c, err := catalog.ParseConstraint(in.Version)
			if err != nil {
				return fmt.Errorf("virtualenvs.%s: %w", key, err)
			}
			fs.Put(k+"/python", in.Version).Match = c.Check
			if bareVersion(in.Version) {
				python = in.Version
			}
		}
		if v.SystemSitePackages {
			fs.Put(k+"/system_site_packages", "true")
		}
		fs.Group(k+"/packages", "")
		reqs, err := Wants(key, v, r.Dir, p, python)
		if err != nil {
			return fmt.Errorf("virtualenvs.%s: %w", key, err)
		}
		for name, spec := range reqs {
			want := spec.String()
			f := fs.Put(k+"/packages/"+install.Seg(name), want)
			if want == "" {
				f.Show = "any version"
			}
			f.Match = spec.Allows
		}
	}
	return nil
}

func (part) Words(path []string) (string, string, string) { return install.NamedWords("venv", path) }

// bareVersion says whether a constraint is a plain version ("3.11"),
// which markers can be evaluated with.
func bareVersion(c string) bool {
	if c == "" {
		return false
	}
	for _, r := range c {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	return true
}

// Capture writes each venv with its packages pinned, on the captured
// interpreter of its version (asked for when the snapshot has none).
func (part) Capture(seen []Seen, c *install.Captured) {
	r := c.Recipe
	for _, v := range seen {
		if v.Python == "" {
			c.Left = append(c.Left, fmt.Sprintf("venv %s (%s): its pyvenv.cfg names no python version", v.Name, v.Path))
			continue
		}
		key := interpreter.KeyOf(r, "python", v.Python)
		if key == "" {
			// Its base is gone or not found: ask for that version.
			key = "python" + v.Python
			if r.Interpreters == nil {
				r.Interpreters = map[string]*recipe.Interpreter{}
			}
			r.Interpreters[key] = &recipe.Interpreter{Tool: "python", Version: v.Python}
		}
		spec := &recipe.Virtualenv{Path: v.Path, Python: key, SystemSitePackages: v.SystemSitePackages}
		for _, name := range slices.Sorted(maps.Keys(v.Packages)) {
			if name == "pip" {
				spec.Pip = "==" + v.Packages[name]
				continue
			}
			spec.Packages = append(spec.Packages, name+"=="+v.Packages[name])
		}
		if r.Virtualenvs == nil {
			r.Virtualenvs = map[string]*recipe.Virtualenv{}
		}
		r.Virtualenvs[v.Name] = spec
	}
}
