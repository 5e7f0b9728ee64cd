package plan

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

// fakeResource wants a marker file to hold want. Observe counts its calls.
type fakeResource struct {
	id, path, want string
	failApply      bool
	observed       atomic.Int32
	skip           string
}

func (f *fakeResource) ID() install.ID { return install.ParseID(f.id) }
func (f *fakeResource) Skip() string   { return f.skip }

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
	if f.failApply {
		return errors.New("boom")
	}
	return sys.WriteFile(f.path, []byte(f.want), 0o644)
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

func TestApplyChangesInOrderAndReobservesAfterAChange(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sys := system.NewReal()
	first := &fakeResource{id: "fake/first", path: dir + "/a", want: "1"}
	second := &fakeResource{id: "fake/second", path: dir + "/b", want: "2"}
	outcomes := Observe(t.Context(), sys, erase(first, second))
	progress := &nopProgress{}
	if err := Apply(t.Context(), sys, outcomes, progress); err != nil {
		t.Fatal(err)
	}
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

func TestApplyStopsAtTheFirstFailure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sys := system.NewReal()
	bad := &fakeResource{id: "fake/bad", path: dir + "/a", want: "1", failApply: true}
	after := &fakeResource{id: "fake/after", path: dir + "/b", want: "2"}
	outcomes := Observe(t.Context(), sys, erase(bad, after))
	err := Apply(t.Context(), sys, outcomes, &nopProgress{})
	if err == nil || err.Error() != "fake/bad: boom" {
		t.Fatalf("err = %v, want \"fake/bad: boom\"", err)
	}
	if _, statErr := sys.Stat(after.path); statErr == nil {
		t.Error("a resource after the failure was applied")
	}
}
