package install

import (
	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/fetch"
)

// PinPlan pins the sources a resource would try, in order (each gives the
// version it installs and its files): the version is the first source's
// when that source downloads, and the files are those of every source
// that installs the first downloaded version, so an offline apply can
// fall back from an archive to a build. A first source that downloads
// nothing (the system's package manager, whose version the seat decides)
// pins no version.
func PinPlan[C any](plan []C, of func(C) (version string, files []catalog.Artifact)) Pinned {
	var p Pinned
	version := ""
	for i, ch := range plan {
		v, files := of(ch)
		if i == 0 && len(files) > 0 {
			p.Version = v
		}
		if len(files) == 0 {
			continue
		}
		if version == "" {
			version = v
		}
		if v != version {
			continue
		}
		for _, a := range files {
			p.Artifacts = append(p.Artifacts, Artifact{Name: fetch.BaseName(a.URL), URL: a.URL, SHA256: a.SHA256})
		}
	}
	return p
}
