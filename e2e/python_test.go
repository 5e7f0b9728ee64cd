//go:build e2e

package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pythonSource is Debian's python3.11 orig tarball, byte for byte the
// Python-3.11.2.tgz that python.org serves (the catalog pins its digest).
const pythonSource = "python3.11=3.11.2-6+deb12u8"

// TestPythonBuildFromMirrorThenArchive builds a real CPython 3.11.2 from
// its real source tarball, served through an envup mirror folder with
// --offline; checks its health; applies again (nothing happens); then
// packs the install in python-build-standalone's layout and installs that
// archive into a second ENVUP_HOME with sources: [archive].
func TestPythonBuildFromMirrorThenArchive(t *testing.T) {
	m := newMachine(t)
	mirror := t.TempDir()
	fetchDebianSource(t, mirror)

	envupHome := filepath.Join(m.home, ".envup")
	recipe := filepath.Join(t.TempDir(), "python.yml")
	writeFile(t, recipe, `envup: 1
name: python-from-source
packages:
  python-build:
    apt: [build-essential, libssl-dev, zlib1g-dev, libbz2-dev, libffi-dev, libsqlite3-dev, liblzma-dev, libreadline-dev, libncurses-dev, uuid-dev]
interpreters:
  python:
    version: "3.11.2"
    sources: [build]
    default: true
checks:
  - name: python 3.11.2 runs with ssl and sqlite3
    run: ["`+envupHome+`/bin/python3", -c, "import ssl, sqlite3, sys; print(sys.version.split()[0])"]
    expect: "3.11.2"
`)
	out := m.envup(0, "plan", "--mirror", mirror, "--offline", recipe)
	if !strings.Contains(out, "+ interpreter/python  python 3.11.2: built from source Python-3.11.2.tar.xz") {
		t.Errorf("plan does not say it builds 3.11.2:\n%s", out)
	}
	start := time.Now()
	out = m.envup(0, "apply", "--mirror", mirror, "--offline", recipe)
	t.Logf("build apply took %s", time.Since(start).Round(time.Second))
	if !strings.Contains(out, "ok   python 3.11.2 runs with ssl and sqlite3") {
		t.Fatalf("the built python does not pass its check:\n%s", out)
	}
	prefix := filepath.Join(envupHome, "data", "python", "3.11.2")
	if _, err := os.Stat(filepath.Join(prefix, ".envup-install.json")); err != nil {
		t.Fatalf("no install marker: %v", err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(envupHome, "data", "build", "*")); len(leftovers) > 0 {
		t.Errorf("the build left its work tree: %v", leftovers)
	}

	out = m.envup(0, "apply", "--mirror", mirror, "--offline", recipe)
	if !strings.Contains(out, "Nothing to change") || strings.Contains(out, "applying") {
		t.Errorf("second apply changed something:\n%s", out)
	}

	// Pack the install the way python-build-standalone lays out its
	// archives (one top folder python/) and install it elsewhere.
	archive := filepath.Join(mirror, "cpython-3.11.2-envup-repack.tar.gz")
	run(t, "tar", "-C", filepath.Dir(prefix), "--transform", "s,^3.11.2,python,", "--exclude", ".envup-install.json", "-czf", archive, "3.11.2")
	sum := fileSHA256(t, archive)

	second := &machine{t: t, home: t.TempDir()}
	secondHome := filepath.Join(second.home, ".envup")
	recipe2 := filepath.Join(t.TempDir(), "archive.yml")
	writeFile(t, recipe2, `envup: 1
interpreters:
  python:
    version: "3.11.2"
    sources: [archive]
    default: true
    archive: {url: "https://builds.example.org/cpython-3.11.2-envup-repack.tar.gz", sha256: `+sum+`}
checks:
  - name: the archived python runs
    run: ["`+secondHome+`/bin/python3.11", -c, "import ssl, lzma, venv; print('ok')"]
    expect: ok
`)
	start = time.Now()
	out = second.envup(0, "apply", "--mirror", mirror, "--offline", recipe2)
	t.Logf("archive apply took %s", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(out, "ok   the archived python runs") {
		t.Fatalf("the archive install does not run:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(secondHome, "data", "python", "3.11.2", "bin", "python3.11")); err != nil {
		t.Fatalf("archive not installed under the second ENVUP_HOME: %v", err)
	}
	out = second.envup(0, "apply", "--mirror", mirror, "--offline", recipe2)
	if !strings.Contains(out, "Nothing to change") {
		t.Errorf("second archive apply changed something:\n%s", out)
	}
}

// fetchDebianSource puts Python-3.11.2.tgz into dir, from Debian's
// source package (deb-src must be configured: .ci/run does it).
func fetchDebianSource(t *testing.T, dir string) {
	t.Helper()
	work := t.TempDir()
	cmd := exec.CommandContext(t.Context(), "apt-get", "source", "--download-only", pythonSource)
	cmd.Dir = work
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("apt-get source: %v\n%s", err, out)
	}
	orig := filepath.Join(work, "python3.11_3.11.2.orig.tar.gz")
	if got := fileSHA256(t, orig); got != "2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849" {
		t.Fatalf("Debian's orig tarball has sha256 %s, not python.org's", got)
	}
	if err := os.Rename(orig, filepath.Join(dir, "Python-3.11.2.tgz")); err != nil {
		t.Fatal(err)
	}
}

func fileSHA256(t *testing.T, name string) string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}
