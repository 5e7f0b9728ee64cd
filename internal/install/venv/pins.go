package venv

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"slices"
	"strings"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

var _ install.Pinner[*State] = (*Venv)(nil)

// Pins are the wheels and sdists in the recipe's own find_links folders
// (a wheelhouse): what an offline install takes its packages from. Each
// is named by its path relative to the recipe's folder when it lies
// there, so a lock reads the same on every machine. An index is not
// asked: nothing here reaches PyPI; a venv that installs from one says
// so in Open. The catalog's pip wheel the venv is seeded from is
// pinned too, as optional (pinPip).
func (v *Venv) Pins(sys system.System, st *State) install.Pinned {
	var p install.Pinned
	for _, dir := range v.spec.FindLinks {
		dir = localOrURL(dir, v.recipeDir)
		if isURL(dir) {
			continue
		}
		entries, err := sys.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			n := e.Name()
			if e.IsDir() || !(strings.HasSuffix(n, ".whl") || strings.HasSuffix(n, ".tar.gz") || strings.HasSuffix(n, ".zip")) {
				continue
			}
			file := filepath.Join(dir, n)
			data, err := sys.ReadFile(file)
			if err != nil {
				continue
			}
			sum := sha256.Sum256(data)
			where := file
			if rel, err := filepath.Rel(v.recipeDir, file); err == nil && !strings.HasPrefix(rel, "..") {
				where = filepath.ToSlash(rel)
			}
			p.Artifacts = append(p.Artifacts, install.Artifact{Name: n, URL: where, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))})
		}
	}
	if a, ok := v.pinPip(sys, st); ok {
		p.Artifacts = append(p.Artifacts, a)
	}
	slices.SortFunc(p.Artifacts, func(a, b install.Artifact) int { return strings.Compare(a.Name, b.Name) })
	if !slices.ContainsFunc(p.Artifacts, func(a install.Artifact) bool { return !a.Optional }) && !v.spec.Offline && !v.opts.Offline && (len(v.packages) > 0 || len(v.spec.Requirements) > 0) {
		p.Open = "its packages come from an index, which a lock does not pin (give it a find_links wheelhouse and offline: true)"
	}
	return p
}

// pinPip is the catalog's pip wheel a venv is seeded from (seedFor), as
// an optional file: for a venv that can be seeded (seedable: the lock is
// made before the interpreter is), when the recipe's wheelhouse has no
// pip wheel the recipe's pip pin allows. Without it a seat seeds from
// the pip wheel its python bundles.
func (v *Venv) pinPip(sys system.System, st *State) (install.Artifact, bool) {
	version := ""
	if st != nil && st.Base != nil {
		version = st.Base.Version
	}
	if !seedable(version) {
		return install.Artifact{}, false
	}
	var own []string // the recipe's folders, not a mirror given to this run
	for _, dir := range v.spec.FindLinks {
		own = append(own, localOrURL(dir, v.recipeDir))
	}
	if _, _, _, ok := v.pipWheel(sys, own); ok { // found, not read: the loop above hashed it
		return install.Artifact{}, false
	}
	s, ok := v.catalogPip()
	if !ok {
		return install.Artifact{}, false
	}
	return install.Artifact{Name: s.art.Filename, URL: s.art.URL, SHA256: s.art.SHA256,
		Optional: true, Instead: "a venv gets the pip its python bundles, as with no lock"}, true
}
