package venv

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

const realPython = "/usr/bin/python3.11"

// counting is the real host's commands, run and logged through a
// systemtest host: the test counts the programs started.
func counting(t *testing.T) *systemtest.System {
	sys, real := systemtest.New(t), system.NewReal()
	sys.AllowAny(systemtest.Query).Func(real.Query)
	sys.AllowAny(systemtest.Run).Func(real.Run)
	return sys
}

// TestRealVenv makes a venv with Debian's python3.11 and installs a wheel
// written here into it, offline, then bumps it; every Observe after an
// apply is empty and starts no program.
func TestRealVenv(t *testing.T) {
	if testing.Short() {
		t.Skip("makes a real venv")
	}
	if _, err := os.Stat(realPython); err != nil {
		t.Skipf("no %s", realPython)
	}
	out, err := exec.Command(realPython, "-c", "import venv, ensurepip, platform; print(platform.python_version())").Output()
	if err != nil {
		t.Skipf("%s has no venv or ensurepip: %v", realPython, err)
	}
	version := strings.TrimSpace(string(out))
	t.Parallel()

	dir := t.TempDir()
	wheels := filepath.Join(dir, "recipe", "wheels")
	for _, v := range []string{"1.0", "2.0"} {
		writeWheel(t, wheels, "tinypkg", v)
	}
	base := fakeBase{path: realPython, version: version, ok: true}
	p := detect.Platform{OS: "linux", Arch: "amd64", Home: dir}
	newVenv := func(pkg string) *Venv {
		v, err := New("real", &recipe.Virtualenv{
			Path: filepath.Join(dir, "venv"), Offline: true, FindLinks: []string{"wheels"}, Packages: []string{pkg},
		}, filepath.Join(dir, "recipe"), base, p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	sys := counting(t)
	var runs []string // what the last apply ran
	converge := func(v *Venv, want []string) {
		t.Helper()
		o, err := v.Observe(t.Context(), sys)
		if err != nil {
			t.Fatal(err)
		}
		if got := changes(v, o); !slices.Equal(got, want) {
			t.Fatalf("Diff = %q, want %q", got, want)
		}
		before := len(sys.Log(systemtest.Run))
		if err := v.Apply(t.Context(), sys, o); err != nil {
			t.Fatal(err)
		}
		runs = sys.Log(systemtest.Run)[before:]
		spawned := len(sys.Ran())
		o, err = v.Observe(t.Context(), sys)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.Diff(o); len(got) != 0 {
			t.Errorf("after apply, Diff = %v", got)
		}
		if n := len(sys.Ran()) - spawned; n != 0 {
			t.Errorf("Observe started %d programs", n)
		}
	}

	v1 := newVenv("tinypkg==1.0")
	converge(v1, []string{"+ venv: new, on python " + version + " (" + realPython + ")", "+ tinypkg: not installed"})
	if len(runs) != 2 {
		t.Errorf("runs: %q", runs)
	}
	v2 := newVenv("tinypkg>=2")
	converge(v2, []string{"~ tinypkg: 1.0 installed, want >=2"})
	wantRun := system.Quote([]string{v2.Python(), "-m", "pip", "install", "--no-index", "--find-links", wheels, "tinypkg>=2"})
	if !slices.Equal(runs, []string{wantRun}) {
		t.Errorf("runs:\n got %q\nwant %q", runs, wantRun)
	}
	got, err := exec.Command(v2.Python(), "-c", "import tinypkg; print(tinypkg.VERSION)").Output()
	if err != nil || strings.TrimSpace(string(got)) != "2.0" {
		t.Errorf("import tinypkg: %q, %v", got, err)
	}
}

// writeWheel writes a valid pure-Python wheel: a module and the
// dist-info's METADATA, WHEEL and RECORD (with each file's sha256).
func writeWheel(t testing.TB, dir, name, version string) string {
	t.Helper()
	info := name + "-" + version + ".dist-info/"
	files := []struct{ name, body string }{
		{name + "/__init__.py", fmt.Sprintf("VERSION = %q\n", version)},
		{info + "METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\nSummary: a wheel envup's tests write\n"},
		{info + "WHEEL", "Wheel-Version: 1.0\nGenerator: envup-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var record strings.Builder
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(f.body))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", f.name, base64.RawURLEncoding.EncodeToString(sum[:]), len(f.body))
	}
	record.WriteString(info + "RECORD,,\n")
	w, err := zw.Create(info + "RECORD")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(record.String())); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+"-"+version+"-py3-none-any.whl")
	mustWrite(t, path, buf.String())
	return path
}
