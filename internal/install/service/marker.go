package service

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// markerName is the file that says an install under the data dir is
// whole. A folder without it is what a killed apply left, and is ignored.
const markerName = ".envup-install.json"

// stageSuffix names the folder a build installs into before it is
// renamed into place.
const stageSuffix = ".envup-stage"

type marker struct {
	Kind      string    `json:"kind"`
	Version   string    `json:"version"`
	Source    string    `json:"source"`
	URL       string    `json:"url,omitempty"`
	SHA256    string    `json:"sha256,omitempty"`
	Flags     []string  `json:"flags,omitempty"` // make's flags, for a build
	Installed time.Time `json:"installed"`
}

func markerPath(prefix string) string { return detect.Join(prefix, markerName) }

func writeMarker(sys system.System, prefix string, m marker) error {
	m.Installed = time.Now().UTC()
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return sys.WriteFile(markerPath(prefix), append(data, '\n'), 0o644)
}

// prefix is where envup installs a version: <data>/<kind>/<version>.
func (s *Service) prefix(ver string) string {
	return detect.Join(s.p.Dirs.Data, s.kind.name, ver)
}

// installed is the newest whole envup install that satisfies the recipe:
// it reads one marker per version folder and runs nothing.
func (s *Service) installed(sys system.System) *Found {
	root := detect.Join(s.p.Dirs.Data, s.kind.name)
	entries, err := sys.ReadDir(root)
	if err != nil {
		return nil
	}
	var (
		best  *Found
		bestV *version.Version
	)
	for _, e := range entries {
		if !e.IsDir() || strings.HasSuffix(e.Name(), stageSuffix) {
			continue
		}
		prefix := detect.Join(root, e.Name())
		data, err := sys.ReadFile(markerPath(prefix))
		if err != nil {
			continue
		}
		var m marker
		if json.Unmarshal(data, &m) != nil || m.Kind != s.kind.name || !s.c.Check(m.Version) {
			continue
		}
		v, err := version.NewVersion(m.Version)
		if err != nil || (bestV != nil && !v.GreaterThan(bestV)) {
			continue
		}
		best, bestV = s.found(prefix, m.Version), v
	}
	return best
}

// found is envup's install of ver at prefix: the Windows ports keep their
// programs at the top of the folder, a build under bin/.
func (s *Service) found(prefix, ver string) *Found {
	bin := detect.Join(prefix, "bin")
	if s.p.OS == "windows" {
		bin = prefix
	}
	return &Found{
		Path:    detect.Join(bin, exe(s.kind.server, s.p.OS)),
		CLI:     detect.Join(bin, exe(s.kind.cli, s.p.OS)),
		Version: ver, Origin: "envup", Prefix: prefix,
	}
}
