//go:build ansible

package ansible

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/mirror"
)

// labRecipe is the recipe every seat applies: a venv whose wheels come
// from the controller's mirror (the role passes --mirror and --offline),
// a real font beside the recipe, VS Code settings and two files.
const labRecipe = `envup: 1
name: tuesday-lab
interpreters:
  python: {version: "3.11", sources: [system]}
virtualenvs:
  lab:
    path: ~/envs/lab
    packages: [seatbook, "tinymath==0.3.1"]
fonts:
  DejaVu Sans: {path: fonts/DejaVuSans.ttf}
editors:
  vscode:
    settings: {"editor.fontFamily": "DejaVu Sans", "editor.fontSize": 14}
files:
  ~/lab/README.txt: {content: "Tuesday lab: run seats.py\n"}
  ~/lab/seats.py: {source: demos/seats.py, mode: "0644"}
`

// writeLab writes the lab's recipe folder into dir, with the font (a
// copy of Debian's fonts-dejavu-core file) and returns dir.
func writeLab(t *testing.T, dir, font string) string {
	t.Helper()
	writeFile(t, filepath.Join(dir, "lab.yml"), labRecipe, 0o644)
	writeFile(t, filepath.Join(dir, "demos", "seats.py"), "from seatbook import sell\nprint(sell(list(range(30)), 3))\n", 0o644)
	data, err := os.ReadFile(font)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "fonts", filepath.Base(font)), string(data), 0o644)
	return dir
}

// buildWheel writes a one-module project and builds its wheel into dir
// with Debian's python3.11, pip, setuptools and wheel, offline (as
// e2e/venv_test.go does).
func buildWheel(t *testing.T, dir, name, version string) {
	t.Helper()
	src := t.TempDir()
	writeFile(t, filepath.Join(src, "pyproject.toml"), "[build-system]\nrequires = [\"setuptools\", \"wheel\"]\nbuild-backend = \"setuptools.build_meta\"\n", 0o644)
	writeFile(t, filepath.Join(src, "setup.py"), "from setuptools import setup\nsetup(name='"+name+"', version='"+version+"', py_modules=['"+name+"'])\n", 0o644)
	writeFile(t, filepath.Join(src, name+".py"), "VERSION = '"+version+"'\n", 0o644)
	cmd := exec.CommandContext(t.Context(), "/usr/bin/python3.11", "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index", "--wheel-dir", dir, src)
	cmd.Env = append(os.Environ(), "PIP_DISABLE_PIP_VERSION_CHECK=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pip wheel %s: %v\n%s", name, err, out)
	}
}

// indexWheels lists dir's wheels in its index.json as a virtualenv's
// files, as envup fetch would, so envup serve puts them on the page pip
// reads.
func indexWheels(t *testing.T, dir string) {
	t.Helper()
	wheels, err := filepath.Glob(filepath.Join(dir, "*.whl"))
	if err != nil || len(wheels) == 0 {
		t.Fatalf("no wheels in %s: %v", dir, err)
	}
	var ix mirror.Index
	for _, w := range wheels {
		sum, err := fetch.FileSum(w)
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(w)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(w)
		if err := ix.Add(mirror.IndexFile{Name: name, URL: "wheelhouse/" + name, SHA256: sum, Size: info.Size(),
			Platforms: []string{"linux/debian/12/amd64"}, Kinds: []string{"virtualenv"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Write(dir); err != nil {
		t.Fatal(err)
	}
}
