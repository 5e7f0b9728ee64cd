package snapshot

import (
	"cmp"
	"fmt"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
)

// Capture is a recipe that reproduces what a snapshot records, and the
// font files it needs beside it (install.Captured).
type Capture struct{ install.Captured }

// CaptureOptions choose what goes in.
type CaptureOptions struct {
	Name     string // the recipe's name
	Packages bool   // the OS packages the user installed, as one group
	Home     string // the home folder ~ stands for, where the fonts are read
}

// Capture writes s as a recipe, each kind of the registry adding what it
// recorded in the registry's order: exact interpreter versions, venvs
// with pinned packages, the services with their version, port and
// config, fonts as files beside the recipe, and editor settings.
func (s *Snapshot) Capture(opts CaptureOptions) *Capture {
	r := &recipe.Recipe{Envup: 1, Name: opts.Name}
	r.Description = fmt.Sprintf("Captured from %s (%s) on %s by envup capture.",
		cmp.Or(s.Host, "a machine"), s.Platform.String(), s.Taken.Format("2006-01-02"))
	c := &Capture{install.Captured{Recipe: r, Fonts: map[string]string{}, Home: s.Platform.Path(opts.Home), Packages: opts.Packages}}
	for _, part := range parts() {
		part.Capture(s.Parts[part.Section()], &c.Captured)
	}
	return c
}
