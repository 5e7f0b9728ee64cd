package venv

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/envup/envup/internal/system"
)

// Inspect reads a venv laid out as on Debian from real pyvenv.cfg and
// METADATA files; a folder without pyvenv.cfg is not a venv.
func TestInspect(t *testing.T) {
	put := func(dst, src string) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join("testdata", src))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	posix := t.TempDir()
	put(filepath.Join(posix, "pyvenv.cfg"), "pyvenv/venv-3.11-debian.cfg")
	site := filepath.Join(posix, "lib", "python3.11", "site-packages")
	put(filepath.Join(site, "requests-2.34.2.dist-info", "METADATA"), "metadata/requests-2.34.2.METADATA")
	put(filepath.Join(site, "PyYAML-6.0.dist-info", "METADATA"), "metadata/PyYAML-6.0.METADATA")
	put(filepath.Join(site, "toml-0.10.2.egg-info", "PKG-INFO"), "metadata/toml-0.10.2.PKG-INFO")

	seen, ok, err := ReadAt(system.NewReal(), posix, false)
	if err != nil || !ok {
		t.Fatalf("Inspect: %v, %v", ok, err)
	}
	if seen.Config.Version != "3.11.2" || seen.Config.Tool != "venv" {
		t.Errorf("config %+v", seen.Config)
	}
	want := map[string]string{"requests": "2.34.2", "pyyaml": "6.0", "toml": "0.10.2"}
	if !reflect.DeepEqual(seen.Packages, want) {
		t.Errorf("packages %v, want %v", seen.Packages, want)
	}

	if _, ok, err := ReadAt(system.NewReal(), t.TempDir(), false); ok || err != nil {
		t.Errorf("an empty folder is a venv: %v, %v", ok, err)
	}
}
