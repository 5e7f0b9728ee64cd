package host

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/venv"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// resource is a plan's resource, with a path when it stands for a
// virtualenv.
type resource struct{ id, path string }

func (r resource) ID() install.ID { return install.ParseID(r.id) }
func (r resource) Path() string   { return r.path }
func (resource) Observe(context.Context, system.System) (struct{}, error) {
	return struct{}{}, nil
}
func (resource) Diff(struct{}) []install.Change                       { return nil }
func (resource) Apply(context.Context, system.System, struct{}) error { return nil }

// python is the interpreter a test venv is built on.
type python struct{}

func (python) ID() install.ID { return install.ID{Kind: "interpreter", Name: "python"} }
func (python) Current(context.Context, system.System) (string, string, bool, error) {
	return "", "", false, nil
}

// virtualenv is a venv resource at path, as the venv kind builds one.
func virtualenv(t *testing.T, key, path string, p detect.Platform) install.Resource {
	t.Helper()
	v, err := venv.New(key, &recipe.Virtualenv{Path: path, Python: "python"}, t.TempDir(), python{}, p, venv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return install.Erase(v)
}

func platform(t *testing.T, short string) detect.Platform {
	t.Helper()
	p, err := detect.ParsePlatform(short)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// writeRecipe writes a recipe into a temp folder and returns its path.
func writeRecipe(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "recipe.yml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOpenForeign checks another host is seen through system.Absent,
// with the flags' mirrors first and the recipe's (relative to it) last,
// and that --locked refuses a recipe without a lock.
func TestOpenForeign(t *testing.T) {
	t.Parallel()
	path := writeRecipe(t, "envup: 1\nmirror: wheels\npackages:\n  tools:\n    apt: [git]\n")
	p := platform(t, "linux/debian/12/amd64")
	h, r, err := Open(path, p, Options{Mirrors: []string{"/media/usb"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := h.Sys.(system.Absent); !ok {
		t.Errorf("Sys = %T, want system.Absent", h.Sys)
	}
	if n := len(h.Mirrors); n < 2 || h.Mirrors[0] != "/media/usb" || h.Mirrors[n-1] != filepath.Join(filepath.Dir(path), "wheels") {
		t.Errorf("Mirrors = %q", h.Mirrors)
	}
	pl, err := h.Plan(r)
	if err != nil {
		t.Fatal(err)
	}
	if h.State != nil || len(pl.Resources) == 0 {
		t.Errorf("Plan() read a state (%v) or planned nothing (%d resources)", h.State, len(pl.Resources))
	}
	_, _, err = Open(path, p, Options{Locked: true})
	if err == nil || !strings.HasPrefix(err.Error(), "--locked: "+path+" has no lock") {
		t.Errorf("Open(--locked) error = %v", err)
	}
}

// TestMirrors checks the order: the flags', ENVUP_MIRROR's, then the
// recipe's, relative to it, a URL as it is.
func TestMirrors(t *testing.T) {
	t.Parallel()
	env := fetch.MirrorsFromEnv(os.Getenv)
	for _, tt := range []struct {
		mirror string
		want   []string
	}{
		{"", nil},
		{"wheels", []string{filepath.Join("/lab", "wheels")}},
		{"http://teacher:8080", []string{"http://teacher:8080"}},
	} {
		want := slices.Concat([]string{"a", "b"}, env, tt.want)
		if got := Mirrors(&recipe.Recipe{Dir: "/lab", Mirror: tt.mirror}, []string{"a", "b"}); !slices.Equal(got, want) {
			t.Errorf("Mirrors(%q) = %q, want %q", tt.mirror, got, want)
		}
	}
}

// TestRecord checks an apply that changed something is kept with the
// resources it changed, every virtualenv and every resource's outcome,
// that one that changed nothing (nor the memo) writes no state, and that
// one that only failed is kept.
func TestRecord(t *testing.T) {
	t.Parallel()
	p := platform(t, "linux/debian/12/amd64")
	p.Dirs.State = t.TempDir()
	h := &Host{Platform: p, Sys: system.NewReal(), State: &state.State{}, Memo: state.NewMemo(nil)}
	if err := h.Record("recipe.yml", nil, false); err != nil {
		t.Fatal(err)
	}
	if _, err := LastRecipe(p.Dirs.State); !errors.Is(err, ErrNeverApplied) {
		t.Fatalf("LastRecipe() after a no-op = %v, want ErrNeverApplied", err)
	}
	outcomes := []*plan.Outcome{
		{Resource: install.Erase(resource{id: "file/~/x"}), Status: plan.Applied},
		{Resource: virtualenv(t, "web", "/home/ann/web", p), Status: plan.Applied},
		{Resource: virtualenv(t, "api", "/home/ann/api", p), Status: plan.Unchanged},
		{Resource: install.Erase(resource{id: "file/~/z", path: "/home/ann/z"}), Status: plan.Unchanged}, // a path, but no venv
		{Resource: install.Erase(resource{id: "file/~/y"}), Status: plan.Unchanged},
		{Resource: install.Erase(resource{id: "interpreter/python"}), Status: plan.Unchanged, After: []install.ID{install.ParseID("packages/apt")}},
	}
	if err := h.Record("recipe.yml", outcomes, true); err != nil {
		t.Fatal(err)
	}
	st, err := state.Load(system.NewReal(), p.Dirs.State)
	if err != nil || len(st.Applies) != 1 {
		t.Fatalf("state = %+v, %v; want one apply", st, err)
	}
	a := st.Applies[0]
	abs, _ := filepath.Abs("recipe.yml")
	if a.Recipe != abs || a.Platform != p.String() || !reflect.DeepEqual(a.Changed, []string{"file/~/x", "virtualenv/web"}) ||
		!reflect.DeepEqual(a.Virtualenvs, map[string]string{"web": "/home/ann/web", "api": "/home/ann/api"}) {
		t.Errorf("apply = %+v", a)
	}
	if last, err := LastRecipe(p.Dirs.State); err != nil || last != abs {
		t.Errorf("LastRecipe() = %q, %v; want %q", last, err, abs)
	}
	wantOutcomes := []state.Outcome{
		{ID: "file/~/x", Status: "applied"},
		{ID: "virtualenv/web", Status: "applied"},
		{ID: "virtualenv/api", Status: "unchanged"},
		{ID: "file/~/z", Status: "unchanged"},
		{ID: "file/~/y", Status: "unchanged"},
		{ID: "interpreter/python", Status: "unchanged", Reason: "appeared after packages/apt"},
	}
	if !reflect.DeepEqual(a.Outcomes, wantOutcomes) {
		t.Errorf("outcomes = %+v", a.Outcomes)
	}

	failed := []*plan.Outcome{
		{Resource: install.Erase(resource{id: "virtualenv/web", path: "/home/ann/web"}), Status: plan.Failed, Err: errors.New("virtualenv/web: pip install: exit status 1\nmore")},
		{Resource: install.Erase(resource{id: "editor/vscode"}), Status: plan.Skipped, Reason: "needs virtualenv/web, which failed"},
	}
	if err := h.Record("recipe.yml", failed, false); err != nil {
		t.Fatal(err)
	}
	st, err = state.Load(system.NewReal(), p.Dirs.State)
	if err != nil || len(st.Applies) != 2 {
		t.Fatalf("state = %+v, %v; want two applies", st, err)
	}
	wantOutcomes = []state.Outcome{
		{ID: "virtualenv/web", Status: "failed", Reason: "pip install: exit status 1"},
		{ID: "editor/vscode", Status: "skipped", Reason: "needs virtualenv/web, which failed"},
	}
	if got := st.Applies[1].Outcomes; !reflect.DeepEqual(got, wantOutcomes) {
		t.Errorf("outcomes of the failed apply = %+v", got)
	}
}

// TestPathNote checks the note is said only when programs go into a bin
// dir the PATH lacks, and in each OS's words.
func TestPathNote(t *testing.T) {
	t.Parallel()
	sep := string(os.PathListSeparator)
	linux := platform(t, "linux/debian/12/amd64")
	linux.Home, linux.Dirs.Bin = "/home/ann", "/home/ann/.local/bin"
	windows := platform(t, "windows/10.0.22631/amd64")
	// No drive letter: off Windows the PATH's separator is the colon.
	windows.Dirs.Bin = `\Users\Ann\AppData\Local\envup\bin`
	tests := []struct {
		name     string
		p        detect.Platform
		path     string
		programs bool
		want     string
	}{
		{"no programs", linux, "/usr/bin", false, ""},
		{"on the PATH", linux, "/usr/bin" + sep + "/home/ann/.local/bin/", true, ""},
		{"not on the PATH", linux, "/usr/bin", true, `envup's bin dir ~/.local/bin is not on your PATH: add it with eval "$(envup env)" (in your shell's profile to keep it)`},
		{"windows, another case", windows, `\users\ann\appdata\local\envup\bin`, true, ""},
		{"windows, new terminal", windows, `\Windows`, true, `envup's bin dir \Users\Ann\AppData\Local\envup\bin is on your user PATH now: open a new terminal to use its programs`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := PathNote(tt.p, tt.path, tt.programs); got != tt.want {
				t.Errorf("PathNote() = %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestControlNoServices checks a plan without services controls nothing.
func TestControlNoServices(t *testing.T) {
	t.Parallel()
	h := &Host{Sys: system.Absent{}}
	services, statuses, err := h.Control(t.Context(), []install.Resource{install.Erase(resource{id: "file/~/x"})}, "start")
	if err != nil || len(services) != 0 || len(statuses) != 0 {
		t.Errorf("Control() = %v, %v, %v; want nothing", services, statuses, err)
	}
}
