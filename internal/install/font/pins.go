package font

import (
	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

var _ install.Pinner[*State] = (*Font)(nil)

// Pins is the font's download; a font from a file beside the recipe has
// none (a bundle carries the file itself).
func (r *Font) Pins(_ system.System, _ *State) install.Pinned {
	if r.url == "" {
		return install.Pinned{}
	}
	return install.Pinned{Artifacts: []install.Artifact{{Name: fetch.BaseName(r.url), URL: r.url, SHA256: r.sha256}}}
}
