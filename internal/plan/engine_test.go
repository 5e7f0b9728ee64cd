package plan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

// fakeResource wants a marker file to hold want. Observe counts its calls.
type fakeResource struct {
	id, path, want string
	failApply      error
	observed       atomic.Int32
	skip           string
	needs          []string
	pins           []install.Artifact
	applied        func() // called once it applied (a test interrupts the run there)
}

func (f *fakeResource) ID() install.ID { return install.ParseID(f.id) }
func (f *fakeResource) Skip() string   { return f.skip }

func (f *fakeResource) Needs() []install.ID {
	var ids []install.ID
	for _, n := range f.needs {
		ids = append(ids, install.ParseID(n))
	}
	return ids
}

func (f *fakeResource) Pins(system.System, string) install.Pinned {
	return install.Pinned{Artifacts: f.pins}
}

func (f *fakeResource) Observe(_ context.Context, sys system.System) (string, error) {
	f.observed.Add(1)
	data, err := sys.ReadFile(f.path)
	if err != nil {
		return "", nil //nolint:nilerr // missing is "absent"
	}
	return string(data), nil
}

func (f *fakeResource) Diff(got string) []install.Change {
	switch {
	case got == f.want:
		return nil
	case got == "":
		return []install.Change{{Action: install.Create, Subject: f.path, Why: "absent"}}
	default:
		return []install.Change{{Action: install.Update, Subject: f.path, Why: "content differs"}}
	}
}

func (f *fakeResource) Apply(_ context.Context, sys system.System, _ string) error {
	if f.failApply != nil {
		return f.failApply
	}
	if err := sys.WriteFile(f.path, []byte(f.want), 0o644); err != nil {
		return err
	}
	if f.applied != nil {
		f.applied()
	}
	return nil
}

// erase makes the fakes a plan's resources.
func erase(fakes ...*fakeResource) []install.Resource {
	out := make([]install.Resource, len(fakes))
	for i, f := range fakes {
		out[i] = install.Erase(f)
	}
	return out
}

func TestPlanPreviewsWithoutChanging(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sys := system.NewReal()
	same := &fakeResource{id: "fake/same", path: dir + "/same", want: "x"}
	if err := sys.WriteFile(same.path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed := &fakeResource{id: "fake/changed", path: dir + "/changed", want: "new"}
	if err := sys.WriteFile(changed.path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := &fakeResource{id: "fake/missing", path: dir + "/missing", want: "y"}
	skipped := &fakeResource{id: "fake/skipped", skip: "not here"}

	outcomes := Observe(t.Context(), sys, erase(same, changed, missing, skipped))
	if err := Preview(t.Context(), sys, outcomes); err != nil {
		t.Fatal(err)
	}
	wantStatus := []Status{Unchanged, Pending, Pending, Skipped}
	for i, o := range outcomes {
		if o.Status != wantStatus[i] {
			t.Errorf("%s: status %s, want %s", o.Resource.ID(), o.Status, wantStatus[i])
		}
	}
	if got := outcomes[2].Steps; len(got) != 1 || got[0].Verb != "write" || got[0].Target != missing.path {
		t.Errorf("missing's steps = %v", got)
	}
	if skipped.observed.Load() != 0 {
		t.Error("a skipped resource was observed")
	}
	if _, err := sys.Stat(missing.path); err == nil {
		t.Error("preview wrote a file")
	}
	c := Count(outcomes)
	if c != (Counts{Create: 1, Update: 1, Unchanged: 1, Skipped: 1}) {
		t.Errorf("counts = %+v", c)
	}
	if got := c.Line(); got != "Plan: 1 to add, 1 to change, 1 unchanged, 1 skipped." {
		t.Errorf("line = %q", got)
	}

	var text bytes.Buffer
	NewReport("r.yml", "linux/debian/12/amd64", dir, outcomes).WriteText(&text, false)
	want := "~ fake/changed  ~/changed: content differs\n+ fake/missing  ~/missing: absent\n- fake/skipped  skipped: not here\n"
	if text.String() != want {
		t.Errorf("text =\n%s\nwant\n%s", text.String(), want)
	}
}

type nopProgress struct{ started []string }

func (p *nopProgress) Start(o *Outcome) { p.started = append(p.started, o.Resource.ID().String()) }
func (p *nopProgress) Done(*Outcome)    {}

// applyAll observes and applies the fakes, none of which may fail.
func applyAll(t *testing.T, sys system.System, fakes ...*fakeResource) ([]*Outcome, *nopProgress) {
	t.Helper()
	outcomes := Observe(t.Context(), sys, erase(fakes...))
	progress := &nopProgress{}
	if err := Apply(t.Context(), sys, outcomes, progress, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	return outcomes, progress
}

func TestApplyChangesInOrderAndReobservesAfterAChange(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sys := system.NewReal()
	first := &fakeResource{id: "fake/first", path: dir + "/a", want: "1"}
	second := &fakeResource{id: "fake/second", path: dir + "/b", want: "2"}
	_, progress := applyAll(t, sys, first, second)
	if strings.Join(progress.started, ",") != "fake/first,fake/second" {
		t.Errorf("applied %v", progress.started)
	}
	if second.observed.Load() != 2 {
		t.Errorf("second observed %d times, want 2 (again after first changed the host)", second.observed.Load())
	}
	again := Observe(t.Context(), sys, erase(first, second))
	if c := Count(again); c.Unchanged != 2 || c.AppliedLine() != "Nothing to change: 2 resources already as the recipe wants." {
		t.Errorf("second run: %+v %q", c, c.AppliedLine())
	}
}

// --fail-fast stops at the first failure: what comes after is not
// attempted, and says so.
func TestApplyFailFastStopsAtTheFirstFailure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sys := system.NewReal()
	bad := &fakeResource{id: "fake/bad", path: dir + "/a", want: "1", failApply: errors.New("boom")}
	after := &fakeResource{id: "fake/after", path: dir + "/b", want: "2"}
	outcomes := Observe(t.Context(), sys, erase(bad, after))
	err := Apply(t.Context(), sys, outcomes, &nopProgress{}, ApplyOptions{FailFast: true})
	if err == nil || err.Error() != "fake/bad: boom" {
		t.Fatalf("err = %v, want \"fake/bad: boom\"", err)
	}
	if _, statErr := sys.Stat(after.path); statErr == nil {
		t.Error("a resource after the failure was applied")
	}
	if o := outcomes[1]; o.Status != Skipped || o.Reason != "not attempted: fake/bad failed first (--fail-fast)" {
		t.Errorf("after: %s %q", o.Status, o.Reason)
	}
}

// An interrupted apply (Ctrl-C, SIGTERM) begins nothing more, with or
// without --fail-fast: keep-going is for failures, not for a person
// stopping the run.
func TestApplyStopsWhenInterrupted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sys := system.NewReal()
	ctx, cancel := context.WithCancel(t.Context())
	first := &fakeResource{id: "fake/first", path: dir + "/a", want: "1", applied: cancel}
	after := &fakeResource{id: "fake/after", path: dir + "/b", want: "2"}
	outcomes := Observe(ctx, sys, erase(first, after))
	err := Apply(ctx, sys, outcomes, &nopProgress{}, ApplyOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if _, statErr := sys.Stat(after.path); statErr == nil {
		t.Error("a resource after the interruption was applied")
	}
	if o := outcomes[1]; o.Status != Skipped || o.Reason != "not attempted: the apply was interrupted" {
		t.Errorf("after: %s %q", o.Status, o.Reason)
	}
}

// A failure skips what needs it, and what needs those, and nothing else:
// the independent resources still apply, in order.
func TestApplyGoesOnPastAFailure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sys := system.NewReal()
	interp := &fakeResource{id: "interpreter/python", path: dir + "/py", want: "3.12"}
	venv := &fakeResource{id: "virtualenv/lab", path: dir + "/lab", want: "x", needs: []string{"interpreter/python"}, failApply: errors.New("pip install: exit status 1")}
	font := &fakeResource{id: "font/mono", path: dir + "/font", want: "f"}
	editor := &fakeResource{id: "editor/vscode", path: dir + "/settings", want: "s", needs: []string{"virtualenv/lab"}}
	vim := &fakeResource{id: "editor/vim", path: dir + "/vimrc", want: "v", needs: []string{"editor/vscode"}}
	file := &fakeResource{id: "file/a", path: dir + "/a", want: "a"}
	outcomes := Observe(t.Context(), sys, erase(interp, venv, font, editor, vim, file))
	progress := &nopProgress{}
	err := Apply(t.Context(), sys, outcomes, progress, ApplyOptions{})
	if err == nil || err.Error() != "virtualenv/lab: pip install: exit status 1" {
		t.Fatalf("err = %v", err)
	}
	if got := strings.Join(progress.started, ","); got != "interpreter/python,virtualenv/lab,font/mono,file/a" {
		t.Errorf("applied %s", got)
	}
	want := []struct {
		status Status
		reason string
	}{
		{Applied, ""},
		{Failed, ""},
		{Applied, ""},
		{Skipped, "needs virtualenv/lab, which failed"},
		{Skipped, "needs editor/vscode, which needs virtualenv/lab, which failed"},
		{Applied, ""},
	}
	for i, o := range outcomes {
		if o.Status != want[i].status || o.Reason != want[i].reason {
			t.Errorf("%s: %s %q, want %s %q", o.Resource.ID(), o.Status, o.Reason, want[i].status, want[i].reason)
		}
	}
	for _, f := range []*fakeResource{editor, vim} {
		if _, err := sys.Stat(f.path); err == nil {
			t.Errorf("%s was applied", f.id)
		}
	}
}

// A resource an earlier one made as the recipe wants says so: unchanged,
// appeared after what was applied before it.
func TestApplySaysWhatAppearedAfterAChange(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sys := system.NewReal()
	apt := &fakeResource{id: "packages/apt", path: dir + "/python", want: "3.11.2"}
	python := &fakeResource{id: "interpreter/python", path: dir + "/python", want: "3.11.2"}
	outcomes, progress := applyAll(t, sys, apt, python)
	o := outcomes[1]
	if o.Status != Unchanged || len(o.After) != 1 || o.After[0].String() != "packages/apt" {
		t.Fatalf("python: %s after %v", o.Status, o.After)
	}
	if got := strings.Join(progress.started, ","); got != "packages/apt" {
		t.Errorf("applied %s", got)
	}
	var text bytes.Buffer
	NewReport("r.yml", "linux", dir, outcomes).WriteSummary(&text, false)
	if !strings.Contains(text.String(), "  unchanged  interpreter/python  existing, appeared after packages/apt\n") {
		t.Errorf("summary:\n%s", text.String())
	}
}

// The summary: a line a resource that did something, a failure in one
// line (the line of pip's output that says what went wrong, not its retry
// warnings) pointing to the full error, why the checks did not run.
func TestSummary(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sys := system.NewReal()
	retry := strings.Repeat("WARNING: Retrying (Retry(total=4, connect=None)) after connection broken by NewConnectionError: /simple/alpha/\n", 8)
	pipErr := fmt.Errorf("pip install: %w", &system.ExitError{
		Argv:     []string{dir + "/envs/lab/bin/python", "-m", "pip", "install", "alpha==1.0", "beta"},
		ExitCode: 1,
		Stderr:   retry + "ERROR: Could not find a version that satisfies the requirement alpha==1.0\nERROR: No matching distribution found for alpha==1.0",
	})
	venv := &fakeResource{id: "virtualenv/lab", path: dir + "/lab", want: "x", failApply: pipErr}
	editor := &fakeResource{id: "editor/vscode", path: dir + "/settings", want: "s", needs: []string{"virtualenv/lab"}}
	file := &fakeResource{id: "file/" + dir + "/a", path: dir + "/a", want: "a"}
	same := &fakeResource{id: "font/mono", path: dir + "/font", want: "f"}
	if err := sys.WriteFile(same.path, []byte("f"), 0o644); err != nil {
		t.Fatal(err)
	}
	outcomes := Observe(t.Context(), sys, erase(venv, editor, file, same))
	if err := Apply(t.Context(), sys, outcomes, &nopProgress{}, ApplyOptions{}); err == nil {
		t.Fatal("no error")
	}
	outcomes[2].Took = 3 * time.Millisecond
	report := NewReport("r.yml", "linux", dir, outcomes)
	report.ChecksSkipped = "need every resource, and virtualenv/lab failed"
	var text bytes.Buffer
	report.WriteSummary(&text, false)
	want := `Summary: 1 applied, 1 unchanged, 1 failed, 1 skipped
  applied    file/~/a        in 3ms
  failed     virtualenv/lab  pip install: python: exit status 1: ERROR: No matching distribution found for alpha==1.0 (full error above)
  skipped    editor/vscode   needs virtualenv/lab, which failed
  skipped    checks          need every resource, and virtualenv/lab failed
`
	if text.String() != want {
		t.Errorf("summary =\n%s\nwant\n%s", text.String(), want)
	}
	if got := report.Resources[2].TookMS; got != 3 {
		t.Errorf("took_ms = %v, want 3", got)
	}
	if got := report.Summary.AppliedLine(); got != "Apply incomplete: 1 added, 0 changed, 1 unchanged, 1 skipped, 1 failed." {
		t.Errorf("closing line = %q", got)
	}
	long := errors.New(strings.Repeat("x", 300) + "\nsecond line")
	if got := Brief(long, install.ParseID("file/a")); utf8.RuneCountInString(got) != briefMax || strings.Contains(got, "second") {
		t.Errorf("Brief of a long error = %q", got)
	}
}

// warmSystem is a Real that records what Warm was asked to bring.
type warmSystem struct {
	*system.Real
	mu     sync.Mutex
	warmed []string
}

func (w *warmSystem) Warm(_ context.Context, files []system.Want) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range files {
		w.warmed = append(w.warmed, f.Name)
	}
	return nil
}

// Apply warms the download cache with the first remote file of every
// pending resource, once each (a later pin is a fallback's), and never
// with a file beside the recipe or one an unchanged resource pins.
func TestApplyWarmsTheDownloadCache(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sys := &warmSystem{Real: system.NewReal()}
	tarball := install.Artifact{Name: "Python-3.12.1.tgz", URL: "https://example.org/Python-3.12.1.tgz", SHA256: strings.Repeat("a", 64)}
	python := &fakeResource{id: "interpreter/python", path: dir + "/py", want: "3.12", pins: []install.Artifact{tarball}}
	again := &fakeResource{id: "service/redis", path: dir + "/redis", want: "7", pins: []install.Artifact{
		{Name: "redis-7.tar.gz", URL: "https://example.org/redis-7.tar.gz", SHA256: strings.Repeat("b", 64)},
		{Name: "redis-7-fallback.zip", URL: "https://example.org/redis-7-fallback.zip", SHA256: strings.Repeat("e", 64)},
	}}
	shared := &fakeResource{id: "service/valkey", path: dir + "/valkey", want: "8", pins: []install.Artifact{tarball}}
	wheel := &fakeResource{id: "virtualenv/lab", path: dir + "/lab", want: "x", pins: []install.Artifact{{Name: "a.whl", URL: "wheelhouse/a.whl", SHA256: strings.Repeat("c", 64)}}}
	same := &fakeResource{id: "font/mono", path: dir + "/font", want: "f", pins: []install.Artifact{{Name: "mono.ttf", URL: "https://example.org/mono.ttf", SHA256: strings.Repeat("d", 64)}}}
	if err := sys.WriteFile(same.path, []byte("f"), 0o644); err != nil {
		t.Fatal(err)
	}
	applyAll(t, sys, python, again, shared, wheel, same)
	if got := strings.Join(sys.warmed, ","); got != "Python-3.12.1.tgz,redis-7.tar.gz" {
		t.Errorf("warmed %s", got)
	}
}
