package install

import (
	"context"
	"fmt"

	"github.com/envup/envup/internal/system"
)

// Erase makes r a Resource. What it returns is the one place an Observed
// goes back to r's O (observed): r's methods, and the kind's, never
// assert it.
func Erase[O any](r Typed[O]) Resource {
	return &erased[O]{r: r, opt: optional(r)}
}

// Erased is Erase for what a constructor returns: r erased, or err.
func Erased[O any](r Typed[O], err error) (Resource, error) {
	if err != nil {
		return nil, err
	}
	return Erase(r), nil
}

// As is r's typed resource as a T (a *venv.Venv, a plan.Skipper); ok is
// false when it is not one, or r is nil.
func As[T any](r Resource) (T, bool) {
	if r == nil {
		var zero T
		return zero, false
	}
	t, ok := r.typed().(T)
	return t, ok
}

// Optional are a resource's optional methods, taking Observed: each is
// nil when its typed resource does not have it.
type Optional struct {
	Verify   func(ctx context.Context, sys system.System, o Observed) error // Verifier
	Pins     func(sys system.System, o Observed) Pinned                     // Pinner
	Describe func(o Observed) string                                        // Describer
	Nothing  func(o Observed) string                                        // Nothinger
}

type erased[O any] struct {
	r   Typed[O]
	opt Optional
}

// observed is o as the typed resource's own O. o is what its Observe
// returned, but for a resource never observed (skipped, or failed to
// observe), whose nil becomes the zero O: nil for the kinds' *State.
func observed[O any](o Observed) (O, bool) {
	s, ok := o.(O)
	return s, ok
}

// optional finds r's optional methods, once, as Erase makes it.
func optional[O any](r Typed[O]) Optional {
	var opt Optional
	if v, ok := r.(Verifier[O]); ok {
		opt.Verify = func(ctx context.Context, sys system.System, o Observed) error {
			s, _ := observed[O](o)
			return v.Verify(ctx, sys, s)
		}
	}
	if p, ok := r.(Pinner[O]); ok {
		opt.Pins = func(sys system.System, o Observed) Pinned {
			s, _ := observed[O](o)
			return p.Pins(sys, s)
		}
	}
	if d, ok := r.(Describer[O]); ok {
		opt.Describe = func(o Observed) string {
			s, _ := observed[O](o)
			return d.Describe(s)
		}
	}
	if n, ok := r.(Nothinger[O]); ok {
		opt.Nothing = func(o Observed) string {
			s, _ := observed[O](o)
			return n.Nothing(s)
		}
	}
	return opt
}

func (e *erased[O]) ID() ID             { return e.r.ID() }
func (e *erased[O]) Optional() Optional { return e.opt }
func (e *erased[O]) typed() any         { return e.r }

func (e *erased[O]) Observe(ctx context.Context, sys system.System) (Observed, error) {
	return e.r.Observe(ctx, sys)
}

func (e *erased[O]) Diff(o Observed) []Change {
	s, _ := observed[O](o)
	return e.r.Diff(s)
}

// Apply is the typed Apply, which must have what Observe saw: anything
// else is an error, not a zero state.
func (e *erased[O]) Apply(ctx context.Context, sys system.System, o Observed) error {
	s, ok := observed[O](o)
	if !ok {
		return fmt.Errorf("apply: observed %T, want %T", o, s)
	}
	return e.r.Apply(ctx, sys, s)
}
