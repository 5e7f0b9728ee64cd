package venv

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

// fakeBase is an interpreter resource's Current, answered from the test.
type fakeBase struct {
	path, version string
	ok            bool
	err           error
}

func (fakeBase) ID() install.ID { return install.ID{Kind: "interpreter", Name: "python"} }

func (b fakeBase) Current(context.Context, system.System) (string, string, bool, error) {
	return b.path, b.version, b.ok, b.err
}

// newNoSpawn is a host whose files are real (under the test's temp dirs)
// and which fails the test on any command: what Observe must never start.
func newNoSpawn(t testing.TB) *systemtest.System { return systemtest.New(t) }

// call is one command the test expects, in order, and what it does.
type call struct {
	argv   []string
	code   int    // non-zero: fails with a *system.ExitError carrying stderr
	stderr string //
	do     func() // runs before answering (make the venv a real python would)
}

func run(argv ...string) call { return call{argv: argv} }

func (c call) fails(code int, stderr string) call { c.code, c.stderr = code, stderr; return c }
func (c call) then(f func()) call                 { c.do = f; return c }

// newFake is a host whose files are real but which answers Run from a
// script, failing the test on any command it does not expect, and on
// any Query.
func newFake(t *testing.T, calls ...call) *systemtest.System {
	t.Helper()
	f := systemtest.New(t)
	for _, c := range calls {
		a := f.Expect(systemtest.Run, c.argv...)
		if c.code != 0 {
			a.Exit(c.code, c.stderr)
		}
		if c.do != nil {
			a.Do(func(system.Cmd) { c.do() })
		}
	}
	return f
}

// lab is a temp machine: a base python and a venv folder beside it.
type lab struct {
	t       testing.TB
	root    string
	baseDir string // the base's bin folder: pyvenv.cfg home
	base    fakeBase
	venv    string
	recipe  string // the recipe's folder
}

func newLab(t testing.TB) *lab {
	t.Helper()
	root := t.TempDir()
	l := &lab{
		t: t, root: root, baseDir: filepath.Join(root, "py311", "bin"), venv: filepath.Join(root, "home", "lab", "venv"),
		recipe: filepath.Join(root, "recipe"),
	}
	mustWrite(t, filepath.Join(l.baseDir, "python3.11"), "#!fake python\n")
	l.base = fakeBase{path: filepath.Join(l.baseDir, "python3.11"), version: "3.11.2", ok: true}
	if err := os.MkdirAll(filepath.Join(l.recipe, "wheels"), 0o755); err != nil {
		t.Fatal(err)
	}
	return l
}

// makeVenv writes a venv as an apply leaves it (envup's marker last),
// made with the lab's base, with pip and setuptools and the given name,
// version pairs.
func (l *lab) makeVenv(pkgs ...string) {
	l.makeVenvWith("home = "+l.baseDir+"\ninclude-system-site-packages = false\nversion = 3.11.2\nexecutable = "+l.base.path+"\n", "3.11", pkgs...)
}

func (l *lab) makeVenvWith(cfg, minor string, pkgs ...string) {
	l.t.Helper()
	mustWrite(l.t, filepath.Join(l.venv, "pyvenv.cfg"), cfg)
	bin := filepath.Join(l.venv, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		l.t.Fatal(err)
	}
	if err := os.Symlink(l.base.path, filepath.Join(bin, "python3.11")); err != nil && !os.IsExist(err) {
		l.t.Fatal(err)
	}
	if err := os.Symlink("python3.11", filepath.Join(bin, "python")); err != nil && !os.IsExist(err) {
		l.t.Fatal(err)
	}
	site := l.site(minor)
	writeDist(l.t, site, "pip", "23.0.1")
	writeDist(l.t, site, "setuptools", "66.1.1")
	for i := 0; i+1 < len(pkgs); i += 2 {
		writeDist(l.t, site, pkgs[i], pkgs[i+1])
	}
	mustWrite(l.t, l.marker(), completeHeader+"\nwants sha256:0\n")
}

// marker is envup's marker in the lab's venv.
func (l *lab) marker() string { return filepath.Join(l.venv, completeName) }

// unmark removes the marker: a venv made elsewhere, or by an apply that
// stopped.
func (l *lab) unmark() {
	l.t.Helper()
	if err := os.Remove(l.marker()); err != nil {
		l.t.Fatal(err)
	}
}

func (l *lab) site(minor string) string {
	return filepath.Join(l.venv, "lib", "python"+minor, "site-packages")
}

func (l *lab) py() string { return filepath.Join(l.venv, "bin", "python") }

func (l *lab) new(spec *recipe.Virtualenv) *Venv {
	l.t.Helper()
	if spec.Path == "" {
		spec.Path = l.venv
	}
	v, err := New("study-hall", spec, l.recipe, l.base, detect.Platform{OS: "linux", Arch: "amd64", Home: filepath.Join(l.root, "home", "lab")}, Options{})
	if err != nil {
		l.t.Fatal(err)
	}
	return v
}

func changes(v *Venv, st *State) []string {
	var out []string
	for _, c := range v.Diff(st) {
		out = append(out, c.Action.Symbol()+" "+c.Subject+": "+c.Why)
	}
	return out
}
