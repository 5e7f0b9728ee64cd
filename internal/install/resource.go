// Package install holds envup's resource kinds: one subpackage each
// (pkgmgr, file, check, and later interpreter, venv, service, font,
// editor). Each kind observes the host through a system.System, says how
// it differs from the recipe, and changes only that.
package install

import (
	"context"

	"github.com/envup/envup/internal/system"
)

// Typed is one thing a recipe wants on the host, as its kind writes it:
// O is what it sees there (each kind has its own State).
//
// Observe reads (never changes) and is cheap: it reads files rather than
// spawning programs wherever the answer is on disk. Diff is pure. Apply
// runs only when Diff is non-empty and gets what Observe saw, so it can
// change only what differs. plan runs Apply against system.DryRun, which
// records the steps; apply runs it against system.Real.
type Typed[O any] interface {
	ID() ID
	Observe(ctx context.Context, sys system.System) (O, error)
	Diff(o O) []Change
	Apply(ctx context.Context, sys system.System, o O) error
}

// Resource is a Typed resource as a plan holds it, whatever its kind:
// what it observed travels as Observed. Erase makes one, and only Erase
// does, so its Observed is always its own kind's.
//
// A typed resource's optional methods (Verifier, Pinner, Describer,
// Nothinger) take its own state, so a caller finds them through Optional,
// which takes Observed. Anything else of the kind's own (its type, a Skip
// or a Path) it finds through As.
type Resource interface {
	ID() ID // packages/build-tools, file/~/lab/seats.py
	Observe(ctx context.Context, sys system.System) (Observed, error)
	Diff(o Observed) []Change
	Apply(ctx context.Context, sys system.System, o Observed) error
	Optional() Optional
	typed() any // the resource Erase was given
}

// Observed is what a resource saw on the host: its kind's own state.
type Observed any

// Action is what a change does, as terraform plan marks it.
type Action int

// The actions a plan line can show.
const (
	Create Action = iota // + something missing is added
	Update               // ~ something present is changed
)

// Symbol is the one-character mark a plan line starts with.
func (a Action) Symbol() string {
	if a == Update {
		return "~"
	}
	return "+"
}

// String names the action for JSON output.
func (a Action) String() string {
	if a == Update {
		return "update"
	}
	return "create"
}

// Change is one difference between the host and the recipe: what and why.
type Change struct {
	Action  Action `json:"-"`
	Subject string `json:"subject"` // "curl", "~/lab/seats.py"
	Why     string `json:"why"`     // "not installed", "content differs (12 lines)"
}

// Verifier is a resource that can prove, beyond its observed state, that
// what it installed works (an interpreter imports ssl). `envup check`
// calls Verify on every resource already as the recipe wants.
type Verifier[O any] interface {
	Verify(ctx context.Context, sys system.System, o O) error
}

// Pinner is a resource whose install comes from pinned downloads. From
// what Observe saw on a fresh host (system.Absent) it says the version it
// would install and every file that install may need, for `envup lock`.
type Pinner[O any] interface {
	Pins(sys system.System, o O) Pinned
}

// Describer is a resource that can say in a few words what it found
// (python 3.11.2 at /usr/bin/python3.11): `plan -v` shows it beside an
// unchanged resource.
type Describer[O any] interface {
	Describe(o O) string
}

// Nothinger is a resource that, once observed, may find it has nothing to
// work on here (a JetBrains IDE never started on this machine): Nothing
// says why, and the plan shows the resource as skipped.
type Nothinger[O any] interface {
	Nothing(o O) string
}

// Needer is a resource that needs others to be as the recipe wants before
// it can be (a virtualenv its interpreter, settings that name a venv's
// path that venv). Apply goes on past a failure, and skips what needs a
// resource that failed; the plan finds it with As. Needs does not take O:
// what a resource needs is known when it is built.
type Needer interface {
	Needs() []ID
}

// Pinned is what a resource resolves to: a version ("" when it has none,
// like a font) and the files.
type Pinned struct {
	Version   string     `json:"version,omitempty"`
	Artifacts []Artifact `json:"artifacts,omitempty"`
	// Open says what the resource takes that a lock cannot pin (a venv's
	// packages from an index): `apply --locked` refuses it.
	Open string `json:"-"`
}

// Artifact is one pinned file: where it comes from, the name a mirror
// holds it under, its size when known and its sha256.
type Artifact struct {
	Name   string `json:"name"`
	URL    string `json:"url"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size,omitempty"`
	// Optional is a file the resource is better with but applies without
	// (a venv's seed: the catalog's pip wheel, else the one its python
	// bundles): fetch brings it when it can and says when it cannot, an
	// offline plan does not count it as missing, and no download of it
	// starts before the resource asks.
	Optional bool `json:"optional,omitempty"`
	// Instead says what a seat does without an optional file, for fetch's
	// warning when it cannot bring it.
	Instead string `json:"instead,omitempty"`
}
