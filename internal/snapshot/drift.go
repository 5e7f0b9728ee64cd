package snapshot

import (
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/kinds"
	"github.com/envup/envup/internal/recipe"
)

// Section is the diff section a resource's ID falls in, as its kind
// registers it ("" for a kind a snapshot does not record).
func Section(id install.ID) string {
	k, _ := kinds.Named(id.Kind)
	return k.Section()
}

// Drift is how this machine, here, differs from what r wants on p, in
// the sections named only: `envup check` shows it for the kinds of
// resource its plan finds not yet as the recipe wants (a snapshot lists
// only the OS packages installed on purpose, so a package pulled in as a
// dependency would otherwise read as missing).
func Drift(here *Snapshot, r *recipe.Recipe, p detect.Platform, in map[string]bool) (*Result, error) {
	want, err := RecipeSide(r, p)
	if err != nil {
		return nil, err
	}
	res, err := Diff(SnapshotSide("here", "here", here), want, nil)
	if err != nil {
		return nil, err
	}
	res.Keep(func(d Delta) bool {
		section, _, _ := strings.Cut(d.Path, "/")
		return in[section]
	})
	return res, nil
}
