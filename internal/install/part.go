package install

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// Part is how a snapshot records one kind: what a machine has of it —
// all of it, not only what a recipe names — the facts a diff compares,
// what a recipe wants in those same facts, and the recipe `envup
// capture` writes back. A kind's package makes one with Record; its
// Kind.Part holds it, and package snapshot iterates the registry.
type Part interface {
	Section() string // the snapshot's key: "interpreters"
	// Inspect reads what the machine has, through sys; what it could not
	// read is said in errs and the rest is still returned.
	Inspect(ctx context.Context, sys system.System, look Look) (seen any, errs []error)
	Decode(data []byte) (any, error)  // a section of a snapshot file
	Empty() any                       // what a machine without any has: [] or {}, never null
	Count(seen any) int               // how many things seen, for people
	Tilde(seen any, home detect.Path) // writes the paths under home as ~/… in place (Path.Collapse)
	Facts(seen any, fs Facts)
	Wants(r *recipe.Recipe, p detect.Platform, fs Facts) error
	Capture(seen any, c *Captured)
	// Words say what a fact's path (split at "/", unescaped; path[0] is
	// the section) is about, in a diff's words: the context ("venv ci"),
	// the item ("pytest"), and how the two are joined (": ").
	Words(path []string) (context, item, join string)
}

// Look says where a snapshot looks beyond what each kind finds by itself.
type Look struct {
	Platform detect.Platform
	Memo     *state.Memo // remembered interpreter and server versions; nil remembers nothing
	// Venvs are virtualenvs known by name: those in envup's state and
	// those a recipe names.
	Venvs []KnownVenv
	// VenvRoots are folders whose subfolders holding a pyvenv.cfg are
	// venvs too (~/.virtualenvs, a project folder).
	VenvRoots []string
	Root      string // where the OS package databases are read (ENVUP_ROOT); "" is /
}

// KnownVenv is a virtualenv known by name; FoundBy says how (state,
// recipe).
type KnownVenv struct {
	Name, Path, FoundBy string
}

// Captured is a recipe being written from a snapshot, each kind adding
// its section in the registry's order (a virtualenv finds its
// interpreter's key among those already written).
type Captured struct {
	Recipe *recipe.Recipe
	// Fonts are the files to copy: from (the path on this machine, ~
	// expanded) → to (relative to the recipe's folder).
	Fonts map[string]string
	// Left says what the recipe could not hold, for the person who runs
	// capture.
	Left []string
	// Home is the folder ~ stands for on the machine capture runs on.
	Home detect.Path
	// Packages asks for the OS packages the user installed, as one group.
	Packages bool
}

// Recorder is a kind's Part with its own type T for what it sees: a
// slice or a map, whose zero length is an empty machine.
type Recorder[T any] interface {
	// Inspect reads the machine; an error joined of several
	// (errors.Join) is said one by one, and what was read still counts.
	Inspect(ctx context.Context, sys system.System, look Look) (T, error)
	Count(seen T) int
	Tilde(seen T, home detect.Path) // writes the paths under home as ~/… in place (Path.Collapse)
	Facts(seen T, fs Facts)
	Wants(r *recipe.Recipe, p detect.Platform, fs Facts) error
	Capture(seen T, c *Captured)
	Words(path []string) (context, item, join string)
}

// Record makes r the Part recorded under section, empty being what a
// machine without any has. It is the one place a Part's value is
// asserted to be the kind's own type.
func Record[T any](section string, empty func() T, r Recorder[T]) *Recorded[T] {
	return &Recorded[T]{section: section, empty: empty, r: r}
}

// Recorded is a Part whose values are T; Of reads them back typed.
type Recorded[T any] struct {
	section string
	empty   func() T
	r       Recorder[T]
}

// Of is the part's value among a snapshot's parts, empty when it has none.
func (p *Recorded[T]) Of(parts map[string]any) T {
	if v, ok := parts[p.section].(T); ok {
		return v
	}
	return p.empty()
}

func (p *Recorded[T]) Section() string { return p.section }
func (p *Recorded[T]) Empty() any      { return p.empty() }

func (p *Recorded[T]) Inspect(ctx context.Context, sys system.System, look Look) (any, []error) {
	seen, err := p.r.Inspect(ctx, sys, look)
	if v := reflect.ValueOf(seen); (v.Kind() == reflect.Slice || v.Kind() == reflect.Map) && v.IsNil() {
		seen = p.empty() // [] or {}, not null
	}
	var many interface{ Unwrap() []error }
	switch {
	case err == nil:
		return seen, nil
	case errors.As(err, &many):
		return seen, many.Unwrap()
	}
	return seen, []error{err}
}

func (p *Recorded[T]) Decode(data []byte) (any, error) {
	v := p.empty()
	if string(bytes.TrimSpace(data)) == "null" {
		return v, nil
	}
	err := json.Unmarshal(data, &v)
	return v, err
}

func (p *Recorded[T]) Count(seen any) int { return p.r.Count(p.typed(seen)) }

func (p *Recorded[T]) Tilde(seen any, home detect.Path) {
	p.r.Tilde(p.typed(seen), home)
}

func (p *Recorded[T]) Facts(seen any, fs Facts) { p.r.Facts(p.typed(seen), fs) }

func (p *Recorded[T]) Wants(r *recipe.Recipe, pl detect.Platform, fs Facts) error {
	return p.r.Wants(r, pl, fs)
}

func (p *Recorded[T]) Capture(seen any, c *Captured) { p.r.Capture(p.typed(seen), c) }

func (p *Recorded[T]) Words(path []string) (string, string, string) { return p.r.Words(path) }

func (p *Recorded[T]) typed(seen any) T {
	if v, ok := seen.(T); ok {
		return v
	}
	return p.empty()
}
