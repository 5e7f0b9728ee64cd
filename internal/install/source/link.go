package source

import (
	"github.com/envup/envup/internal/install/bindir"
	"github.com/envup/envup/internal/system"
)

// Links are the bin entries an envup install gets. One found elsewhere
// gets none: its programs are on the PATH already.
func (e *Install) Links(f *Found) []bindir.Link {
	if f == nil || f.Origin != "envup" {
		return nil
	}
	var out []bindir.Link
	for _, pr := range e.Kind.Programs(f) {
		out = append(out, bindir.Entry(e.P, pr.Name, pr.Target, pr.Args...))
	}
	return out
}

// MissingLinks are the links that are absent or point elsewhere.
func (e *Install) MissingLinks(sys system.System, f *Found) []bindir.Link {
	return bindir.Missing(sys, e.P, e.Links(f))
}

// Link makes the missing links, never over an entry envup did not make.
func (e *Install) Link(sys system.System, f *Found) error {
	return bindir.Make(sys, e.P, e.Opts.Launcher, e.Links(f), e.Kind.LinkHint)
}
