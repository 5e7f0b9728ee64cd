package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/envup/envup/internal/fetch"
)

// Opened is a bundle unpacked: where its recipe and its mirror are.
type Opened struct {
	Recipe   string // the recipe's path in the unpacked bundle
	Mirror   string // the mirror folder's path in it
	Manifest Manifest
}

// Open unpacks the bundle at path once into cacheDir/bundles/<sha256>
// (a temporary folder when foreign: planning for another platform, whose
// cache is not this machine's) and reads its manifest.
func Open(path, cacheDir string, foreign bool) (*Opened, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	_, err = io.Copy(h, f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	dir := filepath.Join(cacheDir, "bundles", hex.EncodeToString(h.Sum(nil))[:16])
	if foreign {
		tmp, err := os.MkdirTemp("", "envup-bundle-")
		if err != nil {
			return nil, err
		}
		dir = filepath.Join(tmp, "b")
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestName)); err != nil {
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return nil, err
		}
		if err := fetch.Extract(path, dir, fetch.ExtractOptions{}); err != nil {
			return nil, fmt.Errorf("%s: not a bundle envup can open: %w", path, err)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, fmt.Errorf("%s: not an envup bundle (no %s inside)", path, ManifestName)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil || m.Envup != 1 || !inside(m.Recipe) || !inside(m.Mirror) {
		return nil, fmt.Errorf("%s: %s: not a bundle this envup reads", path, ManifestName)
	}
	return &Opened{
		Recipe:   filepath.Join(dir, filepath.FromSlash(m.Recipe)),
		Mirror:   filepath.Join(dir, filepath.FromSlash(m.Mirror)),
		Manifest: m,
	}, nil
}
