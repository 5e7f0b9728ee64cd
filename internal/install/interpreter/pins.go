package interpreter

import (
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

var _ install.Pinner = (*Interpreter)(nil)

// Pins is the version the first usable source installs and the files of
// every source that installs that same version (an archive, then the
// source tarball a fallback build would need), so an offline apply from a
// mirror can fall back too. A system package has no file to pin.
func (r *Interpreter) Pins(_ system.System, o install.Observed) install.Pinned {
	st, ok := o.(*State)
	if !ok || len(st.Plan) == 0 {
		return install.Pinned{}
	}
	return pinsOf(st.Plan[0].version, st.Plan)
}

func pinsOf(version string, plan []choice) install.Pinned {
	p := install.Pinned{Version: version}
	for _, ch := range plan {
		if ch.version != version {
			continue
		}
		for _, a := range ch.artifacts {
			p.Artifacts = append(p.Artifacts, install.Artifact{Name: a.Filename, URL: a.URL, SHA256: a.SHA256})
		}
	}
	return p
}
