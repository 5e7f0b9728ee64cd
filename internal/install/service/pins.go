package service

import (
	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

var _ install.Pinner = (*Service)(nil)

// Pins is install.PinPlan of the sources that can install the server
// (the Windows port's zip, the source tarball, the system's package).
func (s *Service) Pins(_ system.System, o install.Observed) install.Pinned {
	st, ok := o.(*State)
	if !ok {
		return install.Pinned{}
	}
	return install.PinPlan(st.Plan, func(ch choice) (string, []catalog.Artifact) { return ch.version, ch.artifacts })
}
