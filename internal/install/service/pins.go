package service

import (
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

var _ install.Pinner = (*Service)(nil)

// Pins is the version the first usable source installs and the files of
// every source that installs that same version (the Windows port's zip,
// the source tarball), so an offline apply from a mirror can fall back
// too. A system package has no file to pin.
func (s *Service) Pins(_ system.System, o install.Observed) install.Pinned {
	st, ok := o.(*State)
	if !ok || len(st.Plan) == 0 {
		return install.Pinned{}
	}
	version := st.Plan[0].version
	p := install.Pinned{Version: version}
	for _, ch := range st.Plan {
		if ch.version != version {
			continue
		}
		for _, a := range ch.artifacts {
			p.Artifacts = append(p.Artifacts, install.Artifact{Name: a.Filename, URL: a.URL, SHA256: a.SHA256})
		}
	}
	return p
}
