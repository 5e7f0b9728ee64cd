package venv

import (
	"fmt"

	"github.com/envup/envup/internal/system"
)

// Seen is a venv as found on disk, whether or not a recipe names it: what
// `envup snapshot` records.
type Seen struct {
	Config   Config            // its pyvenv.cfg
	Packages map[string]string // every distribution in the venv itself: normalised name → version
}

// Inspect reads the venv at path the way Observe does, without a recipe:
// pyvenv.cfg and the METADATA of every installed distribution, spawning
// nothing. ok is false when path holds no pyvenv.cfg (not a venv, or not
// there). windows says which layout to read (Lib\site-packages or
// lib/pythonX.Y/site-packages).
func Inspect(sys system.System, path string, windows bool) (seen Seen, ok bool, err error) {
	j := joiner{windows: windows}
	data, err := sys.ReadFile(j.join(path, "pyvenv.cfg"))
	if err != nil {
		if isNotExist(err) {
			return Seen{}, false, nil
		}
		return Seen{}, false, fmt.Errorf("read pyvenv.cfg: %w", err)
	}
	seen.Config = ParseConfig(data)
	dists := map[string]*Dist{}
	for _, site := range j.sitePackages(sys, path, minorOf(seen.Config.Version)) {
		readSite(sys, site, j, dists)
	}
	seen.Packages = versions(dists)
	return seen, true, nil
}
