package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/fetch"
)

// bundleManifest is envup-bundle.json at the top of a bundle.
type bundleManifest struct {
	Envup     int      `json:"envup_bundle"` // 1
	Recipe    string   `json:"recipe"`       // the recipe, relative to the bundle's top
	Mirror    string   `json:"mirror"`       // the mirror folder, relative to the bundle's top
	Platforms []string `json:"platforms"`    // what it was made for
}

const bundleManifestName = "envup-bundle.json"

// unbundle turns `envup apply lab.tar` into an apply of the recipe inside
// it: the bundle is unpacked once into the cache (by its sha256) and its
// mirror is searched first, offline. Any other path is returned as is.
func (g *globals) unbundle(path string, p detect.Platform, flags *installFlags) (string, error) {
	if !strings.HasSuffix(strings.ToLower(path), ".tar") {
		return path, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	_, err = io.Copy(h, f)
	f.Close()
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	dir := filepath.Join(p.Dirs.Cache, "bundles", hex.EncodeToString(h.Sum(nil))[:16])
	if p.Foreign {
		// Planning for another platform: its cache is not this machine's.
		tmp, err := os.MkdirTemp("", "envup-bundle-")
		if err != nil {
			return "", err
		}
		dir = filepath.Join(tmp, "b")
	}
	if _, err := os.Stat(filepath.Join(dir, bundleManifestName)); err != nil {
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return "", err
		}
		if err := fetch.Extract(path, dir, fetch.ExtractOptions{}); err != nil {
			return "", fmt.Errorf("%s: not a bundle envup can open: %w", path, err)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, bundleManifestName))
	if err != nil {
		return "", fmt.Errorf("%s: not an envup bundle (no %s inside)", path, bundleManifestName)
	}
	var m bundleManifest
	if err := json.Unmarshal(data, &m); err != nil || m.Envup != 1 || !insideBundle(m.Recipe) || !insideBundle(m.Mirror) {
		return "", fmt.Errorf("%s: %s: not a bundle this envup reads", path, bundleManifestName)
	}
	flags.mirrors = append([]string{filepath.Join(dir, filepath.FromSlash(m.Mirror))}, flags.mirrors...)
	flags.offline = true
	fmt.Fprintf(g.stderr, "envup: applying %s from bundle %s (made for %s), offline\n", m.Recipe, path, strings.Join(m.Platforms, ", "))
	return filepath.Join(dir, filepath.FromSlash(m.Recipe)), nil
}

// insideBundle says whether a manifest path stays inside the bundle.
func insideBundle(rel string) bool {
	return rel != "" && filepath.IsLocal(filepath.FromSlash(rel))
}
