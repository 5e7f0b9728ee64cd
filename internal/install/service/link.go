package service

import (
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install/bindir"
	"github.com/envup/envup/internal/system"
)

// links are the bin entries an envup install gets: the server and its
// cli. A system install gets none: its programs are on the PATH already.
func (s *Service) links(f *Found) []bindir.Link {
	if f == nil || f.Origin != "envup" {
		return nil
	}
	var out []bindir.Link
	for _, target := range []string{f.Path, f.CLI} {
		out = append(out, bindir.Entry(s.p, strings.TrimSuffix(detect.Base(target), ".exe"), target))
	}
	return out
}

// missingLinks are the links that are absent or point elsewhere.
func (s *Service) missingLinks(sys system.System, f *Found) []bindir.Link {
	return bindir.Missing(sys, s.p, s.links(f))
}

// link makes the missing links, never over an entry envup did not make.
func (s *Service) link(sys system.System, f *Found) error {
	return bindir.Make(sys, s.p, s.opts.Launcher, s.links(f), "")
}
