package bundle

import (
	"archive/tar"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTar(t *testing.T, files map[string]string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "lab.tar")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(f)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOpen(t *testing.T) {
	t.Parallel()
	path := writeTar(t, map[string]string{
		ManifestName:        `{"envup_bundle": 1, "recipe": "recipe/lab.yml", "mirror": "mirror", "platforms": ["linux/debian/12/amd64"]}`,
		"recipe/lab.yml":    "name: lab\n",
		"mirror/index.json": "{}\n",
	})
	cache := t.TempDir()
	b, err := Open(path, cache, false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.Recipe, filepath.Join(cache, "bundles")) || filepath.Base(b.Recipe) != "lab.yml" {
		t.Errorf("Recipe = %s", b.Recipe)
	}
	if _, err := os.Stat(b.Mirror); err != nil {
		t.Errorf("Mirror: %v", err)
	}
	// Opened again: the unpacked copy is used.
	again, err := Open(path, cache, false)
	if err != nil || again.Recipe != b.Recipe {
		t.Errorf("Open again = %v, %v", again, err)
	}
}

// A manifest that points outside the bundle is refused.
func TestOpenRefusesEscape(t *testing.T) {
	t.Parallel()
	path := writeTar(t, map[string]string{
		ManifestName: `{"envup_bundle": 1, "recipe": "../lab.yml", "mirror": "mirror"}`,
	})
	if _, err := Open(path, t.TempDir(), false); err == nil || !strings.Contains(err.Error(), "not a bundle this envup reads") {
		t.Errorf("Open = %v", err)
	}
}

func TestIs(t *testing.T) {
	t.Parallel()
	if !Is("LAB.TAR") || Is("lab.yml") {
		t.Error("Is: a bundle is known by .tar")
	}
}
