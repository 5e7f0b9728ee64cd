package install

import (
	"errors"
	"io"
	"maps"
	"slices"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// Kind is one kind of resource, as its package registers it: what its
// IDs start with and how its resources are built from a recipe. The
// registry (package kinds) lists every Kind in the order a plan applies
// them; plan.Build iterates it.
type Kind struct {
	Name string // the kind its IDs start with: "interpreter" in "interpreter/python"
	// Part is how a snapshot and a diff record this kind; nil for a
	// kind a snapshot does not record.
	Part Part
	// Build makes the resources r asks of env.Platform, in the order they
	// are applied. An entry that cannot be built is an error; the others
	// are still returned, so every error of a recipe is said at once.
	Build func(env Env, r *recipe.Recipe) ([]Resource, error)
	// HereOnly says the kind's resources exist only for the machine envup
	// runs on: what they keep cannot be read on another host, so a plan
	// for one (--platform, --facts, an export) leaves them out.
	HereOnly bool
}

// Section is where a snapshot and a diff record k ("interpreters"); ""
// for a kind a snapshot does not record.
func (k Kind) Section() string {
	if k.Part == nil {
		return ""
	}
	return k.Part.Section()
}

// Env is what every kind is built with: the host planned for, the
// recipe's folder, and the options a run shares.
type Env struct {
	Platform detect.Platform
	Dir      string // the recipe's folder, where its relative paths start
	// Options are what every resource of a run shares.
	Options
	// Built are the resources the kinds before this one built, in order:
	// a virtualenv finds its interpreter among them.
	Built []Resource
}

// Options are what every resource of a run shares: the catalog, the
// memo, how strict to be, where to read package databases, where to say
// things, the recipe's own files and the mirrors. plan.Build takes them.
type Options struct {
	Catalog         *catalog.Catalog // nil: the built-in one
	Memo            *state.Memo      // remembered versions; nil remembers nothing
	SourceStrict    bool             // a fallback to a later install source is an error
	AllowUnverified bool             // take catalog downloads without a trusted sha256
	// Root, when set, is where package databases and headers are read
	// instead of / (ENVUP_ROOT: tests with fake package managers, chroots).
	Root     string
	Jobs     int       // make -j; 0 means 2
	Log      io.Writer // what envup says as it goes; nil: nowhere
	Live     io.Writer // a build's or pip's output as it comes; nil: kept for errors only
	Launcher string    // envup's own executable, which Windows bin entries copy; "" unknown
	// Recipe reads the recipe's own files (a files: source, a font or a
	// requirements file given by path). It is this machine even when
	// planning for another platform; nil: plan.Build reads them through
	// a read-only view of this machine.
	Recipe system.System
	// Mirrors and Offline are --mirror (with ENVUP_MIRROR and the
	// recipe's mirror:) and --offline, for the resources that download
	// outside envup's fetcher (pip).
	Mirrors []string
	Offline bool
	// Locked is --locked: a lock's pinned files that cannot be fetched
	// are an error rather than a fallback to the recipe's other sources.
	Locked bool
}

// Find is the resource built before with this ID, nil when there is none.
func (e Env) Find(id ID) Resource {
	for _, r := range e.Built {
		if r.ID() == id {
			return r
		}
	}
	return nil
}

// Each builds one resource per entry of a recipe section, in the order
// of its keys. An entry that cannot be built is an error; the others are
// still returned, and every error is said at once.
func Each[T any](section map[string]T, build func(key string, spec T) (Resource, error)) ([]Resource, error) {
	var out []Resource
	var errs []error
	for _, key := range slices.Sorted(maps.Keys(section)) {
		res, err := build(key, section[key])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, res)
	}
	return out, errors.Join(errs...)
}
