package venv

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/envup/envup/internal/system"
)

// oldSuffix names the previous venv while a new one is made at its path.
// Venvs write their own path into their scripts, so the new one cannot be
// made elsewhere and renamed into place; instead the old one steps aside
// and comes back if making the new one fails.
const oldSuffix = ".envup-old"

// reqFileName is the temporary requirements file in the venv for the
// requirements pip can only read from a file (--hash and other options).
const reqFileName = ".envup-requirements.txt"

// pipEnv keeps pip quiet about its own version and from ever prompting.
var pipEnv = []string{"PIP_DISABLE_PIP_VERSION_CHECK=1", "PIP_NO_INPUT=1"}

// Apply makes the venv when it must be (re)made, then runs pip once for
// everything missing or at a wrong version; with exact it first
// uninstalls what the recipe does not need.
func (v *Venv) Apply(ctx context.Context, sys system.System, st *State) error {
	if st.WaitsFor != "" {
		next, err := v.afterBase(ctx, sys, st)
		if err != nil {
			return err
		}
		st = next
	}
	if st.Recreate == "" {
		return v.change(ctx, sys, st)
	}
	return v.remake(ctx, sys, st)
}

// change does pip's work in the venv as it stands, its marker pending
// from before the first change to its packages until after the last
// (complete.go).
func (v *Venv) change(ctx context.Context, sys system.System, st *State) error {
	if !v.installs(st, false) && len(st.Extra) == 0 {
		return nil
	}
	if err := v.markPending(sys); err != nil {
		return err
	}
	if err := v.pipWork(ctx, sys, st, false, nil); err != nil {
		if ctx.Err() == nil { // pip stopped by itself, not killed
			if rmErr := v.unmark(sys); rmErr != nil {
				return errors.Join(err, rmErr)
			}
		}
		return err
	}
	return v.markComplete(sys, st.plan.wanted)
}

// afterBase observes again once the base is there. A plan still without
// it (its install was only recorded) shows the steps with a stand-in for
// the interpreter's path.
func (v *Venv) afterBase(ctx context.Context, sys system.System, st *State) (*State, error) {
	path, version, ok, err := v.base.Current(ctx, sys)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", v.base.ID(), err)
	}
	if !ok {
		// The base must be there by now: a proof, which a plan (whose
		// install of the base was only recorded) records, going on with a
		// stand-in for the interpreter's path.
		err := sys.Prove(ctx, st.WaitsFor+" is installed", func(context.Context) error {
			return fmt.Errorf("%s is not installed", st.WaitsFor)
		})
		if err != nil {
			return nil, err
		}
		path = "<" + st.WaitsFor + ">"
	}
	return v.observe(ctx, sys, BaseInfo{Path: path, Version: version})
}

// remake makes the venv at its path, the old one (if any) moved aside
// first and removed only once the new one has its packages and its
// marker; on failure the new one goes and the old one comes back. The
// pip wheel it is seeded from (seed.go), and the kept seed planted into
// it (kept.go), are ready before anything moves.
func (v *Venv) remake(ctx context.Context, sys system.System, st *State) error {
	old := v.path + oldSuffix
	if err := sys.RemoveAll(old); err != nil { // left by an apply that was killed
		return fmt.Errorf("remove %s: %w", old, err)
	}
	sd, err := v.seedOrFallBack(ctx, sys, st.Base)
	if err != nil {
		return err
	}
	var kp *kept
	if v.keeps(sd) {
		if kp, err = v.keep(ctx, sys, st.Base, sd); err != nil {
			return err
		}
	}
	moved := false
	if st.Exists {
		v.say("%s: %s", v.ID(), st.Recreate)
		if err := sys.Rename(v.path, old); err != nil {
			return fmt.Errorf("move the old venv aside: %w", err)
		}
		moved = true
	}
	err = v.markPending(sys)
	if err == nil {
		err = v.create(ctx, sys, st.Base, sd != nil)
	}
	if err == nil && kp != nil {
		if err = v.plant(sys, kp, sd.python); err == nil {
			sd = nil // the venv has its own pip now
		}
	}
	if err == nil {
		err = v.pipWork(ctx, sys, st, true, sd)
	}
	if err == nil {
		err = v.markComplete(sys, st.plan.wanted)
	}
	if err != nil {
		errs := []error{err}
		if rmErr := sys.RemoveAll(v.path); rmErr != nil {
			errs = append(errs, fmt.Errorf("remove the new venv: %w", rmErr))
		} else if moved {
			if mvErr := sys.Rename(old, v.path); mvErr != nil {
				errs = append(errs, fmt.Errorf("put the old venv back from %s: %w", old, mvErr))
			}
		}
		return errors.Join(errs...)
	}
	if moved {
		if err := sys.RemoveAll(old); err != nil {
			return fmt.Errorf("remove the old venv: %w", err)
		}
	}
	return nil
}

// create runs `python -m venv` (3.3 and later) or `python -m virtualenv`
// (2.7 and 3.2, which have no venv module) with the recipe's options,
// --without-pip when pip comes from envup's wheel. The command runs the
// base interpreter (whose path a plan may only stand in for) and makes
// pyvenv.cfg, which says the venv is there.
func (v *Venv) create(ctx context.Context, sys system.System, base *BaseInfo, withoutPip bool) error {
	module, err := creator(base.Version)
	if err != nil {
		return err
	}
	argv := []string{base.Path, "-m", module}
	if withoutPip {
		argv = append(argv, "--without-pip")
	}
	if v.spec.SystemSitePackages {
		argv = append(argv, "--system-site-packages")
	}
	if v.spec.Prompt != "" {
		if module == "venv" && !versionAtLeast(base.Version, 3, 6) {
			v.say("%s: python %s's venv has no --prompt; the prompt stays the folder's name", v.ID(), base.Version)
		} else {
			argv = append(argv, "--prompt", v.spec.Prompt)
		}
	}
	argv = append(argv, v.path)
	in := system.Intent{Interpreter: v.base.ID().String(), Done: v.j.join(v.path, "pyvenv.cfg")}
	_, err = system.Intend(sys, in).Run(ctx, system.Cmd{Argv: argv, Live: v.opts.Live})
	if err == nil {
		return nil
	}
	var exit *system.ExitError
	if module == "virtualenv" && errors.As(err, &exit) && strings.Contains(exit.Stderr, "No module named virtualenv") {
		return fmt.Errorf("create: python %s has no virtualenv module: install %s for it first: %w", base.Version, virtualenvFor(base.Version), err)
	}
	return fmt.Errorf("create: %w", err)
}

// creator is the module that makes venvs for a Python version.
func creator(version string) (string, error) {
	switch m := minorOf(version); {
	case m == "":
		return "venv", nil // not known yet (a plan): a current Python
	case m == "2.7" || m == "3.2":
		return "virtualenv", nil
	case !versionAtLeast(version, 3, 3):
		return "", fmt.Errorf("envup cannot make a virtualenv for python %s (2.7, and 3.2 or later, only)", version)
	}
	return "venv", nil
}

// virtualenvFor is the virtualenv that runs on a Python too old for venv
// (PLATFORMS.md §5.4): 20.15.1 is the last to run under Python 2 (20.16
// dropped it, though later ones still create 2.7 envs from Python 3), and
// 13.1.2 the last with Python 3.2.
func virtualenvFor(version string) string {
	if minorOf(version) == "3.2" {
		return "virtualenv<=13.1.2"
	}
	return "virtualenv<=20.15.1 (or create it from a Python 3.7+ with virtualenv<=20.21.1 -p python2.7)"
}

// pipWork runs what pip must do: pip into a venv that has none (from
// envup's wheel, or ensurepip), uninstall (exact), then one install.
// fresh says the venv was just made; sd, that it was made without pip,
// which the install call (run by envup's pip) puts in.
func (v *Venv) pipWork(ctx context.Context, sys system.System, st *State, fresh bool, sd *seeded) error {
	install := v.installs(st, fresh) || sd != nil
	if !install && len(st.Extra) == 0 {
		return nil
	}
	py := v.j.python(v.path)
	if st.PipMissing && !fresh {
		if err := v.putPip(ctx, sys, st); err != nil {
			return err
		}
	}
	if len(st.Extra) > 0 {
		argv := append([]string{py, "-m", "pip", "uninstall", "-y"}, st.Extra...)
		if _, err := sys.Run(ctx, system.Cmd{Argv: argv, Env: pipEnv, Live: v.opts.Live}); err != nil {
			return fmt.Errorf("pip uninstall: %w", err)
		}
	}
	if !install {
		return nil
	}
	return v.pipInstall(ctx, sys, st, fresh, sd)
}

// putPip gives a venv that lost its pip one: from envup's wheel, or
// with ensurepip.
func (v *Venv) putPip(ctx context.Context, sys system.System, st *State) error {
	sd, err := v.seedOrFallBack(ctx, sys, st.Base)
	if err != nil {
		return err
	}
	what, argv := "ensurepip", []string{v.j.python(v.path), "-m", "ensurepip", "--upgrade", "--default-pip"}
	if sd != nil {
		what, argv = "pip install pip", append(append(append(v.pipArgv(sd), "install", "--no-index"), v.seedLinks(sd, false)...), "pip=="+sd.version)
		if sd.setuptools != "" {
			argv = append(argv, "setuptools=="+sd.setuptools)
		}
	}
	if _, err := sys.Run(ctx, system.Cmd{Argv: argv, Env: pipEnv, Live: v.opts.Live}); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// installs says whether pip has anything to install: a package missing
// or wrong, the pip pin, or (in a new venv) what envup cannot check.
func (v *Venv) installs(st *State, fresh bool) bool {
	return len(st.plan.install) > 0 || st.PipPin != "" || fresh && (len(st.plan.unchecked) > 0 || len(st.plan.wanted.remote) > 0)
}

// pipInstall is the one pip install call: the pip pin first (or, in a
// venv made without pip, pip from envup's wheel), then every requirement
// missing or wrong (and, in a new venv, those envup cannot check).
// Requirements with options go through a temporary file in the venv,
// removed after.
func (v *Venv) pipInstall(ctx context.Context, sys system.System, st *State, fresh bool, sd *seeded) error {
	w := st.plan.wanted
	reqs := append([]*Requirement(nil), st.plan.install...)
	if fresh || len(reqs) > 0 {
		reqs = append(reqs, st.plan.unchecked...)
	}
	var specs, fileLines []string
	for _, r := range reqs {
		if r.needsFile() {
			fileLines = append(fileLines, r.line())
			continue
		}
		specs = append(specs, r.args()...)
	}
	var pin []string
	if st.PipPin != "" {
		pin = []string{"pip" + st.PipPin}
	}
	pin = append(pin, v.pipTarget(sd, st)...)
	index := v.indexArgs(w, false)
	index = append(index, v.seedLinks(sd, true)...)
	start := append(v.pipArgv(sd), "install")
	if len(pin) > 0 && w.hashes {
		// Hash-checking mode wants a hash for every requirement of the
		// call; the pin has none, so it goes first, on its own.
		argv := append(append(start, index...), pin...)
		if _, err := sys.Run(ctx, system.Cmd{Argv: argv, Env: pipEnv, Live: v.opts.Live}); err != nil {
			return pipFailed(err)
		}
		pin, index, start = nil, v.indexArgs(w, false), append(v.pipArgv(nil), "install") // the venv has its pip now
	}
	if len(specs)+len(fileLines)+len(pin) == 0 && !(fresh && len(w.remote) > 0) {
		return nil
	}
	argv := append(start, index...)
	if w.hashes {
		argv = append(argv, "--require-hashes")
	}
	for _, c := range w.cFiles {
		argv = append(argv, "-c", c)
	}
	if fresh || len(reqs) > 0 {
		for _, r := range w.remote {
			argv = append(argv, "-r", r)
		}
	}
	if len(fileLines) > 0 {
		tmp := v.j.join(v.path, reqFileName)
		if err := sys.WriteFile(tmp, []byte(strings.Join(fileLines, "\n")+"\n"), 0o600); err != nil {
			return fmt.Errorf("write %s: %w", tmp, err)
		}
		defer func() { _ = sys.Remove(tmp) }()
		argv = append(argv, "-r", tmp)
	}
	argv = append(argv, pin...)
	argv = append(argv, specs...)
	if _, err := sys.Run(ctx, system.Cmd{Argv: argv, Env: pipEnv, Live: v.opts.Live}); err != nil {
		return pipFailed(err)
	}
	return nil
}

// indexArgs are the options saying where pip finds packages: --no-index
// and --find-links when offline (never an index), otherwise the recipe's
// index and the ones its requirements files name. download drops
// --no-index: `envup wheels` fills the wheelhouse an offline venv uses.
func (v *Venv) indexArgs(w *wanted, download bool) []string {
	var out []string
	offline := v.spec.Offline || v.opts.Offline || w.opts.noIndex
	if offline && !download {
		out = append(out, "--no-index")
	}
	for _, f := range append(append([]string(nil), v.findLinks...), w.opts.findLinks...) {
		out = append(out, "--find-links", f)
		// A plain-http mirror on the lab's network (envup serve): pip
		// ignores it unless told to trust the host.
		if u, err := url.Parse(f); err == nil && u.Scheme == "http" && u.Hostname() != "" {
			out = append(out, "--trusted-host", u.Hostname())
		}
	}
	if !offline || download {
		idx := v.spec.IndexURL
		if idx == "" {
			idx = w.opts.indexURL
		}
		if idx != "" {
			out = append(out, "--index-url", idx)
		}
		for _, u := range append(append([]string(nil), v.spec.ExtraIndexURLs...), w.opts.extraIndex...) {
			out = append(out, "--extra-index-url", u)
		}
		for _, h := range w.opts.trustedHosts {
			out = append(out, "--trusted-host", h)
		}
	}
	if w.opts.pre {
		out = append(out, "--pre")
	}
	if w.opts.preferBinary {
		out = append(out, "--prefer-binary")
	}
	for _, b := range w.opts.onlyBinary {
		out = append(out, "--only-binary", b)
	}
	for _, b := range w.opts.noBinary {
		out = append(out, "--no-binary", b)
	}
	return out
}
