package venv

import (
	"crypto/sha256"
	"encoding/base64"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/recipe"
)

// pipScript is bin/pip as pip 23/24 writes it (distlib's ScriptMaker),
// for the interpreter python: taken from a venv made by Debian 12's
// python3.11 -m venv.
func pipScript(python string) string {
	return "#!" + python + "\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom pip._internal.cli.main import main\nif __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n    sys.exit(main())\n"
}

// recordLine is a RECORD line for data at path, as pip writes it.
func recordLine(path, data string) string {
	sum := sha256.Sum256([]byte(data))
	return path + ",sha256=" + base64.RawURLEncoding.EncodeToString(sum[:]) + "," + strconv.Itoa(len(data)) + "\r\n"
}

// wheelhouseSeedCalls are seedCalls for a 3.11 base and the pip 24.0
// wheel of sum in the wheelhouse wheels, setuptools from the base's own.
func (l *seedLab) wheelhouseSeedCalls(dir, wheels, sum string) []call {
	return l.seedCalls(dir, "3.11", l.runner("24.0", sum), "24.0", "--no-index", "--find-links", wheels, "--find-links", l.bundled(), "pip==24.0", "setuptools==65.5.0")
}

// seedCalls are the two commands that make the kept seed for the lab's
// base and a pip wheel (with pip's runner unpacked at runner): the
// staging venv, and pip installing pip (and setuptools) into it, which
// leaves what pip would: pip's files, a .pyc, its dist-info with RECORD
// (CRLF, as pip's csv writer ends lines) and the console scripts.
func (l *seedLab) seedCalls(dir, minor, runner, version string, install ...string) []call {
	venv := filepath.Join(dir+".new", "venv")
	python := filepath.Join(venv, "bin", "python"+minor)
	site := filepath.Join(venv, "lib", "python"+minor, "site-packages")
	return []call{
		run(l.base.path, "-m", "venv", "--without-pip", venv).then(func() {
			mustWrite(l.t, filepath.Join(venv, "pyvenv.cfg"), "home = "+l.baseDir+"\n")
			if err := os.MkdirAll(site, 0o755); err != nil {
				l.t.Fatal(err)
			}
		}),
		run(append([]string{python, filepath.Join(runner, "pip", "__pip-runner__.py"), "install"}, install...)...).then(func() {
			mustWrite(l.t, filepath.Join(site, "pip", "__init__.py"), "__version__ = '"+version+"'\n")
			mustWrite(l.t, filepath.Join(site, "pip", "__pycache__", "__init__.cpython-311.pyc"), "pyc")
			record := ""
			for _, name := range []string{"pip", "pip3", "pip" + minor} {
				mustWrite(l.t, filepath.Join(venv, "bin", name), pipScript(python))
				record += recordLine("../../../bin/"+name, pipScript(python))
			}
			dist := filepath.Join(site, "pip-"+version+".dist-info")
			mustWrite(l.t, filepath.Join(dist, "METADATA"), "Metadata-Version: 2.1\nName: pip\nVersion: "+version+"\n")
			mustWrite(l.t, filepath.Join(dist, "INSTALLER"), "pip\n")
			record += "pip-" + version + ".dist-info/RECORD,,\r\n" + recordLine("pip/__init__.py", "__version__ = '"+version+"'\n") + "pip/__pycache__/__init__.cpython-311.pyc,,\r\n"
			mustWrite(l.t, filepath.Join(dist, "RECORD"), record)
		}),
	}
}

// TestKeptSeedPlanted: the first venv builds the seed (staging, then
// renamed into place with its marker), gets its files as hard links, its
// own scripts and RECORD lines, then pip, its own, installs the
// packages; a second venv reuses the seed without a command of its own.
func TestKeptSeedPlanted(t *testing.T) {
	t.Parallel()
	l := newSeedLab(t)
	wheels := filepath.Join(l.recipe, "wheels")
	_, sum := pipWheel(t, wheels, "24.0")
	v := l.new(&recipe.Virtualenv{Offline: true, FindLinks: []string{"wheels"}, Packages: []string{"tiny"}}, Options{})
	st := observe(t, v, newNoSpawn(t))
	dir := v.keptDir(st.Base, seed{art: artWith(sum), setuptools: "65.5.0"})
	calls := append(l.wheelhouseSeedCalls(dir, wheels, sum),
		run(l.base.path, "-m", "venv", "--without-pip", l.venv).then(func() { l.makeBareVenv() }),
		run(pipInstall(l.py(), "--no-index", "--find-links", wheels, "tiny")...),
	)
	if err := v.Apply(t.Context(), newFake(t, calls...), st); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, keptMarker)); err != nil {
		t.Errorf("the seed has no marker: %v", err)
	}
	if _, err := os.Stat(dir + ".new"); !os.IsNotExist(err) {
		t.Errorf("the staging folder is left: %v", err)
	}
	site, seedSite := l.site("3.11"), filepath.Join(dir, "venv", "lib", "python3.11", "site-packages")
	for _, f := range []string{"pip/__init__.py", "pip/__pycache__/__init__.cpython-311.pyc", "pip-24.0.dist-info/METADATA", "pip-24.0.dist-info/INSTALLER"} {
		a, errA := os.Stat(filepath.Join(site, f))
		b, errB := os.Stat(filepath.Join(seedSite, f))
		if errA != nil || errB != nil || !os.SameFile(a, b) {
			t.Errorf("%s is not a hard link to the seed's: %v %v", f, errA, errB)
		}
	}
	python := filepath.Join(l.venv, "bin", "python3.11")
	want := ""
	for _, name := range []string{"pip", "pip3", "pip3.11"} {
		got, err := os.ReadFile(filepath.Join(l.venv, "bin", name))
		if err != nil || string(got) != pipScript(python) {
			t.Errorf("bin/%s = %q, %v; want pip's script for %s", name, got, err, python)
		}
		if fi, err := os.Stat(filepath.Join(l.venv, "bin", name)); err != nil || fi.Mode().Perm() != 0o755 {
			t.Errorf("bin/%s mode: %v %v", name, fi, err)
		}
		want += recordLine("../../../bin/"+name, pipScript(python))
	}
	want += "pip-24.0.dist-info/RECORD,,\r\n" + recordLine("pip/__init__.py", "__version__ = '24.0'\n") + "pip/__pycache__/__init__.cpython-311.pyc,,\r\n"
	if got, _ := os.ReadFile(filepath.Join(site, "pip-24.0.dist-info", "RECORD")); string(got) != want {
		t.Errorf("RECORD:\n%q\nwant\n%q", got, want)
	}

	// A second venv: the seed is there, so only the venv and pip run.
	l.unmark()
	if err := os.RemoveAll(l.venv); err != nil {
		t.Fatal(err)
	}
	st = observe(t, v, newNoSpawn(t))
	fake := newFake(t,
		run(l.base.path, "-m", "venv", "--without-pip", l.venv).then(func() { l.makeBareVenv() }),
		run(pipInstall(l.py(), "--no-index", "--find-links", wheels, "tiny")...),
	)
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
}

// TestKeptSeedKilled: a seed left half made by a killed apply (its
// staging folder, or a folder without the marker) is made again.
func TestKeptSeedKilled(t *testing.T) {
	t.Parallel()
	l := newSeedLab(t)
	wheels := filepath.Join(l.recipe, "wheels")
	_, sum := pipWheel(t, wheels, "24.0")
	v := l.new(&recipe.Virtualenv{Offline: true, FindLinks: []string{"wheels"}, Packages: []string{"tiny"}}, Options{})
	st := observe(t, v, newNoSpawn(t))
	dir := v.keptDir(st.Base, seed{art: artWith(sum), setuptools: "65.5.0"})
	mustWrite(t, filepath.Join(dir+".new", "venv", "lib", "python3.11", "site-packages", "pip", "half.py"), "")
	mustWrite(t, filepath.Join(dir, "venv", "lib", "python3.11", "site-packages", "pip", "stale.py"), "")
	calls := append(l.wheelhouseSeedCalls(dir, wheels, sum),
		run(l.base.path, "-m", "venv", "--without-pip", l.venv).then(func() { l.makeBareVenv() }),
		run(pipInstall(l.py(), "--no-index", "--find-links", wheels, "tiny")...),
	)
	if err := v.Apply(t.Context(), newFake(t, calls...), st); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"half.py", "stale.py"} {
		if _, err := os.Stat(filepath.Join(l.site("3.11"), "pip", f)); !os.IsNotExist(err) {
			t.Errorf("%s from the half-made seed is in the venv: %v", f, err)
		}
	}
}

// TestKeptSeedNotTaken: venvs that see the system's site-packages, or
// whose recipe lists pip, keep the per-venv install.
func TestKeptSeedNotTaken(t *testing.T) {
	t.Parallel()
	for name, spec := range map[string]recipe.Virtualenv{
		"system site-packages": {SystemSitePackages: true},
		"pip listed":           {Packages: []string{"pip"}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			l := newSeedLab(t)
			wheels := filepath.Join(l.recipe, "wheels")
			_, sum := pipWheel(t, wheels, "24.0")
			spec.Offline, spec.FindLinks = true, []string{"wheels"}
			spec.Packages = append(spec.Packages, "tiny")
			v := l.new(&spec, Options{})
			st := observe(t, v, newNoSpawn(t))
			argv := []string{l.base.path, "-m", "venv", "--without-pip", l.venv}
			pins := []string{"pip==24.0", "setuptools==65.5.0", "tiny"}
			if spec.SystemSitePackages {
				argv = []string{l.base.path, "-m", "venv", "--without-pip", "--system-site-packages", l.venv}
			} else {
				pins = []string{"setuptools==65.5.0", "pip", "tiny"}
			}
			fake := newFake(t,
				run(argv...).then(func() { l.makeBareVenv() }),
				run(append([]string{l.py() + "3.11", filepath.Join(l.runner("24.0", sum), "pip", "__pip-runner__.py"), "install", "--no-index", "--find-links", wheels, "--find-links", l.bundled()}, pins...)...),
			)
			if err := v.Apply(t.Context(), fake, st); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// artWith is a pip wheel artifact with digest sum.
func artWith(sum string) catalog.Artifact {
	return catalog.Artifact{Kind: catalog.KindWheel, SHA256: sum}
}

// makeBareVenv writes the venv `-m venv --without-pip` makes.
func (l *lab) makeBareVenv() {
	l.t.Helper()
	mustWrite(l.t, filepath.Join(l.venv, "pyvenv.cfg"), "home = "+l.baseDir+"\ninclude-system-site-packages = false\nversion = 3.11.2\n")
	if err := os.MkdirAll(l.site("3.11"), 0o755); err != nil {
		l.t.Fatal(err)
	}
	mustWrite(l.t, filepath.Join(l.venv, "bin", "python3.11"), "")
}

func TestPlainShebang(t *testing.T) {
	t.Parallel()
	for python, want := range map[string]bool{
		"/home/lab/venv/bin/python3.11":                true,
		"/home/my lab/venv/bin/python3.11":             false,
		"/" + strings.Repeat("a", 112) + "/python3.11": true, // 124 bytes, 127 with #! and the newline
		"/" + strings.Repeat("a", 113) + "/python3.11": false,
	} {
		if got := plainShebang(python); got != want {
			t.Errorf("plainShebang(%d bytes) = %v", len(python), got)
		}
	}
}
