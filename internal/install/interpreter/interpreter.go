// Package interpreter installs language runtimes (python, node) from the
// catalog or the recipe, trying the recipe's sources in order: existing
// (already on the machine), archive (a prebuilt tree, or a python.org
// installer on Windows), system (the OS package manager) and build (the
// source tarball). Every fallback is said, and --source-strict makes it an
// error.
package interpreter

import (
	"context"
	"fmt"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/bindir"
	"github.com/envup/envup/internal/install/inventory"
	"github.com/envup/envup/internal/install/source"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Options are what every interpreter resource of a run shares.
type Options = source.Options

// Found is an interpreter on the host that satisfies the recipe.
type Found = source.Found

// Interpreter is one recipe interpreters entry.
type Interpreter struct {
	key  string
	spec *recipe.Interpreter
	tool *tool
	c    catalog.Constraint
	p    detect.Platform
	opts Options
	src  *source.Install
}

var _ interface {
	install.Typed[*State]
	install.Verifier[*State]
	install.Pinner[*State]
	install.Describer[*State]
} = (*Interpreter)(nil)

// New returns the resource for the interpreters entry key.
func New(key string, spec *recipe.Interpreter, p detect.Platform, opts Options) (*Interpreter, error) {
	name := spec.Tool
	if name == "" {
		name = key
	}
	t, ok := tools[name]
	if !ok {
		return nil, fmt.Errorf("interpreter %s: envup cannot install %s", key, name)
	}
	c, err := catalog.ParseConstraint(spec.Version)
	if err != nil {
		return nil, fmt.Errorf("interpreter %s: %w", key, err)
	}
	r := &Interpreter{key: key, spec: spec, tool: t, c: c, p: p, opts: source.WithDefaults(opts)}
	sources := spec.Sources
	if len(sources) == 0 {
		sources = t.sources
	}
	r.src = &source.Install{Kind: r.kind(), Want: spec.Version, C: c, Sources: sources, Archive: spec.Archive, P: p, Opts: r.opts}
	if spec.Unpinned != "" {
		// What the recipe asks without its lock: tried when the pinned
		// files cannot be fetched.
		loose := *spec
		loose.Version, loose.Unpinned = spec.Unpinned, ""
		u, err := New(key, &loose, p, opts)
		if err != nil {
			return nil, err
		}
		r.src.Unpinned = u.src
	}
	return r, nil
}

// ID is "interpreter/<key>".
func (r *Interpreter) ID() install.ID { return install.ID{Kind: "interpreter", Name: r.key} }

// State is what Observe saw: the interpreter that satisfies the recipe
// and the bin links it lacks, or how envup would install one.
type State struct {
	Have   *Found          `json:"have,omitempty"`
	Unlink []bindir.Link   `json:"-"` // links to (re)make for Have
	Plan   []source.Choice `json:"-"` // the sources that can install, in the recipe's order
	Tried  []string        `json:"tried,omitempty"`
}

// Observe looks for a satisfying interpreter — envup's own installs
// first, then (for the existing and system sources) what is already on
// the machine — and, when there is none, works out how each source would
// install one. It never runs an interpreter whose version it remembers.
func (r *Interpreter) Observe(ctx context.Context, sys system.System) (*State, error) {
	st := &State{}
	have, err := r.src.Satisfying(ctx, sys)
	if err != nil {
		return nil, err
	}
	if have != nil {
		st.Have = have
		st.Unlink = r.src.MissingLinks(sys, have)
		return st, nil
	}
	if st.Plan, st.Tried, err = r.src.Plan(ctx, sys); err != nil {
		return nil, err
	}
	return st, nil
}

// Diff says what is missing: nothing, the bin links, or the interpreter
// and the source it would come from (with the sources passed over).
func (r *Interpreter) Diff(st *State) []install.Change {
	if st == nil {
		return nil
	}
	if st.Have != nil {
		var changes []install.Change
		for _, l := range st.Unlink {
			changes = append(changes, install.Change{Action: install.Update, Subject: l.Name, Why: "link to " + st.Have.Version + " missing in " + r.p.Dirs.Bin})
		}
		return changes
	}
	if len(st.Plan) == 0 {
		return nil
	}
	return []install.Change{r.src.Change(st.Plan, st.Tried)}
}

// Apply installs with the first source that can, falling back to the next
// ones (said on Options.Log) unless SourceStrict; checks the new
// interpreter's health; and makes the bin links.
func (r *Interpreter) Apply(ctx context.Context, sys system.System, st *State) error {
	have := st.Have
	if have == nil {
		var err error
		if have, err = r.src.Install(ctx, sys, r.ID(), st.Plan); err != nil {
			return err
		}
	}
	return r.src.Link(sys, have)
}

// Pins is the version and files of the ways that can install (source.Pins).
func (r *Interpreter) Pins(_ system.System, st *State) install.Pinned {
	if st == nil {
		return install.Pinned{}
	}
	return source.Pins(st.Plan)
}

// Verify runs the health check on the interpreter that satisfies the
// recipe (`envup check`): a Python that lost its ssl module since it was
// installed is found here, not in the lab.
func (r *Interpreter) Verify(ctx context.Context, sys system.System, st *State) error {
	if st == nil || st.Have == nil {
		return nil
	}
	return r.tool.health(ctx, sys, st.Have, r.p)
}

// Describe says which interpreter satisfies the recipe, and where.
func (r *Interpreter) Describe(st *State) string {
	if st == nil || st.Have == nil {
		return ""
	}
	return fmt.Sprintf("%s %s at %s (%s)", r.tool.name, st.Have.Version, st.Have.Path, st.Have.Origin)
}

// Current is the interpreter that satisfies the recipe right now — its
// path and version — for the resources built on it (virtualenvs). ok is
// false when none is installed yet (a plan, before apply installs it).
func (r *Interpreter) Current(ctx context.Context, sys system.System) (path, version string, ok bool, err error) {
	have, err := r.src.Satisfying(ctx, sys)
	if err != nil || have == nil {
		return "", "", false, err
	}
	return have.Path, have.Version, true, nil
}

// onHost is an interpreter already on the machine that satisfies the
// recipe, for the existing and system sources; nil when there is none.
func (r *Interpreter) onHost(ctx context.Context, sys system.System) (*Found, error) {
	if !r.src.Allows("existing") && !r.src.Allows("system") {
		return nil, nil
	}
	found, err := inventory.Find(ctx, sys, r.tool.name, r.p, r.opts.Memo)
	if err != nil {
		return nil, err
	}
	for _, f := range found {
		if r.c.Check(f.Version) && (r.src.Allows("existing") || f.Origin == "system") {
			return &Found{Path: f.Path, Version: f.Version, Origin: f.Origin}, nil
		}
	}
	return nil, nil
}
