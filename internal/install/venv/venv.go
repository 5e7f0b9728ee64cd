// Package venv makes Python virtual environments bound to an interpreter
// and keeps their packages as the recipe asks: created with `-m venv`
// (virtualenv for Python 2.7 and 3.2), then one pip call for everything
// missing or at a wrong version.
//
// Observe reads pyvenv.cfg, envup's marker (complete.go) and every
// site-packages/*.dist-info/METADATA, so a venv already as the recipe
// wants costs a few milliseconds and starts no program; only a venv
// without the marker is probed, once, to see that its pip runs.
package venv

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Base is the interpreter a virtualenv is built on;
// *interpreter.Interpreter satisfies it.
type Base interface {
	ID() install.ID
	// Current is the installed interpreter that satisfies the recipe:
	// the path of its binary and its version. ok is false when there is
	// none yet (a plan before its interpreter is installed).
	Current(ctx context.Context, sys system.System) (path, version string, ok bool, err error)
}

// Options are what every virtualenv resource of a run shares.
type Options = install.Options

// Venv is one recipe virtualenvs entry.
type Venv struct {
	key       string
	spec      *recipe.Virtualenv
	path      string // on the host
	recipeDir string
	base      Base
	p         detect.Platform
	j         joiner
	opts      Options
	packages  []*Requirement // the packages list, parsed
	pip       Specifier      // the pip pin; empty: the venv's own
	findLinks []string       // absolute, or URLs
}

var _ interface {
	install.Typed[*State]
	install.Describer[*State]
	install.Needer
} = (*Venv)(nil)

// New returns the resource for the virtualenvs entry key, built on base.
// Relative requirements files and find_links are relative to recipeDir.
func New(key string, spec *recipe.Virtualenv, recipeDir string, base Base, p detect.Platform, opts Options) (*Venv, error) {
	if spec == nil || spec.Path == "" {
		return nil, fmt.Errorf("virtualenv %s: no path", key)
	}
	if base == nil {
		return nil, fmt.Errorf("virtualenv %s: no interpreter to build it on", key)
	}
	v := &Venv{
		key: key, spec: spec, recipeDir: recipeDir, base: base, p: p, opts: opts,
		j: joiner{windows: p.OS == "windows"},
	}
	v.path = v.hostPath(spec.Path)
	for i, s := range spec.Packages {
		r, err := ParseRequirement(s, recipeDir)
		if err != nil {
			return nil, fmt.Errorf("virtualenv %s: packages[%d]: %w", key, i, err)
		}
		r.From = "packages[" + strconv.Itoa(i) + "]"
		v.packages = append(v.packages, r)
	}
	if spec.Pip != "" {
		pin := strings.TrimSpace(spec.Pip)
		if !strings.ContainsAny(pin, "~=!<>,") {
			pin = "==" + pin // a bare version, as recipe.Load writes it
		}
		sp, err := ParseSpecifier(pin)
		if err != nil {
			return nil, fmt.Errorf("virtualenv %s: pip: %w", key, err)
		}
		v.pip = sp
	}
	for _, f := range spec.FindLinks {
		v.findLinks = append(v.findLinks, localOrURL(f, recipeDir))
	}
	v.findLinks = append(v.findLinks, opts.Mirrors...)
	return v, nil
}

// hostPath is the venv's path on the host: ~ is the platform's home, and
// a relative path (which Load does not let through) is the recipe's.
func (v *Venv) hostPath(p string) string {
	switch {
	case (p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`)) && v.p.Home != "" && v.p.Home != "~":
		return v.j.path(v.p.Home).Expand(p)
	case strings.HasPrefix(p, "~"), strings.HasPrefix(p, "/"), strings.HasPrefix(p, `\\`), isDrive(p):
		return p
	case v.recipeDir != "":
		return filepath.Join(v.recipeDir, filepath.FromSlash(p))
	}
	return p
}

// ID is "virtualenv/<key>".
func (v *Venv) ID() install.ID { return install.ID{Kind: "virtualenv", Name: v.key} }

// Needs is the interpreter the venv is built on: a venv whose interpreter
// failed to install is skipped.
func (v *Venv) Needs() []install.ID { return []install.ID{v.base.ID()} }

// Path is where the venv lives on the host.
func (v *Venv) Path() string { return v.path }

// Base is the interpreter the venv is built on.
func (v *Venv) Base() Base { return v.base }

// Python is the venv's own interpreter (bin/python, Scripts\python.exe).
func (v *Venv) Python() string { return v.j.python(v.path) }

// Observe sees the venv: the base interpreter (through Base.Current),
// pyvenv.cfg, envup's marker and the METADATA of every installed
// distribution, then compares them with the recipe. It starts a program
// only for a venv without the marker: one probe that its pip runs.
func (v *Venv) Observe(ctx context.Context, sys system.System) (*State, error) {
	path, version, ok, err := v.base.Current(ctx, sys)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", v.base.ID(), err)
	}
	if !ok {
		st := &State{Path: v.path, WaitsFor: v.base.ID().String()}
		v.readExisting(sys, st) // still worth a snapshot
		return st, nil
	}
	return v.observe(ctx, sys, BaseInfo{Path: path, Version: version})
}

func (v *Venv) observe(ctx context.Context, sys system.System, base BaseInfo) (*State, error) {
	st := &State{Path: v.path, Base: &base}
	if err := v.readExisting(sys, st); err != nil {
		return nil, err
	}
	st.Recreate = v.recreateWhy(sys, st)
	if st.Recreate == "" {
		st.Recreate = v.incompleteWhy(ctx, sys, st)
	}
	w, err := v.wanted(sys)
	if err != nil {
		return nil, err
	}
	if err := v.compare(sys, st, w); err != nil {
		return nil, err
	}
	return st, nil
}

// readExisting reads pyvenv.cfg and the installed distributions. A
// folder that is there without pyvenv.cfg and does not look like a venv
// is an error: envup never replaces what it did not make.
func (v *Venv) readExisting(sys system.System, st *State) error {
	data, err := sys.ReadFile(v.j.join(v.path, "pyvenv.cfg"))
	switch {
	case err == nil:
		cfg := ParseConfig(data)
		st.Config, st.Exists = &cfg, true
	case !isNotExist(err):
		return fmt.Errorf("read pyvenv.cfg: %w", err)
	default:
		entries, err := sys.ReadDir(v.path)
		if err != nil || len(entries) == 0 {
			return nil // nothing there: a new venv
		}
		for _, e := range entries {
			if !venvEntries[e.Name()] {
				return fmt.Errorf("%s is there and is not a virtualenv (no pyvenv.cfg, has %s): envup will not replace it", v.path, e.Name())
			}
		}
		st.Exists = true // a venv whose pyvenv.cfg is gone, or half made
	}
	minor := ""
	if st.Config != nil {
		minor = minorOf(st.Config.Version)
	}
	dists := map[string]*Dist{}
	for _, site := range v.j.sitePackages(sys, v.path, minor) {
		readSite(sys, site, v.j, dists)
	}
	st.dists = dists
	st.Packages = versions(dists)
	return nil
}

// venvEntries are the names a venv's folder holds.
var venvEntries = map[string]bool{
	"bin": true, "Scripts": true, "lib": true, "Lib": true, "lib64": true, "include": true,
	"Include": true, "share": true, ".gitignore": true, "pip-selfcheck.json": true,
	"pyvenv.cfg": true, "CACHEDIR.TAG": true, completeName: true,
}

// recreateWhy says why the venv must be made (again), or "" when it can
// stay: not there; no pyvenv.cfg; a base of another minor version; a
// base gone or moved; its python missing; system_site_packages changed.
func (v *Venv) recreateWhy(sys system.System, st *State) string {
	base := st.Base
	if base.Version == "" { // a plan: the base is still to be installed
		if !st.Exists {
			return "new, on " + base.Path + " once it is installed"
		}
		return "recreate on " + base.Path + " once it is installed"
	}
	if !st.Exists {
		return fmt.Sprintf("new, on python %s (%s)", base.Version, base.Path)
	}
	cfg := st.Config
	if cfg == nil {
		return "no pyvenv.cfg"
	}
	baseMinor := minorOf(base.Version)
	if m := minorOf(cfg.Version); m != "" && baseMinor != "" && m != baseMinor {
		return fmt.Sprintf("base is now %s, venv was made with %s", baseMinor, m)
	}
	baseDir := v.j.dir(base.Path)
	if cfg.Home == "" {
		return "pyvenv.cfg names no home"
	}
	if _, err := sys.Stat(cfg.Home); err != nil {
		return fmt.Sprintf("base python %s at %s moved: venv made with %s, which is gone", baseMinor, baseDir, cfg.Home)
	}
	if !v.sameBase(sys, cfg, base) {
		return fmt.Sprintf("base python %s at %s: venv made with another python, at %s", baseMinor, baseDir, cfg.Home)
	}
	if _, err := sys.Stat(v.j.python(v.path)); err != nil {
		return "venv python " + v.j.pythonRel() + " is missing"
	}
	if cfg.SystemSitePackages != v.spec.SystemSitePackages {
		return fmt.Sprintf("include-system-site-packages is %t, recipe wants %t", cfg.SystemSitePackages, v.spec.SystemSitePackages)
	}
	return ""
}

// sameBase says whether the venv was made with the base interpreter: its
// home is the base's folder, or (through symlinks, /bin and /usr/bin) a
// python the venv names is the same file as the base.
func (v *Venv) sameBase(sys system.System, cfg *Config, base *BaseInfo) bool {
	if v.j.same(cfg.Home, v.j.dir(base.Path)) {
		return true
	}
	candidates := []string{cfg.Executable, cfg.BaseExecutable, v.j.join(cfg.Home, v.j.base(base.Path))}
	if m := minorOf(base.Version); m != "" {
		candidates = append(candidates, v.j.join(cfg.Home, "python"+m))
	}
	for _, c := range candidates {
		if c != "" && sameFile(sys, c, base.Path) {
			return true
		}
	}
	return sameFile(sys, cfg.Home, v.j.dir(base.Path))
}

// wanted reads what the recipe asks for: packages, then each
// requirements file in order.
func (v *Venv) wanted(sys system.System) (*wanted, error) {
	rsys := v.opts.Recipe
	if rsys == nil {
		rsys = sys
	}
	w := &wanted{reqs: append([]*Requirement(nil), v.packages...)}
	rd := fileReader{read: rsys.ReadFile, getenv: rsys.Getenv, base: v.recipeDir}
	for _, f := range v.spec.Requirements {
		if isURL(f) {
			w.remote = append(w.remote, f)
			continue
		}
		if err := w.readFile(rd, localOrURL(f, v.recipeDir), false, map[string]bool{}); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// protected are never uninstalled by exact: what a venv needs to work.
var protected = map[string]bool{"pip": true, "setuptools": true, "wheel": true, "distribute": true, "pkg-resources": true}

// compare works out what is missing, wrong and (with exact) extra.
func (v *Venv) compare(sys system.System, st *State, w *wanted) error {
	have := st.dists
	if st.Recreate != "" {
		have = map[string]*Dist{} // a new venv has none of the old one's
	}
	var global map[string]*Dist
	if v.spec.SystemSitePackages {
		global = v.systemDists(sys, st)
		st.System = versions(global)
	}
	impl := ""
	if st.Config != nil {
		impl = st.Config.Implementation
	}
	env := newMarkerEnv(v.p, st.Base.Version, impl).withExtra("")
	st.plan.wanted = w

	// Group by name: a name asked twice (packages and a file) must
	// satisfy both, and gets one plan line.
	type group struct {
		reqs []*Requirement
		spec Specifier
	}
	groups := map[string]*group{}
	var order []string
	for _, r := range w.reqs {
		if !r.applies(env) {
			continue
		}
		if !r.checkable() {
			st.Unchecked = append(st.Unchecked, r.arg)
			st.plan.unchecked = append(st.plan.unchecked, r)
			continue
		}
		g, ok := groups[r.Key]
		if !ok {
			g = &group{}
			groups[r.Key] = g
			order = append(order, r.Key)
		}
		g.reqs = append(g.reqs, r)
		if r.versioned() {
			g.spec = g.spec.and(r.Specifier)
		}
	}
	st.Unchecked = append(st.Unchecked, w.remote...)
	for _, key := range order {
		g := groups[key]
		spec := g.spec.and(w.constraints[key])
		d := have[key]
		if d == nil {
			d = global[key]
		}
		switch {
		case d == nil:
			st.Missing = append(st.Missing, Want{Name: g.reqs[0].label(), Specifier: spec.String()})
		case !spec.Allows(d.Version):
			st.Wrong = append(st.Wrong, Mismatch{Name: g.reqs[0].label(), Have: d.Version, Want: spec.String()})
		default:
			continue
		}
		st.plan.install = append(st.plan.install, g.reqs...)
	}
	v.comparePip(st, have)
	if v.spec.Exact && len(st.Unchecked) > 0 {
		return fmt.Errorf("%w: envup cannot tell which installed package %s is (write it as name @ URL, or add #egg=name)", errExactUnknown, st.Unchecked[0])
	}
	if v.spec.Exact && st.Recreate == "" {
		keep := needed(sys, v.j, have, w.reqs, env)
		for _, key := range sortedKeys(have) {
			if !keep[key] && !protected[key] {
				st.Extra = append(st.Extra, have[key].Name)
			}
		}
	}
	return nil
}

// comparePip checks pip itself: present (a uv venv has none), and at a
// version the pin allows.
func (v *Venv) comparePip(st *State, have map[string]*Dist) {
	pip := have["pip"]
	if st.Recreate == "" && pip == nil {
		st.PipMissing = true
	}
	switch {
	case v.pip.Empty():
	case st.Recreate != "" || pip == nil:
		st.PipPin = v.pip.String() // the new pip is pip's to check
	case !v.pip.Allows(pip.Version):
		st.PipPin = v.pip.String()
		st.PipHave = pip.Version
	}
}

// systemDists are the base's own packages, which a venv with
// system_site_packages sees after its own.
func (v *Venv) systemDists(sys system.System, st *State) map[string]*Dist {
	minor := minorOf(st.Base.Version)
	prefix := ""
	if st.Config != nil && st.Config.BasePrefix != "" && st.Recreate == "" {
		prefix = st.Config.BasePrefix
	} else {
		prefix = v.j.dir(st.Base.Path) // Windows: python.exe is in the prefix
		if !v.j.windows {
			prefix = v.j.dir(prefix) // <prefix>/bin/python3.X
		}
	}
	out := map[string]*Dist{}
	for _, site := range v.j.systemSites(prefix, minor) {
		readSite(sys, site, v.j, out)
	}
	return out
}

// Diff says what apply would do: make the venv (and why), then one line
// per package missing, at a wrong version, or (exact) extra.
func (v *Venv) Diff(st *State) []install.Change {
	if st == nil {
		return nil
	}
	if st.WaitsFor != "" {
		return []install.Change{{Action: install.Create, Subject: "venv", Why: "after " + st.WaitsFor + " is installed"}}
	}
	var out []install.Change
	if st.Recreate != "" {
		why := st.Recreate
		if st.Exists {
			why = "recreate: " + why
		}
		out = append(out, install.Change{Action: install.Create, Subject: "venv", Why: why})
	}
	pending := len(st.Missing)+len(st.Wrong)+len(st.Extra) > 0 || st.PipPin != ""
	if st.PipMissing && pending {
		out = append(out, install.Change{Action: install.Create, Subject: "pip", Why: "not in the venv: python -m ensurepip"})
	}
	if st.PipPin != "" {
		why := "want " + st.PipPin
		if st.PipHave != "" {
			why = st.PipHave + " installed, want " + st.PipPin
		}
		out = append(out, install.Change{Action: install.Update, Subject: "pip", Why: why})
	}
	for _, m := range st.Missing {
		out = append(out, install.Change{Action: install.Create, Subject: m.Name, Why: "not installed"})
	}
	for _, m := range st.Wrong {
		out = append(out, install.Change{Action: install.Update, Subject: m.Name, Why: m.Have + " installed, want " + m.Want})
	}
	if st.Recreate != "" {
		for _, u := range st.Unchecked {
			out = append(out, install.Change{Action: install.Create, Subject: u, Why: "not installed (envup cannot check it afterwards)"})
		}
	}
	for _, e := range st.Extra {
		out = append(out, install.Change{Action: install.Update, Subject: e, Why: "not in the recipe: removed"})
	}
	return out
}

// Describe says what the venv is, for `plan -v`.
func (v *Venv) Describe(st *State) string {
	if st == nil || !st.Exists || st.Config == nil {
		return ""
	}
	return fmt.Sprintf("venv at %s on python %s, %d packages", v.path, st.Config.Version, len(st.Packages))
}

func (v *Venv) say(format string, args ...any) {
	if v.opts.Log != nil {
		fmt.Fprintf(v.opts.Log, "envup: "+format+"\n", args...)
	}
}

// errExactUnknown is exact mode with a requirement envup cannot name.
var errExactUnknown = errors.New("exact: true needs every requirement's package name")
