package venv

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/systemtest"
)

// pipWheel writes a stand-in pip wheel: a zip with pip/__pip-runner__.py and its
// dist-info, as the real one is laid out (a real wheel is what the e2e
// tests use: CPython 3.11.2's bundled pip 22.3.1). It returns its path
// and sha256.
func pipWheel(t *testing.T, dir, version string) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"pip/__init__.py":                        "__version__ = '" + version + "'\n",
		"pip/__main__.py":                        "import sys\n",
		"pip/__pip-runner__.py":                  "import runpy\n",
		"pip-" + version + ".dist-info/METADATA": "Metadata-Version: 2.1\nName: pip\nVersion: " + version + "\n",
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "pip-"+version+"-py3-none-any.whl")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return path, hex.EncodeToString(sum[:])
}

const testPipURL = "https://files.test/pip-24.0-py3-none-any.whl"

// seedLab is a lab whose host has data and cache folders, and a catalog
// whose pip 24.0 is a stand-in wheel served at testPipURL.
type seedLab struct {
	*lab
	data, cache string
	wheel, sum  string // the catalog's wheel
	cat         *catalog.Catalog
}

func newSeedLab(t *testing.T) *seedLab {
	t.Helper()
	l := &seedLab{lab: newLab(t)}
	l.data, l.cache = filepath.Join(l.root, "data"), filepath.Join(l.root, "cache")
	l.wheel, l.sum = pipWheel(t, filepath.Join(l.root, "served"), "24.0")
	cat, err := catalog.New(catalog.Release{Tool: "pip", Version: "24.0", Artifacts: []catalog.Artifact{{Kind: catalog.KindWheel, URL: testPipURL, SHA256: l.sum, Origin: "test"}}})
	if err != nil {
		t.Fatal(err)
	}
	l.cat = cat
	// CPython 3.11 bundles setuptools beside pip for its ensurepip.
	pipWheel(t, l.bundled(), "22.3.1")
	if err := os.Rename(filepath.Join(l.bundled(), "pip-22.3.1-py3-none-any.whl"), filepath.Join(l.bundled(), "setuptools-65.5.0-py3-none-any.whl")); err != nil {
		t.Fatal(err)
	}
	return l
}

// bundled is where the lab's base python keeps its ensurepip wheels.
func (l *seedLab) bundled() string {
	return filepath.Join(filepath.Dir(l.baseDir), "lib", "python3.11", "ensurepip", "_bundled")
}

func (l *seedLab) new(spec *recipe.Virtualenv, opts Options) *Venv {
	l.t.Helper()
	if spec.Path == "" {
		spec.Path = l.venv
	}
	opts.Catalog = l.cat
	p := detect.Platform{OS: "linux", Arch: "amd64", Home: filepath.Join(l.root, "home", "lab"), Dirs: detect.Dirs{Data: l.data, Cache: l.cache}}
	v, err := New("study-hall", spec, l.recipe, l.base, p, opts)
	if err != nil {
		l.t.Fatal(err)
	}
	return v
}

// runner is where the wheel with sum is unpacked.
func (l *seedLab) runner(version, sum string) string {
	return filepath.Join(l.data, "pip", version+"-"+sum[:12], "run")
}

func TestSeedFromWheelhouse(t *testing.T) {
	t.Parallel()
	l := newSeedLab(t)
	wheels := filepath.Join(l.recipe, "wheels")
	_, sum := pipWheel(t, wheels, "23.3.1")
	pipWheel(t, wheels, "23.0") // older: not taken
	v := l.new(&recipe.Virtualenv{Offline: true, FindLinks: []string{"wheels"}, Packages: []string{"tiny"}}, Options{})
	st := observe(t, v, newNoSpawn(t))
	runner := l.runner("23.3.1", sum)
	dir := v.keptDir(st.Base, seed{art: artWith(sum), setuptools: "65.5.0"})
	fake := newFake(t, append(l.seedCalls(dir, "3.11", runner, "23.3.1", "--no-index", "--find-links", wheels, "--find-links", l.bundled(), "pip==23.3.1", "setuptools==65.5.0"),
		run(l.base.path, "-m", "venv", "--without-pip", l.venv).then(func() { l.makeBareVenv() }),
		run(pipInstall(l.py(), "--no-index", "--find-links", wheels, "tiny")...),
	)...)
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(runner, "pip", "__main__.py")); err != nil {
		t.Errorf("the wheel is not unpacked: %v", err)
	}

	// A second venv finds the wheel unpacked and the seed kept: no
	// Extract, no seed made again.
	l.unmark()
	if err := os.RemoveAll(l.venv); err != nil {
		t.Fatal(err)
	}
	st = observe(t, v, newNoSpawn(t))
	fake = newFake(t,
		run(l.base.path, "-m", "venv", "--without-pip", l.venv).then(func() { l.makeBareVenv() }),
		run(pipInstall(l.py(), "--no-index", "--find-links", wheels, "tiny")...),
	)
	fake.Hook(func(verb systemtest.Verb, _ string) error {
		if verb == systemtest.Extract {
			t.Errorf("unpacked again")
		}
		return nil
	})
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
}

// TestSeedFromCatalog: the catalog's wheel, which the download cache
// holds, is taken through Download (verified), unpacked and linked beside
// the runner.
func TestSeedFromCatalog(t *testing.T) {
	t.Parallel()
	l := newSeedLab(t)
	data, err := os.ReadFile(l.wheel)
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(l.cache, "sha256", l.sum), string(data))
	v := l.new(&recipe.Virtualenv{Packages: []string{"tiny"}, Prompt: "lab"}, Options{})
	st := observe(t, v, newNoSpawn(t))
	runner := l.runner("24.0", l.sum)
	wheels := filepath.Join(filepath.Dir(runner), "wheels")
	dir := v.keptDir(st.Base, seed{art: artWith(l.sum), setuptools: "65.5.0"})
	fake := newFake(t, append(l.seedCalls(dir, "3.11", runner, "24.0", "--no-index", "--find-links", wheels, "--find-links", l.bundled(), "pip==24.0", "setuptools==65.5.0"),
		run(l.base.path, "-m", "venv", "--without-pip", "--prompt", "lab", l.venv).then(func() { l.makeBareVenv() }),
		run(pipInstall(l.py(), "tiny")...),
	)...).WithDownload(testPipURL, l.wheel)
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(wheels, "pip-24.0-py3-none-any.whl")); err != nil {
		t.Errorf("the wheel is not beside the runner for --find-links: %v", err)
	}
}

// TestSeedFromThePython: the wheel the base python bundles for its
// ensurepip, as python.org's and python-build-standalone's builds do.
func TestSeedFromThePython(t *testing.T) {
	t.Parallel()
	l := newSeedLab(t)
	bundled := l.bundled()
	_, sum := pipWheel(t, bundled, "22.3.1")
	v := l.new(&recipe.Virtualenv{Packages: []string{"tiny"}}, Options{})
	st := observe(t, v, newNoSpawn(t))
	dir := v.keptDir(st.Base, seed{art: artWith(sum), setuptools: "65.5.0"})
	fake := newFake(t, append(l.seedCalls(dir, "3.11", l.runner("22.3.1", sum), "22.3.1", "--no-index", "--find-links", bundled, "pip==22.3.1", "setuptools==65.5.0"),
		run(l.base.path, "-m", "venv", "--without-pip", l.venv).then(func() { l.makeBareVenv() }),
		run(pipInstall(l.py(), "tiny")...),
	)...)
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
}

// TestSeedKeepsEnsurepip: the venvs made as before, with ensurepip.
func TestSeedKeepsEnsurepip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		version string
		spec    recipe.Virtualenv
		opts    Options
	}{
		{"python 3.6 (pip 22.3 needs 3.7)", "3.6.15", recipe.Virtualenv{Packages: []string{"tiny"}}, Options{}},
		{"no pip wheel in a wheelhouse, the cache, a mirror or the python", "3.11.2", recipe.Virtualenv{Packages: []string{"tiny"}}, Options{}},
		{"run offline, a mirror folder without it", "3.11.2", recipe.Virtualenv{Packages: []string{"tiny"}}, Options{Offline: true, Mirrors: []string{"/nowhere/mirror"}}},
		{"a pip pin no wheel has", "3.11.2", recipe.Virtualenv{Packages: []string{"tiny"}, Pip: "<24"}, Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newSeedLab(t)
			l.base.version = tt.version
			v := l.new(&tt.spec, tt.opts)
			st := observe(t, v, newNoSpawn(t))
			install := []string{"tiny"}
			if tt.spec.Pip != "" {
				install = []string{"pip<24", "tiny"}
			}
			args := []string{}
			if tt.spec.Offline || tt.opts.Offline {
				args = append(args, "--no-index")
			}
			for _, m := range tt.opts.Mirrors {
				args = append(args, "--find-links", m)
			}
			fake := newFake(t,
				run(l.base.path, "-m", "venv", l.venv).then(func() { l.makeVenv() }),
				run(pipInstall(l.py(), append(args, install...)...)...),
			)
			if err := v.Apply(t.Context(), fake, st); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestSeedWrongDigest: a catalog wheel (from a mirror URL) whose bytes
// are not the pinned ones stops the apply before anything is made.
func TestSeedWrongDigest(t *testing.T) {
	t.Parallel()
	l := newSeedLab(t)
	other, _ := pipWheel(t, filepath.Join(l.root, "other"), "23.0")
	v := l.new(&recipe.Virtualenv{Packages: []string{"tiny"}}, Options{Mirrors: []string{"http://mirror.test/"}})
	st := observe(t, v, newNoSpawn(t))
	err := v.Apply(t.Context(), newFake(t).WithDownload(testPipURL, other), st)
	var digest *fetch.DigestError
	if !errors.As(err, &digest) || !strings.Contains(err.Error(), "pip 24.0") {
		t.Fatalf("err = %v, want a digest error naming pip 24.0", err)
	}
	if _, err := os.Stat(l.venv); !os.IsNotExist(err) {
		t.Errorf("the venv was started: %v", err)
	}
}

// TestSeedUnreachableFallsBack: a wheel that cannot be fetched (no
// network) leaves the venv to ensurepip, and says so.
func TestSeedUnreachableFallsBack(t *testing.T) {
	t.Parallel()
	l := newSeedLab(t)
	var log bytes.Buffer
	v := l.new(&recipe.Virtualenv{Packages: []string{"tiny"}}, Options{Log: &log, Mirrors: []string{"http://mirror.test/"}})
	st := observe(t, v, newNoSpawn(t))
	fake := newFake(t,
		run(l.base.path, "-m", "venv", l.venv).then(func() { l.makeVenv() }),
		run(pipInstall(l.py(), "--find-links", "http://mirror.test/", "--trusted-host", "mirror.test", "tiny")...),
	)
	fake.Hook(func(verb systemtest.Verb, _ string) error {
		if verb == systemtest.Download {
			return errors.New("dial tcp: no such host")
		}
		return nil
	})
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "pip 24.0: dial tcp: no such host: the venv gets its pip from ensurepip") {
		t.Errorf("log: %q", log.String())
	}
}

// TestSeedPutsPipBack: a venv of envup's that lost its pip gets it from
// the wheel, not ensurepip.
func TestSeedPutsPipBack(t *testing.T) {
	t.Parallel()
	l := newSeedLab(t)
	wheels := filepath.Join(l.recipe, "wheels")
	_, sum := pipWheel(t, wheels, "24.0")
	l.makeVenv("tiny", "1.0")
	if err := os.RemoveAll(filepath.Join(l.site("3.11"), "pip-23.0.1.dist-info")); err != nil {
		t.Fatal(err)
	}
	v := l.new(&recipe.Virtualenv{Offline: true, FindLinks: []string{"wheels"}, Packages: []string{"tiny>=2"}}, Options{})
	st := observe(t, v, newNoSpawn(t))
	if !st.PipMissing {
		t.Fatal("pip is not missing")
	}
	fake := newFake(t,
		run(l.py()+"3.11", filepath.Join(l.runner("24.0", sum), "pip", "__pip-runner__.py"), "install", "--no-index", "--find-links", wheels, "--find-links", l.bundled(), "pip==24.0", "setuptools==65.5.0"),
		run(pipInstall(l.py(), "--no-index", "--find-links", wheels, "tiny>=2")...),
	)
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
}

// TestSeedNeedsPipRunner: a pip older than 22.3 (no __pip-runner__.py)
// is never taken: python 3.8 bundles 20.x; the venv gets ensurepip.
func TestSeedNeedsPipRunner(t *testing.T) {
	t.Parallel()
	l := newSeedLab(t)
	if err := os.RemoveAll(l.bundled()); err != nil {
		t.Fatal(err)
	}
	pipWheel(t, l.bundled(), "22.2.2")
	v := l.new(&recipe.Virtualenv{Packages: []string{"tiny"}}, Options{})
	st := observe(t, v, newNoSpawn(t))
	fake := newFake(t,
		run(l.base.path, "-m", "venv", l.venv).then(func() { l.makeVenv() }),
		run(pipInstall(l.py(), "tiny")...),
	)
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
}

// TestSeedHashes: in hash-checking mode the requirements go through the
// venv's own pip, planted from the kept seed (pip has no hash).
func TestSeedHashes(t *testing.T) {
	t.Parallel()
	l := newSeedLab(t)
	wheels := filepath.Join(l.recipe, "wheels")
	_, sum := pipWheel(t, wheels, "24.0")
	mustWrite(t, filepath.Join(l.recipe, "requirements.txt"), "tiny==2.0 --hash=sha256:1111\n")
	v := l.new(&recipe.Virtualenv{Offline: true, FindLinks: []string{"wheels"}, Requirements: []string{"requirements.txt"}}, Options{})
	st := observe(t, v, newNoSpawn(t))
	tmp := filepath.Join(l.venv, reqFileName)
	dir := v.keptDir(st.Base, seed{art: artWith(sum), setuptools: "65.5.0"})
	fake := newFake(t, append(l.wheelhouseSeedCalls(dir, wheels, sum),
		run(l.base.path, "-m", "venv", "--without-pip", l.venv).then(func() { l.makeBareVenv() }),
		run(pipInstall(l.py(), "--no-index", "--find-links", wheels, "--require-hashes", "-r", tmp)...),
	)...)
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
}

// TestSeedSetuptools: python 3.12 gets no setuptools, as from its
// ensurepip; a 3.11 with no setuptools wheel at hand keeps ensurepip.
func TestSeedSetuptools(t *testing.T) {
	t.Parallel()
	t.Run("3.12", func(t *testing.T) {
		t.Parallel()
		l := newSeedLab(t)
		l.base.version = "3.12.4"
		bundled := filepath.Join(filepath.Dir(l.baseDir), "lib", "python3.12", "ensurepip", "_bundled")
		_, sum := pipWheel(t, bundled, "24.0")
		v := l.new(&recipe.Virtualenv{Packages: []string{"tiny"}}, Options{})
		st := observe(t, v, newNoSpawn(t))
		dir := v.keptDir(st.Base, seed{art: artWith(sum)})
		fake := newFake(t, append(l.seedCalls(dir, "3.12", l.runner("24.0", sum), "24.0", "--no-index", "--find-links", bundled, "pip==24.0"),
			run(l.base.path, "-m", "venv", "--without-pip", l.venv).then(func() { l.makeBareVenv() }),
			run(pipInstall(l.py(), "tiny")...),
		)...)
		if err := v.Apply(t.Context(), fake, st); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("3.11 without setuptools", func(t *testing.T) {
		t.Parallel()
		l := newSeedLab(t)
		if err := os.Remove(filepath.Join(l.bundled(), "setuptools-65.5.0-py3-none-any.whl")); err != nil {
			t.Fatal(err)
		}
		pipWheel(t, l.bundled(), "24.0")
		v := l.new(&recipe.Virtualenv{Packages: []string{"tiny"}}, Options{})
		st := observe(t, v, newNoSpawn(t))
		fake := newFake(t,
			run(l.base.path, "-m", "venv", l.venv).then(func() { l.makeVenv() }),
			run(pipInstall(l.py(), "tiny")...),
		)
		if err := v.Apply(t.Context(), fake, st); err != nil {
			t.Fatal(err)
		}
	})
}
