package venv

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// fakeBase is an interpreter resource's Current, answered from the test.
type fakeBase struct {
	path, version string
	ok            bool
	err           error
}

func (fakeBase) ID() string { return "interpreter/python" }

func (b fakeBase) Current(context.Context, system.System) (string, string, bool, error) {
	return b.path, b.version, b.ok, b.err
}

// noSpawn reads and writes the real (temp) file system and fails the test
// on any command: what Observe must never start.
type noSpawn struct {
	system.System
	t testing.TB
}

func newNoSpawn(t testing.TB) *noSpawn { return &noSpawn{System: system.NewReal(), t: t} }

func (s *noSpawn) Query(_ context.Context, cmd system.Cmd) (*system.Result, error) {
	s.t.Errorf("unexpected Query %s", system.Quote(cmd.Argv))
	return nil, fmt.Errorf("no commands here")
}

func (s *noSpawn) Run(_ context.Context, cmd system.Cmd) (*system.Result, error) {
	s.t.Errorf("unexpected Run %s", system.Quote(cmd.Argv))
	return nil, fmt.Errorf("no commands here")
}

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

// fakeSys reads and writes files for real but answers Run from a script,
// failing the test on any command it does not expect, and on any Query.
type fakeSys struct {
	system.System
	t *testing.T

	mu    sync.Mutex
	calls []call
	ran   []system.Cmd
}

func newFake(t *testing.T, calls ...call) *fakeSys {
	t.Helper()
	f := &fakeSys{System: system.NewReal(), t: t, calls: calls}
	t.Cleanup(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, c := range f.calls {
			t.Errorf("expected command never ran: %s", system.Quote(c.argv))
		}
	})
	return f
}

func (f *fakeSys) Query(_ context.Context, cmd system.Cmd) (*system.Result, error) {
	f.t.Errorf("unexpected Query %s", system.Quote(cmd.Argv))
	return nil, fmt.Errorf("unexpected query")
}

func (f *fakeSys) Run(_ context.Context, cmd system.Cmd) (*system.Result, error) {
	f.mu.Lock()
	if len(f.calls) == 0 {
		f.mu.Unlock()
		f.t.Errorf("unexpected Run %s", system.Quote(cmd.Argv))
		return nil, fmt.Errorf("unexpected command %s", system.Quote(cmd.Argv))
	}
	c := f.calls[0]
	if !slices.Equal(c.argv, cmd.Argv) {
		f.mu.Unlock()
		f.t.Errorf("got  Run %s\nwant Run %s", system.Quote(cmd.Argv), system.Quote(c.argv))
		return nil, fmt.Errorf("unexpected command %s", system.Quote(cmd.Argv))
	}
	f.calls = f.calls[1:]
	f.ran = append(f.ran, cmd)
	f.mu.Unlock()
	if c.do != nil {
		c.do()
	}
	res := &system.Result{Stderr: []byte(c.stderr), ExitCode: c.code}
	if c.code != 0 {
		lines := strings.Split(strings.TrimSpace(c.stderr), "\n")
		return res, &system.ExitError{Argv: cmd.Argv, ExitCode: c.code, Stderr: strings.Join(lines, "; ")}
	}
	return res, nil
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

// makeVenv writes a venv as `python -m venv` leaves it, made with the
// lab's base, with pip and setuptools and the given name, version pairs.
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
