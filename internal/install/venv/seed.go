package venv

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/pep440"
	"github.com/envup/envup/internal/system"
)

// A venv is made without ensurepip where it can be: `python -m venv
// --without-pip`, then a pip wheel (the lab's wheelhouse's, the
// catalog's, sha256-pinned, or the one the python bundles for its
// ensurepip), unpacked once into the data folder and run
// by the venv's own python, installs pip itself (from the wheel, by
// name: pip writes its METADATA, RECORD, INSTALLER and bin/pip as under
// ensurepip, which runs the same pip install) and the recipe's packages,
// in one call. ensurepip copies and installs its own pip into every
// venv, most of a venv's making (bench/venv.sh).

// seed is the pip wheel a venv is seeded from: the catalog's, or one in
// a local folder (local: art.URL is its path).
type seed struct {
	version string
	art     catalog.Artifact
	local   bool
	// setuptools is the version (and folder) of the setuptools wheel
	// installed with pip for a python before 3.12, as ensurepip does.
	setuptools, setuptoolsDir string
}

// seeded is a seed ready to run: runner is the unpacked wheel's folder,
// wheels a folder holding the wheel itself by its name (pip's
// --find-links for pip==version).
type seeded struct {
	seed
	runner, wheels string
	python         string // the venv's python that runs it
}

// pipArgv is the start of a pip call into the venv: `python -m pip` when
// the venv has its own; when seeded, pip's own __pip-runner__.py (what
// `pip --python` runs), which imports exactly that pip without putting
// its folder on sys.path, so the venv does not see the runner's pip as
// installed.
func (v *Venv) pipArgv(s *seeded) []string {
	if s == nil {
		return []string{v.j.python(v.path), "-m", "pip"}
	}
	return []string{s.python, v.j.join(s.runner, "pip", "__pip-runner__.py")}
}

// runnerSince is the first pip with __pip-runner__.py (pip --python).
var runnerSince, _ = pep440.Parse("22.3")

// pipTarget is the requirements for the seeded venv's own pip and, before
// 3.12, setuptools: pip==version and setuptools==version from the seed's
// folders, unless the recipe asks for its own (a pip pin, or the project
// among its packages), which the same call installs instead.
func (v *Venv) pipTarget(s *seeded, st *State) []string {
	if s == nil {
		return nil
	}
	var out []string
	if st.PipPin == "" && v.pip.Empty() && !v.names("pip") {
		out = append(out, "pip=="+s.version)
	}
	if s.setuptools != "" && !v.names("setuptools") {
		out = append(out, "setuptools=="+s.setuptools)
	}
	return out
}

// names says whether the recipe's packages name project.
func (v *Venv) names(project string) bool {
	return slices.ContainsFunc(v.packages, func(r *Requirement) bool { return r.Key == project })
}

// seedLinks are --find-links for the folders the seed's wheels are in;
// own leaves out those the venv's own find_links name already.
func (v *Venv) seedLinks(s *seeded, own bool) []string {
	if s == nil {
		return nil
	}
	var out, dirs []string
	for _, d := range []string{s.wheels, s.setuptoolsDir} {
		if d != "" && !slices.Contains(dirs, d) && !(own && slices.Contains(v.findLinks, d)) {
			dirs = append(dirs, d)
			out = append(out, "--find-links", d)
		}
	}
	return out
}

// seedFor is the pip wheel a venv on base is made with, when one can be:
// `-m venv` (not virtualenv), a python pip runs on (3.7 or later, or not
// known yet in a plan), a data folder for the unpacked wheel, and a pip
// wheel the recipe's pip pin allows, found without the network: the
// newest in the venv's own find_links folders and mirrors (a lab's
// wheelhouse, which locks, fetch and bundles carry), else the catalog's
// when the download cache or a mirror has it, else the one the base
// interpreter bundles for ensurepip (python.org's and
// python-build-standalone's Lib/ensurepip/_bundled, Debian's
// /usr/share/python-wheels). Otherwise the venv is made with ensurepip,
// as before.
func (v *Venv) seedFor(sys system.System, base *BaseInfo) (seed, bool) {
	if !seedable(base.Version) || v.p.Dirs.Data == "" {
		return seed{}, false
	}
	s, ok := v.newestPip(sys, v.findLinks)
	if !ok {
		s, ok = v.catalogPip()
		ok = ok && v.atHand(sys, s.art)
	}
	if !ok {
		s, ok = v.newestPip(sys, v.bundledDirs(base))
	}
	if !ok || versionAtLeast(base.Version, 3, 12) || minorOf(base.Version) == "" {
		return s, ok
	}
	// ensurepip before 3.12 installs setuptools too: so does the seed,
	// from the wheelhouse or the python's own wheels.
	dir, _, version, found := newestWheel(sys, append(slices.Clone(v.findLinks), v.bundledDirs(base)...), "setuptools", func(string, pep440.Version) bool { return true })
	s.setuptools, s.setuptoolsDir = version, dir
	return s, found
}

// seedable says whether a venv on a python of version is made with
// `-m venv` on a python pip runs on (3.7 or later, or not known yet: a
// plan's or a lock's interpreter still to be installed, taken to be a
// current one, as creator does), so that it can be seeded.
func seedable(version string) bool {
	module, err := creator(version)
	return err == nil && module == "venv" && versionAtLeast(version, 3, 7)
}

// bundledDirs are where the base interpreter keeps the pip wheel its
// ensurepip installs: PREFIX/lib/pythonX.Y/ensurepip/_bundled (PREFIX\Lib\
// ensurepip\_bundled on Windows, where python.exe is in PREFIX) and
// Debian's PREFIX/share/python-wheels.
func (v *Venv) bundledDirs(base *BaseInfo) []string {
	minor := minorOf(base.Version)
	if minor == "" || strings.HasPrefix(base.Path, "<") {
		return nil // a plan's stand-in
	}
	bin := v.j.dir(base.Path)
	if v.j.windows {
		return []string{v.j.join(bin, "Lib", "ensurepip", "_bundled")}
	}
	prefix := v.j.dir(bin)
	return []string{v.j.join(prefix, "lib", "python"+minor, "ensurepip", "_bundled"), v.j.join(prefix, "share", "python-wheels")}
}

// newestPip is the newest pip wheel (22.3 or later) in the local folders
// of dirs that the recipe's pip pin allows. Its digest is read here: the
// folder (the lab's wheelhouse, the interpreter's own) is trusted as the
// packages in it, or the interpreter, are.
func (v *Venv) newestPip(sys system.System, dirs []string) (seed, bool) {
	dir, name, version, ok := v.pipWheel(sys, dirs)
	if !ok {
		return seed{}, false
	}
	file := v.j.join(dir, name)
	data, err := sys.ReadFile(file)
	if err != nil {
		return seed{}, false
	}
	sum := sha256.Sum256(data)
	return seed{version: version, art: catalog.Artifact{Kind: catalog.KindWheel, URL: file, SHA256: hex.EncodeToString(sum[:]), Filename: name}, local: true}, true
}

// pipWheel is the newest pip wheel (22.3 or later) in the local folders
// of dirs that the recipe's pip pin allows: its folder, name and version.
func (v *Venv) pipWheel(sys system.System, dirs []string) (dir, name, version string, ok bool) {
	return newestWheel(sys, dirs, "pip", func(version string, pv pep440.Version) bool {
		return pv.Compare(runnerSince) >= 0 && (v.pip.Empty() || v.pip.Allows(version))
	})
}

// newestWheel is the newest pure-Python wheel of project in the local
// folders of dirs that take accepts: its folder, file name and version.
func newestWheel(sys system.System, dirs []string, project string, take func(string, pep440.Version) bool) (dir, name, version string, ok bool) {
	var best pep440.Version
	for _, d := range dirs {
		if isURL(d) {
			continue
		}
		entries, err := sys.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range entries {
			ver, isWheel := wheelVersion(e.Name(), project)
			if !isWheel || e.IsDir() {
				continue
			}
			pv, err := pep440.Parse(ver)
			if err != nil || !take(ver, pv) || ok && pv.Compare(best) <= 0 {
				continue
			}
			dir, name, version, best, ok = d, e.Name(), ver, pv, true
		}
	}
	return dir, name, version, ok
}

// wheelVersion is the version in the file name of a pure-Python wheel of
// project (pip-24.0-py3-none-any.whl).
func wheelVersion(name, project string) (string, bool) {
	rest, ok := strings.CutPrefix(name, project+"-")
	if !ok || !strings.HasSuffix(name, "-none-any.whl") {
		return "", false
	}
	version, _, ok := strings.Cut(rest, "-")
	return version, ok && version != ""
}

// catalogPip is the catalog's newest pip wheel the recipe's pip pin
// allows.
func (v *Venv) catalogPip() (seed, bool) {
	c := v.opts.Catalog
	if c == nil {
		c = catalog.Builtin()
	}
	rels, err := c.Releases("pip")
	if err != nil {
		return seed{}, false
	}
	for _, rel := range rels {
		if !v.pip.Empty() && !v.pip.Allows(rel.Version) {
			continue
		}
		if as := rel.Usable(v.p, catalog.Kinds(catalog.KindWheel)); len(as) > 0 {
			return seed{version: rel.Version, art: as[0]}, true
		}
	}
	return seed{}, false
}

// atHand says whether the catalog's wheel can be had without its
// origin: from the download cache, or from a mirror (a folder holding it
// by name, or a mirror URL).
func (v *Venv) atHand(sys system.System, a catalog.Artifact) bool {
	if v.p.Dirs.Cache != "" {
		if _, err := sys.Stat(v.j.join(v.p.Dirs.Cache, "sha256", a.SHA256)); err == nil {
			return true
		}
	}
	for _, m := range v.opts.Mirrors {
		if isURL(m) {
			return true
		}
		if _, err := sys.Stat(v.j.join(m, a.Filename)); err == nil {
			return true
		}
	}
	return false
}

// seedMu keeps two venvs of one apply from unpacking the same wheel at
// once (the apply lock keeps other envups out).
var seedMu sync.Mutex

// prepare downloads the wheel (verified) and unpacks it once into
// DATA/pip/VERSION/run, with the wheel itself linked beside it in
// DATA/pip/VERSION/wheels. An unpacked folder is whole or absent
// (Extract renames a staging folder into place).
func (v *Venv) prepare(ctx context.Context, sys system.System, s seed) (*seeded, error) {
	file := s.art.URL
	if !s.local {
		var err error
		if file, err = sys.Download(ctx, s.art.URL, s.art.SHA256); err != nil {
			return nil, err
		}
	}
	// Named by version and digest: a wheelhouse's pip X is not
	// necessarily the catalog's.
	dir := v.j.join(v.p.Dirs.Data, "pip", s.version+"-"+s.art.SHA256[:12])
	out := &seeded{seed: s, runner: v.j.join(dir, "run"), wheels: v.j.join(dir, "wheels")}
	seedMu.Lock()
	defer seedMu.Unlock()
	if _, err := sys.Stat(v.j.join(out.runner, "pip", "__pip-runner__.py")); err != nil {
		if err := sys.RemoveAll(out.runner); err != nil {
			return nil, err
		}
		if err := sys.Extract(ctx, file, out.runner, 0); err != nil {
			return nil, err
		}
	}
	if s.local {
		out.wheels = v.j.dir(file)
		return out, nil
	}
	wheel := v.j.join(out.wheels, s.art.Filename)
	if _, err := sys.Stat(wheel); err != nil {
		if err := sys.MkdirAll(out.wheels, 0o755); err != nil {
			return nil, err
		}
		if err := sys.Link(file, wheel); err != nil {
			return nil, fmt.Errorf("link %s: %w", wheel, err)
		}
	}
	return out, nil
}

// seedOrFallBack prepares the seed for a venv on base, or says why the
// venv is made with ensurepip instead: a wheel that cannot be fetched
// (no network, no mirror) falls back; one whose bytes are not the
// pinned ones stops the apply.
func (v *Venv) seedOrFallBack(ctx context.Context, sys system.System, base *BaseInfo) (*seeded, error) {
	s, ok := v.seedFor(sys, base)
	if !ok {
		return nil, nil
	}
	out, err := v.prepare(ctx, sys, s)
	if err == nil {
		// bin/pythonX.Y on POSIX, as venv runs ensurepip: pip writes it
		// into bin/pip's first line.
		out.python = v.j.python(v.path)
		if minor := minorOf(base.Version); minor != "" && !v.j.windows {
			out.python = v.j.join(v.path, "bin", "python"+minor)
		}
		return out, nil
	}
	var digest *fetch.DigestError
	if errors.As(err, &digest) || ctx.Err() != nil {
		return nil, fmt.Errorf("pip %s: %w", s.version, err)
	}
	v.say("%s: pip %s: %v: the venv gets its pip from ensurepip", v.ID(), s.version, err)
	return nil, nil
}
