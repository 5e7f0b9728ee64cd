// Package interpreter installs language runtimes (python, node) from the
// catalog or the recipe, trying the recipe's sources in order: existing
// (already on the machine), archive (a prebuilt tree, or a python.org
// installer on Windows), system (the OS package manager) and build (the
// source tarball). Every fallback is said, and --source-strict makes it an
// error.
package interpreter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/bindir"
	"github.com/envup/envup/internal/install/inventory"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// Options are what every interpreter resource of a run shares.
type Options struct {
	Catalog         *catalog.Catalog // nil: the built-in one
	Memo            *state.Memo      // remembered versions; nil remembers nothing
	SourceStrict    bool             // a fallback to a later source is an error
	AllowUnverified bool             // take catalog downloads without a trusted sha256
	Root            string           // where package databases are read (ENVUP_ROOT); "" is /
	Jobs            int              // make -j; 0 means 2
	Log             io.Writer        // fallbacks are said here; nil: nowhere
	Live            io.Writer        // a build's output as it comes; nil: kept for errors only
	Launcher        string           // envup's own executable, which Windows bin entries copy; "" unknown
}

// Interpreter is one recipe interpreters entry.
type Interpreter struct {
	key  string
	spec *recipe.Interpreter
	tool *tool
	c    catalog.Constraint
	p    detect.Platform
	opts Options
}

var _ install.Resource = (*Interpreter)(nil)

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
	if opts.Catalog == nil {
		opts.Catalog = catalog.Builtin()
	}
	if opts.Jobs <= 0 {
		opts.Jobs = 2
	}
	return &Interpreter{key: key, spec: spec, tool: t, c: c, p: p, opts: opts}, nil
}

// ID is "interpreter/<key>".
func (r *Interpreter) ID() string { return "interpreter/" + r.key }

// Found is an interpreter on the host that satisfies the recipe.
type Found struct {
	Path    string `json:"path"`
	Version string `json:"version"`
	Origin  string `json:"origin"` // envup, or where inventory found it
	Prefix  string `json:"prefix,omitempty"`
}

// State is what Observe saw: the interpreter that satisfies the recipe
// and the bin links it lacks, or how envup would install one.
type State struct {
	Have   *Found        `json:"have,omitempty"`
	Unlink []bindir.Link `json:"-"` // links to (re)make for Have
	Plan   []choice      `json:"-"` // the sources that can install, in the recipe's order
	Tried  []string      `json:"tried,omitempty"`
}

// sources are the recipe's, or the tool's default order.
func (r *Interpreter) sources() []string {
	if len(r.spec.Sources) > 0 {
		return r.spec.Sources
	}
	return r.tool.sources
}

func (r *Interpreter) allows(source string) bool {
	for _, s := range r.sources() {
		if s == source {
			return true
		}
	}
	return false
}

// Observe looks for a satisfying interpreter — envup's own installs
// first, then (for the existing and system sources) what is already on
// the machine — and, when there is none, works out how each source would
// install one. It never runs an interpreter whose version it remembers.
func (r *Interpreter) Observe(ctx context.Context, sys system.System) (install.Observed, error) {
	st := &State{}
	have, err := r.satisfying(ctx, sys)
	if err != nil {
		return nil, err
	}
	if have != nil {
		st.Have = have
		st.Unlink = r.missingLinks(sys, have)
		return st, nil
	}
	st.Plan, st.Tried = r.choose(ctx, sys)
	if len(st.Plan) == 0 {
		return nil, fmt.Errorf("no source can install %s %s here: %s", r.tool.name, r.spec.Version, strings.Join(st.Tried, "; "))
	}
	if r.opts.SourceStrict && st.Plan[0].source != r.sources()[0] {
		return nil, fmt.Errorf("--source-strict: the first source cannot install %s %s: %s", r.tool.name, r.spec.Version, strings.Join(st.Tried, "; "))
	}
	return st, nil
}

// Diff says what is missing: nothing, the bin links, or the interpreter
// and the source it would come from (with the sources passed over).
func (r *Interpreter) Diff(o install.Observed) []install.Change {
	st, ok := o.(*State)
	if !ok || st == nil {
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
	first := st.Plan[0]
	why := first.describe()
	if len(st.Tried) > 0 {
		why += " (" + strings.Join(st.Tried, "; ") + ")"
	}
	return []install.Change{{Action: install.Create, Subject: r.tool.name + " " + first.version, Why: why}}
}

// Apply installs with the first source that can, falling back to the next
// ones (said on Options.Log) unless SourceStrict; checks the new
// interpreter's health; and makes the bin links.
func (r *Interpreter) Apply(ctx context.Context, sys system.System, o install.Observed) error {
	st, ok := o.(*State)
	if !ok || st == nil {
		return fmt.Errorf("apply: observed %T, want *interpreter.State", o)
	}
	if st.Have != nil {
		return r.link(sys, st.Have)
	}
	var errs []error
	for i, ch := range st.Plan {
		if i > 0 {
			if r.opts.SourceStrict {
				break
			}
			r.say("%s: %s failed: %v; falling back to %s", r.ID(), st.Plan[i-1].source, errs[len(errs)-1], ch.describe())
		}
		have, err := r.install(ctx, sys, ch)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ch.source, err))
			continue
		}
		return r.link(sys, have)
	}
	return errors.Join(errs...)
}

func (r *Interpreter) say(format string, args ...any) {
	if r.opts.Log != nil {
		fmt.Fprintf(r.opts.Log, "envup: "+format+"\n", args...)
	}
}

// install runs one source's way and proves the result works.
func (r *Interpreter) install(ctx context.Context, sys system.System, ch choice) (*Found, error) {
	var (
		have *Found
		err  error
	)
	switch ch.source {
	case "archive":
		have, err = r.installArchive(ctx, sys, ch)
	case "installer":
		have, err = r.installWindows(ctx, sys, ch)
	case "system":
		have, err = r.installSystem(ctx, sys, ch)
	case "build":
		have, err = r.build(ctx, sys, ch)
	default:
		err = fmt.Errorf("unknown source %q", ch.source)
	}
	if err != nil {
		return nil, err
	}
	if dry, ok := sys.(*system.DryRun); ok {
		dry.RecordProof(fmt.Sprintf("%s %s at %s works (health check)", r.tool.name, have.Version, have.Path))
		return have, nil // nothing was installed, so there is nothing to prove yet
	}
	if err := r.tool.health(ctx, sys, have, r.p); err != nil {
		if have.Origin == "envup" && have.Prefix != "" {
			// Never leave a half-working interpreter where the next
			// apply would take it for a good one.
			_ = sys.Remove(markerPath(have.Prefix))
		}
		return nil, err
	}
	return have, nil
}

// Verify runs the health check on the interpreter that satisfies the
// recipe (`envup check`): a Python that lost its ssl module since it was
// installed is found here, not in the lab.
func (r *Interpreter) Verify(ctx context.Context, sys system.System, o install.Observed) error {
	st, ok := o.(*State)
	if !ok || st == nil || st.Have == nil {
		return nil
	}
	return r.tool.health(ctx, sys, st.Have, r.p)
}

// Describe says which interpreter satisfies the recipe, and where.
func (r *Interpreter) Describe(o install.Observed) string {
	st, ok := o.(*State)
	if !ok || st == nil || st.Have == nil {
		return ""
	}
	return fmt.Sprintf("%s %s at %s (%s)", r.tool.name, st.Have.Version, st.Have.Path, st.Have.Origin)
}

// Current is the interpreter that satisfies the recipe right now — its
// path and version — for the resources built on it (virtualenvs). ok is
// false when none is installed yet (a plan, before apply installs it).
func (r *Interpreter) Current(ctx context.Context, sys system.System) (path, version string, ok bool, err error) {
	have, err := r.satisfying(ctx, sys)
	if err != nil || have == nil {
		return "", "", false, err
	}
	return have.Path, have.Version, true, nil
}

// satisfying is the interpreter that satisfies the recipe: envup's own
// newest install first, then (for the existing and system sources) one
// already on the machine; nil when there is none.
func (r *Interpreter) satisfying(ctx context.Context, sys system.System) (*Found, error) {
	if have := r.installed(sys); have != nil {
		return have, nil
	}
	if !r.allows("existing") && !r.allows("system") {
		return nil, nil
	}
	found, err := inventory.Find(ctx, sys, r.tool.name, r.p, r.opts.Memo)
	if err != nil {
		return nil, err
	}
	for _, f := range found {
		if r.c.Check(f.Version) && (r.allows("existing") || f.Origin == "system") {
			return &Found{Path: f.Path, Version: f.Version, Origin: f.Origin}, nil
		}
	}
	return nil, nil
}
