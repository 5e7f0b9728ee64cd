package source

import (
	"encoding/json"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

// MarkerName is the file that says an install under the data dir is
// whole. A prefix without it is what a killed apply left, and is ignored.
const MarkerName = ".envup-install.json"

// Marker is what the marker file holds. The tool's name is under "tool"
// for interpreters and "kind" for services, as their first installs
// wrote it.
type Marker struct {
	Tool      string    `json:"tool,omitempty"`
	Kind      string    `json:"kind,omitempty"`
	Version   string    `json:"version"`
	Source    string    `json:"source"`
	URL       string    `json:"url,omitempty"`
	SHA256    string    `json:"sha256,omitempty"`
	Flags     []string  `json:"flags,omitempty"` // make's flags, for a build
	Installed time.Time `json:"installed"`
}

// MarkerPath is the marker file of the install at prefix on p.
func MarkerPath(p detect.Platform, prefix string) string { return p.Join(prefix, MarkerName) }

// WriteMarker marks the install at prefix on p whole.
func WriteMarker(sys system.System, p detect.Platform, prefix string, m Marker) error {
	m.Installed = time.Now().UTC()
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return sys.WriteFile(MarkerPath(p, prefix), append(data, '\n'), 0o644)
}

// Finished is the intent of the step that makes the install have on p, of the
// resource id, whole (its marker written in place, or its staged tree
// renamed there): once the marker exists the install is done, and it
// gives have's program.
func Finished(id install.ID, p detect.Platform, have *Found) system.Intent {
	return system.Intent{Done: MarkerPath(p, have.Prefix), Produces: system.Product{Resource: id.String(), Path: have.Path}}
}

// Mark marks the install at prefix whole, under the Kind's name.
func (e *Install) Mark(sys system.System, prefix string, m Marker) error {
	m.Tool, m.Kind = "", ""
	if e.Kind.Marker == "kind" {
		m.Kind = e.Kind.Name
	} else {
		m.Tool = e.Kind.Name
	}
	return WriteMarker(sys, e.P, prefix, m)
}

func (e *Install) marks(m Marker) bool {
	if e.Kind.Marker == "kind" {
		return m.Kind == e.Kind.Name
	}
	return m.Tool == e.Kind.Name
}

// Prefix is where envup installs a version: <data>/<tool>/<version>.
func (e *Install) Prefix(version string) string {
	return e.P.Join(e.P.Dirs.Data, e.Kind.Name, version)
}

// Installed is the newest whole envup install that satisfies the recipe:
// it reads one marker per version folder and runs nothing.
func (e *Install) Installed(sys system.System) *Found {
	root := e.P.Join(e.P.Dirs.Data, e.Kind.Name)
	entries, err := sys.ReadDir(root)
	if err != nil {
		return nil
	}
	var (
		best  *Found
		bestV *version.Version
	)
	for _, d := range entries {
		if !d.IsDir() || isStage(d.Name()) {
			continue
		}
		prefix := e.P.Join(root, d.Name())
		data, err := sys.ReadFile(MarkerPath(e.P, prefix))
		if err != nil {
			continue
		}
		var m Marker
		if json.Unmarshal(data, &m) != nil || !e.marks(m) || !e.C.Check(m.Version) {
			continue
		}
		v, err := version.NewVersion(m.Version)
		if err != nil || (bestV != nil && !v.GreaterThan(bestV)) {
			continue
		}
		best, bestV = e.Kind.Layout(prefix, m.Version), v
	}
	return best
}
