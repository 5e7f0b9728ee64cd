package source

import (
	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/install"
)

// Pins is the version the first usable way installs and the files of
// every way that installs that same version (an archive, and the source
// tarball a fallback build would need when the catalog has both), so an
// offline apply from a mirror can fall back too. When the first way is
// the system's package manager, whose version the seat decides, no
// version is pinned and the files of the first way that downloads are
// kept for the fallback.
func Pins(plan []Choice) install.Pinned {
	return install.PinPlan(plan, func(ch Choice) (string, []catalog.Artifact) { return ch.Version, ch.Artifacts })
}
