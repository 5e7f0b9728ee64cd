package venv

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/systemtest"
)

// halfPip is what `python -m pip` says in a venv whose pip/ ensurepip
// never finished writing.
const halfPip = "Traceback (most recent call last):\n  File \"<frozen runpy>\", line 189, in _run_module_as_main\n" +
	"ModuleNotFoundError: No module named 'pip._internal.utils'"

// readMarkerFile is the lab venv's marker, "" when there is none.
func readMarkerFile(t testing.TB, l *lab) string {
	t.Helper()
	data, err := os.ReadFile(l.marker())
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(data)
}

// freshVenv is what `python -m venv` leaves in the folder where the
// apply wrote its pending marker first.
func freshVenv(l *lab) func() {
	return func() {
		l.makeVenv()
		mustWrite(l.t, l.marker(), completeHeader+"\n"+pendingLine+"\n")
	}
}

// errKilled stands for envup killed at a step.
var errKilled = errors.New("killed")

// TestObserveCompleteness: a marked venv is judged by its METADATA and
// starts nothing; one without the marker (or with another layout) is
// probed once; a pending marker says an apply stopped, and the venv is
// made again without a probe.
func TestObserveCompleteness(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		setup  func(l *lab)
		probe  []string // the one Query expected, "<py>" for the venv's python
		stderr string   // the probe fails with this
		want   []string
	}{
		{
			name:  "marked: no probe",
			setup: func(l *lab) { l.makeVenv("tiny", "1.0") },
		},
		{
			name:  "no marker, pip runs: judged by METADATA",
			setup: func(l *lab) { l.makeVenv("tiny", "1.0"); l.unmark() },
			probe: []string{"<py>", "-m", "pip", "--version"},
		},
		{
			name: "an older marker layout is probed",
			setup: func(l *lab) {
				l.makeVenv("tiny", "1.0")
				mustWrite(l.t, l.marker(), "done\n")
			},
			probe: []string{"<py>", "-m", "pip", "--version"},
		},
		{
			name: "half-written pip",
			setup: func(l *lab) {
				l.makeVenv("tiny", "1.0")
				l.unmark()
				mustWrite(l.t, filepath.Join(l.site("3.11"), "pip", "__init__.py"), "")
			},
			probe:  []string{"<py>", "-m", "pip", "--version"},
			stderr: halfPip,
			want: []string{
				"+ venv: recreate: pip does not run: ModuleNotFoundError: No module named 'pip._internal.utils'",
				"+ tiny: not installed",
			},
		},
		{
			name: "no pip, no marker: python is probed",
			setup: func(l *lab) {
				l.makeVenv("tiny", "1.0")
				l.unmark()
				_ = os.RemoveAll(filepath.Join(l.site("3.11"), "pip-23.0.1.dist-info"))
			},
			probe:  []string{"<py>", "-c", "pass"},
			stderr: "Fatal Python error: init_fs_encoding: failed to get the Python codec of the filesystem encoding",
			want: []string{
				"+ venv: recreate: python does not run: Fatal Python error: init_fs_encoding: failed to get the Python codec of the filesystem encoding",
				"+ tiny: not installed",
			},
		},
		{
			name: "pending: the last apply stopped",
			setup: func(l *lab) {
				l.makeVenv("tiny", "1.0")
				mustWrite(l.t, l.marker(), completeHeader+"\n"+pendingLine+"\n")
			},
			want: []string{"+ venv: recreate: incomplete (the last apply stopped before it finished)", "+ tiny: not installed"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t)
			tt.setup(l)
			v := l.new(&recipe.Virtualenv{Packages: []string{"tiny"}})
			sys := newNoSpawn(t)
			if tt.probe != nil {
				argv := slices.Clone(tt.probe)
				argv[0] = l.py()
				a := sys.Expect(systemtest.Query, argv...)
				if tt.stderr != "" {
					a.Exit(1, tt.stderr)
				}
			}
			st := observe(t, v, sys)
			if got := changes(v, st); !slices.Equal(got, tt.want) {
				t.Errorf("Diff:\n got %q\nwant %q", got, tt.want)
			}
			probes := 0
			if tt.probe != nil {
				probes = 1
			}
			if len(sys.Ran()) != probes {
				t.Errorf("started %q", sys.Ran())
			}
		})
	}
}

// TestProbeRemembered: a venv envup did not mark is probed once; the
// answer is remembered in the memo by its pip's metadata folder, so the
// next observe starts nothing, and pip rewritten asks again.
func TestProbeRemembered(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenv("tiny", "1.0")
	l.unmark()
	v := l.new(&recipe.Virtualenv{Packages: []string{"tiny"}})
	v.opts.Memo = state.NewMemo(nil)

	sys := newNoSpawn(t)
	sys.Expect(systemtest.Query, l.py(), "-m", "pip", "--version")
	observe(t, v, sys)
	if len(sys.Ran()) != 1 {
		t.Fatalf("first observe started %q, want the probe", sys.Ran())
	}
	again := newNoSpawn(t)
	if st := observe(t, v, again); len(again.Ran()) != 0 || len(changes(v, st)) != 0 {
		t.Errorf("second observe started %q, changes %q", again.Ran(), changes(v, st))
	}

	pipDir := filepath.Join(l.site("3.11"), "pip-23.0.1.dist-info")
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(pipDir, later, later); err != nil {
		t.Fatal(err)
	}
	third := newNoSpawn(t)
	third.Expect(systemtest.Query, l.py(), "-m", "pip", "--version")
	observe(t, v, third)
	if len(third.Ran()) != 1 {
		t.Errorf("pip changed, observe started %q, want the probe again", third.Ran())
	}
}

// TestApplyHealsHalfWrittenPip: the venv whose pip does not run is made
// again beside the old one, and marked complete only after pip installed
// its packages; the next observe starts nothing.
func TestApplyHealsHalfWrittenPip(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenv("tiny", "1.0")
	l.unmark()
	mustWrite(t, filepath.Join(l.site("3.11"), "pip", "__init__.py"), "")
	v := l.new(&recipe.Virtualenv{Packages: []string{"tiny"}})
	probe := newNoSpawn(t)
	probe.Expect(systemtest.Query, l.py(), "-m", "pip", "--version").Exit(1, halfPip)
	st := observe(t, v, probe)
	fake := newFake(t,
		run(l.base.path, "-m", "venv", l.venv).then(func() {
			if _, err := os.Stat(filepath.Join(l.venv+oldSuffix, "lib", "python3.11", "site-packages", "pip", "__init__.py")); err != nil {
				t.Errorf("the old venv is not aside: %v", err)
			}
			if m := readMarkerFile(t, l); m != completeHeader+"\n"+pendingLine+"\n" {
				t.Errorf("marker before -m venv: %q, want pending", m)
			}
			freshVenv(l)()
		}),
		run(pipInstall(l.py(), "tiny")...).then(func() {
			if m := readMarkerFile(t, l); !strings.Contains(m, pendingLine) {
				t.Errorf("marker while pip installs: %q, want pending", m)
			}
			writeDist(t, l.site("3.11"), "tiny", "1.0")
		}),
	)
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
	if m := readMarkerFile(t, l); !strings.HasPrefix(m, completeHeader+"\nwants sha256:") {
		t.Errorf("marker after apply: %q", m)
	}
	if _, err := os.Stat(l.venv + oldSuffix); !os.IsNotExist(err) {
		t.Errorf("the old venv stays: %v", err)
	}
	again := newNoSpawn(t)
	if got := changes(v, observe(t, v, again)); len(got) != 0 || len(again.Ran()) != 0 {
		t.Errorf("after the heal: Diff %q, started %q", got, again.Ran())
	}
}

// TestApplyKilledBeforeMarker: a change to a marked venv marks it pending
// before pip; an apply killed after pip installed, before the marker was
// written complete, leaves it pending, and the next one makes it again.
func TestApplyKilledBeforeMarker(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenv("tiny", "1.0")
	v := l.new(&recipe.Virtualenv{Packages: []string{"tiny>=2"}})
	st := observe(t, v, newNoSpawn(t))
	fake := newFake(t, run(pipInstall(l.py(), "tiny>=2")...).then(func() {
		if m := readMarkerFile(t, l); m != completeHeader+"\n"+pendingLine+"\n" {
			t.Errorf("marker while pip installs: %q, want pending", m)
		}
		writeDist(t, l.site("3.11"), "tiny", "2.0")
	}))
	// The kill: the process dies as it goes to write the marker complete.
	fake.Hook(func(verb systemtest.Verb, name string) error {
		if verb == systemtest.WriteFile && name == l.marker() && strings.Contains(readMarkerFile(t, l), pendingLine) {
			return errKilled
		}
		return nil
	})
	if err := v.Apply(t.Context(), fake, st); err == nil {
		t.Fatal("the kill did not stop the apply")
	}
	st = observe(t, v, newNoSpawn(t))
	want := []string{"+ venv: recreate: incomplete (the last apply stopped before it finished)", "+ tiny: not installed"}
	if got := changes(v, st); !slices.Equal(got, want) {
		t.Errorf("after the kill: Diff %q\nwant %q", got, want)
	}
	fake = newFake(t,
		run(l.base.path, "-m", "venv", l.venv).then(freshVenv(l)),
		run(pipInstall(l.py(), "tiny>=2")...).then(func() { writeDist(t, l.site("3.11"), "tiny", "2.0") }),
	)
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
	again := newNoSpawn(t)
	if got := changes(v, observe(t, v, again)); len(got) != 0 || len(again.Ran()) != 0 {
		t.Errorf("after the rebuild: Diff %q, started %q", got, again.Ran())
	}
}

// TestApplyPipFailsUnmarks: a pip that fails by itself leaves whole
// packages: the pending marker goes, and the next observe probes rather
// than making the venv again.
func TestApplyPipFailsUnmarks(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenv("tiny", "1.0")
	v := l.new(&recipe.Virtualenv{Packages: []string{"tiny>=2"}})
	st := observe(t, v, newNoSpawn(t))
	fake := newFake(t, run(pipInstall(l.py(), "tiny>=2")...).fails(1, "ERROR: No matching distribution found for tiny>=2"))
	if err := v.Apply(t.Context(), fake, st); err == nil {
		t.Fatal("no error")
	}
	if m := readMarkerFile(t, l); m != "" {
		t.Errorf("marker after pip failed: %q", m)
	}
	probe := newNoSpawn(t)
	probe.Expect(systemtest.Query, l.py(), "-m", "pip", "--version")
	if got := changes(v, observe(t, v, probe)); !slices.Equal(got, []string{"~ tiny: 1.0 installed, want >=2"}) {
		t.Errorf("Diff = %q", got)
	}
}

// TestApplyMarksForeignVenv: a venv envup did not make, probed, gets the
// marker once envup has changed it; then it is never probed again.
func TestApplyMarksForeignVenv(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenv("tiny", "1.0")
	l.unmark()
	v := l.new(&recipe.Virtualenv{Packages: []string{"tiny", "six"}})
	probe := newNoSpawn(t)
	probe.Expect(systemtest.Query, l.py(), "-m", "pip", "--version")
	st := observe(t, v, probe)
	fake := newFake(t, run(pipInstall(l.py(), "six")...).then(func() { writeDist(t, l.site("3.11"), "six", "1.16.0") }))
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
	again := newNoSpawn(t)
	if got := changes(v, observe(t, v, again)); len(got) != 0 || len(again.Ran()) != 0 {
		t.Errorf("after apply: Diff %q, started %q", got, again.Ran())
	}
}
