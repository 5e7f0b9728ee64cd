package install_test

import (
	"context"
	"errors"
	"testing"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

// counter wants n; it sees the number a test gives it.
type counter struct{ n int }

type seen struct{ n int }

func (c *counter) ID() install.ID { return install.ID{Kind: "counter", Name: "n"} }
func (c *counter) Observe(context.Context, system.System) (*seen, error) {
	return &seen{n: 1}, nil
}

func (c *counter) Diff(s *seen) []install.Change {
	if s == nil || s.n == c.n {
		return nil
	}
	return []install.Change{{Action: install.Update, Subject: "n", Why: "differs"}}
}

func (c *counter) Apply(_ context.Context, _ system.System, s *seen) error {
	s.n = c.n
	return nil
}

func (c *counter) Verify(_ context.Context, _ system.System, s *seen) error {
	if s.n != c.n {
		return errors.New("wrong n")
	}
	return nil
}

func TestErase(t *testing.T) {
	t.Parallel()
	c := &counter{n: 2}
	r := install.Erase(c)
	if r.ID() != c.ID() {
		t.Errorf("ID = %s", r.ID())
	}
	o, err := r.Observe(t.Context(), system.Absent{})
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Diff(o); len(d) != 1 {
		t.Errorf("Diff = %v, want one change", d)
	}
	if d := r.Diff(nil); d != nil {
		t.Errorf("Diff of nothing observed = %v, want none (the zero state)", d)
	}
	opt := r.Optional()
	if opt.Pins != nil || opt.Describe != nil || opt.Nothing != nil {
		t.Error("Optional has methods counter does not")
	}
	if opt.Verify == nil || opt.Verify(t.Context(), system.Absent{}, o) == nil {
		t.Error("Verify before Apply passed, want it to fail")
	}
	if err := r.Apply(t.Context(), system.Absent{}, o); err != nil {
		t.Fatal(err)
	}
	if err := opt.Verify(t.Context(), system.Absent{}, o); err != nil {
		t.Errorf("Verify after Apply: %v", err)
	}
	if err := r.Apply(t.Context(), system.Absent{}, "other"); err == nil || err.Error() != "apply: observed string, want *install_test.seen" {
		t.Errorf("Apply of another kind's state = %v", err)
	}
	if got, ok := install.As[*counter](r); !ok || got != c {
		t.Errorf("As[*counter] = %v, %v", got, ok)
	}
	if _, ok := install.As[interface{ Skip() string }](r); ok {
		t.Error("As found a Skip counter does not have")
	}
	if _, ok := install.As[*counter](nil); ok {
		t.Error("As found a counter in nil")
	}
}
