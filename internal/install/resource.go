// Package install holds envup's resource kinds: one subpackage each
// (pkgmgr, file, check, and later interpreter, venv, service, font,
// editor). Each kind observes the host through a system.System, says how
// it differs from the recipe, and changes only that.
package install

import (
	"context"

	"github.com/envup/envup/internal/system"
)

// Resource is one thing a recipe wants on the host.
//
// Observe reads (never changes) and is cheap: it reads files rather than
// spawning programs wherever the answer is on disk. Diff is pure. Apply
// runs only when Diff is non-empty and gets what Observe saw, so it can
// change only what differs. plan runs Apply against system.DryRun, which
// records the steps; apply runs it against system.Real.
type Resource interface {
	ID() ID // packages/build-tools, file/~/lab/seats.py
	Observe(ctx context.Context, sys system.System) (Observed, error)
	Diff(o Observed) []Change
	Apply(ctx context.Context, sys system.System, o Observed) error
}

// Observed is what a resource saw on the host; each kind has its own type.
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
type Verifier interface {
	Verify(ctx context.Context, sys system.System, o Observed) error
}

// Pinner is a resource whose install comes from pinned downloads. From
// what Observe saw on a fresh host (system.Absent) it says the version it
// would install and every file that install may need, for `envup lock`.
type Pinner interface {
	Pins(sys system.System, o Observed) Pinned
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
}
