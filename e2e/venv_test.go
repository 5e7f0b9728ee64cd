//go:build e2e

package e2e

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// labPackages are three small real packages the test builds into wheels
// with pip (no index: the build uses the system's setuptools and wheel).
var labPackages = map[string]struct{ version, module string }{
	"seatbook":  {"1.2.0", "def sell(seats, n):\n    return seats[:n], seats[n:]\n"},
	"lab-hello": {"1.0.0", "def hello():\n    return 'hello, lab'\n"},
	"tinymath":  {"0.3.1", "def add(a, b):\n    return a + b\n"},
}

// TestVenvFromWheelhouseOffline creates a real venv on Debian's python3.11
// and installs three real wheels offline from a wheelhouse; the venv's
// python imports them; a second apply spawns no python at all (counted
// through envup's exec log); bumping one package reinstalls only it. The
// venv is made without ensurepip: `-m venv --without-pip`, then the pip
// wheel Debian's python bundles for ensurepip (python3-pip-whl's
// /usr/share/python-wheels) runs once to install pip and the packages,
// and its bin/pip is there as under ensurepip.
func TestVenvFromWheelhouseOffline(t *testing.T) {
	m := newMachine(t)
	if _, err := os.Stat("/usr/bin/python3.11"); err != nil {
		t.Skip("no /usr/bin/python3.11")
	}
	wheelhouse := t.TempDir()
	for name, pkg := range labPackages {
		buildWheel(t, wheelhouse, name, pkg.version, pkg.module)
	}
	buildWheel(t, wheelhouse, "tinymath", "0.4.0", "def add(a, b):\n    return a + b\n")

	venv := filepath.Join(m.home, "envs", "lab")
	recipe := filepath.Join(t.TempDir(), "lab.yml")
	write := func(tinymath string) {
		writeFile(t, recipe, `envup: 1
interpreters:
  python:
    version: "3.11"
    sources: [system]
virtualenvs:
  lab:
    path: ~/envs/lab
    packages: [seatbook, "lab-hello==1.0.0", "tinymath`+tinymath+`"]
    find_links: [`+wheelhouse+`]
    offline: true
`)
	}
	write("==0.3.1")
	out := m.envup(2, "plan", "--detailed-exitcode", recipe)
	if !strings.Contains(out, "+ virtualenv/lab") {
		t.Fatalf("plan does not create the venv:\n%s", out)
	}
	execLog := filepath.Join(t.TempDir(), "exec.log")
	m.env = []string{"ENVUP_EXEC_LOG=" + execLog}
	m.envup(0, "apply", recipe)
	got := run(t, filepath.Join(venv, "bin", "python"), "-c",
		"import seatbook, lab_hello, tinymath; print(lab_hello.hello(), tinymath.add(2, 3))")
	if strings.TrimSpace(got) != "hello, lab 5" {
		t.Fatalf("the venv's python says %q", got)
	}
	checkSeeded(t, venv, execLog, "23.0.1")
	compareEnsurepip(t, venv)

	_ = os.Remove(execLog)
	m.env = []string{"ENVUP_EXEC_LOG=" + execLog}
	out = m.envup(0, "apply", recipe)
	if !strings.Contains(out, "Nothing to change") {
		t.Errorf("second apply changed something:\n%s", out)
	}
	if spawned, err := os.ReadFile(execLog); err == nil && strings.Contains(string(spawned), "python") {
		t.Errorf("a no-op apply spawned python:\n%s", spawned)
	}

	// Bump one package: only it is reinstalled, in one pip call.
	write(">=0.4")
	m.env = []string{"ENVUP_EXEC_LOG=" + execLog}
	_ = os.Remove(execLog)
	out = m.envup(0, "apply", recipe)
	if !strings.Contains(out, "tinymath") {
		t.Errorf("apply does not mention tinymath:\n%s", out)
	}
	spawned, _ := os.ReadFile(execLog)
	var pips []string
	for _, line := range strings.Split(string(spawned), "\n") {
		if strings.Contains(line, "-m pip install") {
			pips = append(pips, line)
		}
	}
	if len(pips) != 1 || !strings.Contains(pips[0], "tinymath") || strings.Contains(pips[0], "seatbook") {
		t.Errorf("pip calls after the bump: %q", pips)
	}
	if v := run(t, filepath.Join(venv, "bin", "python"), "-c", "import importlib.metadata as m; print(m.version('tinymath'))"); strings.TrimSpace(v) != "0.4.0" {
		t.Errorf("tinymath is %q after the bump", v)
	}
}

// buildWheel writes a one-module project and builds its wheel into dir
// with the system pip, offline.
func buildWheel(t *testing.T, dir, name, version, module string) {
	t.Helper()
	src := t.TempDir()
	mod := strings.ReplaceAll(name, "-", "_")
	writeFile(t, filepath.Join(src, "pyproject.toml"), "[build-system]\nrequires = [\"setuptools\", \"wheel\"]\nbuild-backend = \"setuptools.build_meta\"\n")
	writeFile(t, filepath.Join(src, "setup.py"), "from setuptools import setup\nsetup(name='"+name+"', version='"+version+"', py_modules=['"+mod+"'])\n")
	writeFile(t, filepath.Join(src, mod+".py"), module)
	cmd := exec.CommandContext(t.Context(), "/usr/bin/python3.11", "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index", "--wheel-dir", dir, src)
	cmd.Env = append(os.Environ(), "PIP_DISABLE_PIP_VERSION_CHECK=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pip wheel %s: %v\n%s", name, err, out)
	}
}

// checkSeeded checks a venv was made without ensurepip, from a pip wheel
// of version pip, and has that pip as ensurepip would have put it. (An
// archive python's health check imports ensurepip: that is no run of it.)
func checkSeeded(t *testing.T, venv, execLog, pip string) {
	t.Helper()
	spawned, err := os.ReadFile(execLog)
	if err != nil {
		t.Fatal(err)
	}
	if log := string(spawned); !strings.Contains(log, " -m venv --without-pip "+venv) || !strings.Contains(log, "__pip-runner__.py install") || strings.Contains(log, "-m ensurepip") {
		t.Errorf("the venv was not made without ensurepip:\n%s", log)
	}
	if got := run(t, filepath.Join(venv, "bin", "pip"), "--version"); !strings.HasPrefix(got, "pip "+pip+" from "+venv) {
		t.Errorf("bin/pip --version says %q", got)
	}
	site := filepath.Join(venv, "lib", "python3.11", "site-packages", "pip-"+pip+".dist-info")
	if b, err := os.ReadFile(filepath.Join(site, "INSTALLER")); err != nil || string(b) != "pip\n" {
		t.Errorf("pip's INSTALLER: %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(site, "direct_url.json")); !os.IsNotExist(err) {
		t.Errorf("pip was installed from a file path, not by name: %v", err)
	}
	// As ensurepip before 3.12, setuptools too (Debian's wheel).
	if got := run(t, filepath.Join(venv, "bin", "python"), "-c", "import setuptools; print(setuptools.__version__)"); strings.TrimSpace(got) != "66.1.1" {
		t.Errorf("setuptools in the venv: %q", got)
	}
	// Planted from envup's kept seed (in the data folder under the home,
	// pip/seed/X.Y-KEY/venv): pip's modules are hard links to the seed's,
	// whose .pyc stayed valid (a stale one would have been rewritten by
	// the pip runs above, as a new file).
	rel := filepath.Join("lib", "python3.11", "site-packages", "pip", "__pycache__", "__init__.cpython-311.pyc")
	seeds, err := filepath.Glob(filepath.Join(filepath.Dir(filepath.Dir(venv)), "*", "*", "pip", "seed", "3.11-*", "venv", rel))
	if err != nil || len(seeds) != 1 {
		t.Fatalf("the kept seed's pip: %v %v", seeds, err)
	}
	a, errA := os.Stat(seeds[0])
	b, errB := os.Stat(filepath.Join(venv, rel))
	if errA != nil || errB != nil || !os.SameFile(a, b) {
		t.Errorf("pip's .pyc is not the kept seed's: %v %v", errA, errB)
	}
}

// compareEnsurepip moves the venv aside, makes one with ensurepip at its
// path from the same python, and checks that pip's and setuptools's
// files, the console scripts, RECORD, INSTALLER and REQUESTED are byte
// for byte the same (the .pyc by name: they record their sources'
// mtimes), and that `pip list` says the same; then puts the venv back.
func compareEnsurepip(t *testing.T, venv string) {
	t.Helper()
	aside := venv + ".seeded"
	if err := os.Rename(venv, aside); err != nil {
		t.Fatal(err)
	}
	run(t, "/usr/bin/python3.11", "-m", "venv", venv)
	refList := run(t, filepath.Join(venv, "bin", "python"), "-m", "pip", "list", "--format", "freeze")
	ref := tree(t, venv)
	if err := os.RemoveAll(venv); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(aside, venv); err != nil {
		t.Fatal(err)
	}
	got := tree(t, venv)
	for name, want := range ref {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: in the ensurepip venv, not in envup's", name)
		} else if g != want {
			t.Errorf("%s differs from the ensurepip venv's:\n%s\nwant\n%s", name, g, want)
		}
	}
	for name := range got {
		if _, ok := ref[name]; !ok {
			t.Errorf("%s: in envup's venv, not in the ensurepip one", name)
		}
	}
	if gotList := run(t, filepath.Join(venv, "bin", "python"), "-m", "pip", "list", "--format", "freeze"); !containsLines(gotList, refList) {
		t.Errorf("pip list:\n%s\nthe ensurepip venv's:\n%s", gotList, refList)
	}
}

// tree is what compareEnsurepip compares of a venv: bin/pip* and every
// file of pip's and setuptools's (the .pyc by name only), by path.
func tree(t *testing.T, venv string) map[string]string {
	t.Helper()
	out := map[string]string{}
	site := filepath.Join(venv, "lib", "python3.11", "site-packages")
	err := filepath.WalkDir(site, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(venv, p)
		top, _, _ := strings.Cut(strings.SplitN(filepath.ToSlash(rel), "/", 5)[3], "-")
		if !slices.Contains([]string{"pip", "setuptools", "_distutils_hack", "pkg_resources", "distutils"}, top) {
			return nil // the recipe's packages
		}
		if strings.HasSuffix(p, ".pyc") {
			out[rel] = "(pyc)"
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"pip", "pip3", "pip3.11"} {
		b, err := os.ReadFile(filepath.Join(venv, "bin", name))
		if err != nil {
			t.Fatal(err)
		}
		out["bin/"+name] = string(b)
	}
	return out
}

// containsLines says whether every line of want is a line of got.
func containsLines(got, want string) bool {
	have := map[string]bool{}
	for _, l := range strings.Split(got, "\n") {
		have[l] = true
	}
	for _, l := range strings.Split(want, "\n") {
		if !have[l] {
			return false
		}
	}
	return true
}

// TestVenvSeedFromCatalogMirror makes a venv with the catalog's pip 22.3.1
// wheel, pinned to PyPI's sha256, served by a loopback mirror: the very
// file CPython 3.11.2 bundles, taken from Debian's python3.11 orig tarball
// (python.org's Python-3.11.2.tgz byte for byte).
func TestVenvSeedFromCatalogMirror(t *testing.T) {
	m := newMachine(t)
	if _, err := os.Stat("/usr/bin/python3.11"); err != nil {
		t.Skip("no /usr/bin/python3.11")
	}
	mirror := t.TempDir()
	catalogPip(t, mirror)
	var gets atomic.Int32
	files := http.FileServer(http.Dir(mirror))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/pip-22.3.1-py3-none-any.whl") && strings.HasPrefix(r.UserAgent(), "envup") {
			gets.Add(1)
		}
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()

	wheelhouse := t.TempDir()
	buildWheel(t, wheelhouse, "seatbook", "1.2.0", labPackages["seatbook"].module)
	venv := filepath.Join(m.home, "envs", "lab")
	recipe := filepath.Join(t.TempDir(), "lab.yml")
	writeFile(t, recipe, `envup: 1
interpreters:
  python:
    version: "3.11"
    sources: [system]
virtualenvs:
  lab:
    path: ~/envs/lab
    packages: [seatbook]
    pip: "22.3.1"
    find_links: [`+wheelhouse+`]
    offline: true
`)
	execLog := filepath.Join(t.TempDir(), "exec.log")
	m.env = []string{"ENVUP_EXEC_LOG=" + execLog}
	m.envup(0, "apply", "--mirror", srv.URL, "--offline", recipe)
	checkSeededFromCatalog(t, venv, execLog)
	if gets.Load() != 1 {
		// (pip itself may take pip==22.3.1 from the mirror's page too: its
		// resolver prefers a page's link to a local file of one version.)
		t.Errorf("the mirror served envup the wheel %d times, want 1", gets.Load())
	}
}

// TestVenvSeedFromFetchedMirror: the lock pins the catalog's pip wheel
// as optional; fetch takes it (from a mirror serving the wheel CPython
// 3.11.2's source tarball bundles, which has the catalog's sha256: no
// PyPI here) into a mirror folder, as it would from PyPI; and an apply
// --locked --offline from that folder alone seeds the venv with it. A
// lock pins what it can fetch, so the python is the recipe's own archive
// (in python-build-standalone's layout): a bin/python3.11 that runs
// Debian's; setuptools, which the seed takes from the python's own
// wheels before 3.12, is Debian's wheel in the wheelhouse.
func TestVenvSeedFromFetchedMirror(t *testing.T) {
	m := newMachine(t)
	const setuptools = "/usr/share/python-wheels/setuptools-66.1.1-py3-none-any.whl"
	for _, need := range []string{"/usr/bin/python3.11", setuptools} {
		if _, err := os.Stat(need); err != nil {
			t.Skip("no " + need)
		}
	}
	origin := t.TempDir()
	catalogPip(t, origin)
	standin := t.TempDir()
	writeFile(t, filepath.Join(standin, "python", "bin", "python3.11"), "#!/bin/sh\nexec /usr/bin/python3.11 \"$@\"\n")
	if err := os.Chmod(filepath.Join(standin, "python", "bin", "python3.11"), 0o755); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(origin, "cpython-3.11.2-standin.tar.gz")
	if out, err := exec.Command("tar", "-czf", archive, "-C", standin, "python").CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	data, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	srv := httptest.NewServer(http.FileServer(http.Dir(origin)))
	defer srv.Close()

	wheelhouse := t.TempDir()
	buildWheel(t, wheelhouse, "seatbook", "1.2.0", labPackages["seatbook"].module)
	wheel, err := os.ReadFile(setuptools)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(wheelhouse, filepath.Base(setuptools)), string(wheel))
	recipe := filepath.Join(t.TempDir(), "lab.yml")
	writeFile(t, recipe, `envup: 1
interpreters:
  python:
    version: "3.11.2"
    sources: [archive]
    archive: {url: "`+srv.URL+`/cpython-3.11.2-standin.tar.gz", sha256: `+hex.EncodeToString(sum[:])+`}
virtualenvs:
  lab:
    path: ~/envs/lab
    packages: [seatbook]
    pip: "22.3.1"
    find_links: [`+wheelhouse+`]
    offline: true
`)
	m.envup(0, "lock", recipe)
	lockText, err := os.ReadFile(recipe + ".lock")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(lockText), `"name": "pip-22.3.1-py3-none-any.whl"`) || !strings.Contains(string(lockText), `"optional": true`) {
		t.Fatalf("the lock does not pin the catalog's pip 22.3.1 as optional:\n%s", lockText)
	}
	folder := filepath.Join(t.TempDir(), "mirror")
	if out := m.envup(0, "fetch", recipe, "--to", folder, "--mirror", srv.URL); strings.Contains(out, "warning") || !strings.Contains(out, ": 4 files for") {
		t.Errorf("fetch did not bring the 4 files (python, seatbook, setuptools, pip) without a warning:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(folder, "pip-22.3.1-py3-none-any.whl")); err != nil {
		t.Fatalf("fetch did not put the pip wheel into the mirror folder: %v", err)
	}
	srv.Close() // the seat has only the folder

	execLog := filepath.Join(t.TempDir(), "exec.log")
	m.env = []string{"ENVUP_EXEC_LOG=" + execLog}
	m.envup(0, "apply", "--locked", "--offline", "--mirror", folder, recipe)
	venv := filepath.Join(m.home, "envs", "lab")
	checkSeededFromCatalog(t, venv, execLog)
}

// catalogPip puts the catalog's pip 22.3.1 wheel into dir: the file
// CPython 3.11.2's source tarball bundles for ensurepip (from Debian's
// orig tarball), which is PyPI's byte for byte (the catalog's sha256).
func catalogPip(t *testing.T, dir string) {
	t.Helper()
	src := t.TempDir()
	fetchDebianSource(t, src)
	untarFile(t, filepath.Join(src, "Python-3.11.2.tgz"), "Python-3.11.2/Lib/ensurepip/_bundled/pip-22.3.1-py3-none-any.whl", filepath.Join(dir, "pip-22.3.1-py3-none-any.whl"))
}

// checkSeededFromCatalog checks the venv was made without ensurepip,
// with the pip the catalog pins (its sha256 names the runner's folder).
func checkSeededFromCatalog(t *testing.T, venv, execLog string) {
	t.Helper()
	checkSeeded(t, venv, execLog, "22.3.1")
	if spawned, _ := os.ReadFile(execLog); !strings.Contains(string(spawned), "/pip/22.3.1-908c78e6bc29/run/") {
		t.Errorf("not run from the catalog's wheel:\n%s", spawned)
	}
}

// untarFile copies one member of a .tar.gz to dst.
func untarFile(t *testing.T, archive, member, dst string) {
	t.Helper()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err != nil {
			t.Fatalf("%s: %s: %v", archive, member, err)
		}
		if hdr.Name != member {
			continue
		}
		out, err := os.Create(dst)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, tr); err != nil {
			t.Fatal(err)
		}
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
		return
	}
}
