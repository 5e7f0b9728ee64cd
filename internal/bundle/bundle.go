// Package bundle is one tar for a USB stick: a recipe's folder, its lock
// and a mirror of every file the lock names (`envup bundle`), and the
// other end, unpacking it once into the cache for `envup apply lab.tar`.
package bundle

import (
	"path/filepath"
	"strings"
)

// Manifest is envup-bundle.json at the top of a bundle.
type Manifest struct {
	Envup     int      `json:"envup_bundle"` // 1
	Recipe    string   `json:"recipe"`       // the recipe, relative to the bundle's top
	Mirror    string   `json:"mirror"`       // the mirror folder, relative to the bundle's top
	Platforms []string `json:"platforms"`    // what it was made for
}

// ManifestName is the manifest's name at the top of a bundle.
const ManifestName = "envup-bundle.json"

// Is says whether path names a bundle: apply knows one by .tar.
func Is(path string) bool { return strings.HasSuffix(strings.ToLower(path), ".tar") }

// inside says whether a manifest path stays inside the bundle.
func inside(rel string) bool {
	return rel != "" && filepath.IsLocal(filepath.FromSlash(rel))
}
