package interpreter

import (
	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

var _ install.Pinner = (*Interpreter)(nil)

// Pins is the version the first usable source installs and the files of
// every source that installs that same version (an archive, and the
// source tarball a fallback build would need when the catalog has both),
// so an offline apply from a mirror can fall back too. When the first
// source is the system's package manager, whose version the seat decides,
// no version is pinned and the files of the first source that downloads
// are kept for the fallback.
func (r *Interpreter) Pins(_ system.System, o install.Observed) install.Pinned {
	st, ok := o.(*State)
	if !ok {
		return install.Pinned{}
	}
	return install.PinPlan(st.Plan, func(ch choice) (string, []catalog.Artifact) { return ch.version, ch.artifacts })
}
