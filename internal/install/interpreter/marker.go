package interpreter

import (
	"encoding/json"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// markerName is the file that says an install under the data dir is
// whole. A prefix without it is what a killed apply left, and is ignored.
const markerName = ".envup-install.json"

type marker struct {
	Tool      string    `json:"tool"`
	Version   string    `json:"version"`
	Source    string    `json:"source"`
	URL       string    `json:"url,omitempty"`
	SHA256    string    `json:"sha256,omitempty"`
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

// installed is the newest whole envup install that satisfies the recipe:
// it reads one marker per version directory and runs nothing.
func (r *Interpreter) installed(sys system.System) *Found {
	entries, err := sys.ReadDir(detect.Join(r.p.Dirs.Data, r.tool.name))
	if err != nil {
		return nil
	}
	var best *Found
	var bestV *version.Version
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		prefix := detect.Join(r.p.Dirs.Data, r.tool.name, e.Name())
		data, err := sys.ReadFile(markerPath(prefix))
		if err != nil {
			continue
		}
		var m marker
		if json.Unmarshal(data, &m) != nil || m.Tool != r.tool.name || !r.c.Check(m.Version) {
			continue
		}
		v, err := version.NewVersion(m.Version)
		if err != nil || (bestV != nil && !v.GreaterThan(bestV)) {
			continue
		}
		best, bestV = r.found(prefix, m.Version), v
	}
	return best
}
