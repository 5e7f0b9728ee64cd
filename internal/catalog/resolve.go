package catalog

import (
	"fmt"
	"slices"
	"strings"

	"github.com/envup/envup/internal/detect"
)

// Option changes what Resolve and a release's artifact helpers accept.
type Option func(*options)

type options struct {
	kinds      []Kind
	unverified bool
}

// Kinds limits the artifacts that count to these kinds, preferred in
// this order. Without it, a tool that publishes prebuilt builds (python,
// node) counts archives, then installers, and builds from source only
// when asked: Kinds(KindSource), or Kinds(KindArchive, KindSource). Any
// other tool (redis, valkey) counts archives, installers, then source.
// Kinds with no known kind counts every kind.
func Kinds(k ...Kind) Option {
	return func(o *options) {
		o.kinds = nil
		for _, kind := range k {
			if slices.Contains(kinds, kind) && !slices.Contains(o.kinds, kind) {
				o.kinds = append(o.kinds, kind)
			}
		}
	}
}

// AllowUnverified lets artifacts whose digest has weak provenance count,
// after the verified ones (the user's --allow-unverified).
func AllowUnverified(allow bool) Option {
	return func(o *options) { o.unverified = allow }
}

// prebuiltTools build from source only when asked to.
var prebuiltTools = []string{"python", "node"}

func optionsFor(tool string, opts []Option) options {
	o := options{kinds: kinds}
	if slices.Contains(prebuiltTools, tool) {
		o.kinds = []Kind{KindArchive, KindInstaller}
	}
	for _, opt := range opts {
		opt(&o)
	}
	if len(o.kinds) == 0 {
		o.kinds = kinds
	}
	return o
}

// Usable are r's artifacts usable on p, best first: of the kinds asked
// for (see Kinds), verified unless AllowUnverified, running on p (see
// RunsOn) when p is at or above the release's own floors; ordered by
// kind as asked, then native before translated (x64 before x86), then
// verified before not, then as listed. Empty when p cannot use r.
func (r Release) Usable(p detect.Platform, opts ...Option) []Artifact {
	o := optionsFor(r.Tool, opts)
	if !meetsFloors(r.Floors, p) {
		return nil
	}
	type ranked struct {
		a          Artifact
		kind, arch int
		unverified bool
	}
	var rs []ranked
	for _, a := range r.Artifacts {
		k := slices.Index(o.kinds, a.Kind)
		if k < 0 || a.Unverified && !o.unverified || !a.RunsOn(p) {
			continue
		}
		rs = append(rs, ranked{a: a, kind: k, arch: archRank(a, p), unverified: a.Unverified})
	}
	slices.SortStableFunc(rs, func(x, y ranked) int {
		switch {
		case x.kind != y.kind:
			return x.kind - y.kind
		case x.arch != y.arch:
			return x.arch - y.arch
		case x.unverified != y.unverified:
			return boolOrder(x.unverified)
		}
		return 0
	})
	as := make([]Artifact, len(rs))
	for i, x := range rs {
		as[i] = x.a
	}
	return as
}

// archRank orders a's arch on p: native first, then a translated 64-bit
// build, then a 32-bit one.
func archRank(a Artifact, p detect.Platform) int {
	switch {
	case a.Native(p):
		return 0
	case a.Arch != "386":
		return 1
	}
	return 2
}

// boolOrder sorts false first: it is the comparison of a true x with a
// false y.
func boolOrder(x bool) int {
	if x {
		return 1
	}
	return -1
}

// Archive is r's best archive for p (see Usable), if any.
func (r Release) Archive(p detect.Platform, opts ...Option) (Artifact, bool) {
	return r.first(KindArchive, p, opts)
}

// Installer is r's best installer for p (see Usable), if any.
func (r Release) Installer(p detect.Platform, opts ...Option) (Artifact, bool) {
	return r.first(KindInstaller, p, opts)
}

// Source is r's first source tarball, if p builds from source (linux,
// macos). Usable(p, Kinds(KindSource)) lists every format, for a mirror
// that has only one ("Python-3.11.2.tgz" as well as ".tar.xz").
func (r Release) Source(p detect.Platform, opts ...Option) (Artifact, bool) {
	return r.first(KindSource, p, opts)
}

func (r Release) first(kind Kind, p detect.Platform, opts []Option) (Artifact, bool) {
	as := r.Usable(p, append(slices.Clone(opts), Kinds(kind))...)
	if len(as) == 0 {
		return Artifact{}, false
	}
	return as[0], true
}

// Resolve is the newest release of tool that satisfies constraint (see
// ParseConstraint) and that p can use: p at or above the release's own
// floors, and at least one artifact of the kinds asked for usable there
// (see Kinds and AllowUnverified). The release comes back with only those
// artifacts, best first (see Usable). When no release will do, the error
// is a *NoReleaseError that says what p can have, or an
// *UnknownToolError.
func (c *Catalog) Resolve(tool, constraint string, p detect.Platform, opts ...Option) (Release, error) {
	es, err := c.entries(tool)
	if err != nil {
		return Release{}, err
	}
	con, err := ParseConstraint(constraint)
	if err != nil {
		return Release{}, fmt.Errorf("%s: %w", tool, err)
	}
	if r, ok := newest(es, con, p, opts); ok {
		return r, nil
	}
	return Release{}, noRelease(tool, es, con, p, opts)
}

// newest is the newest release in es that satisfies con, with its
// artifacts usable on p.
func newest(es []entry, con Constraint, p detect.Platform, opts []Option) (Release, bool) {
	for _, e := range es {
		if !con.check(e.v) {
			continue
		}
		if as := e.r.Usable(p, opts...); len(as) > 0 {
			r := e.r
			r.Artifacts = as
			return r, true
		}
	}
	return Release{}, false
}

// NoReleaseError says that no release of Tool satisfies Constraint and
// runs on a platform, and what the platform can have instead.
type NoReleaseError struct {
	Tool       string
	Constraint string
	Platform   string // as the message names it: "windows 7 (6.1)"
	// Kinds are the kinds asked for, when not the tool's default.
	Kinds []Kind

	// Oldest and Newest are the catalog's range for Tool, set when no
	// release at all satisfies Constraint.
	Oldest, Newest string
	// Best is the newest release of any version the platform can use
	// with the same options; "" when there is none.
	Best string
	// FromSource is the newest release satisfying Constraint that a
	// source build would give there, when source was not asked for.
	FromSource string
	// Unverified is the newest release satisfying Constraint that the
	// platform could have from unverified downloads, when they were not
	// allowed.
	Unverified string
}

func (e *NoReleaseError) Error() string {
	what := e.Tool
	if len(e.Kinds) > 0 {
		names := make([]string, len(e.Kinds))
		for i, k := range e.Kinds {
			names[i] = string(k)
		}
		what += " (" + strings.Join(names, " or ") + ")"
	}
	var b strings.Builder
	b.WriteString(e.Tool)
	if e.Constraint != "" {
		b.WriteString(" " + e.Constraint)
	}
	b.WriteString(" wanted; ")
	switch {
	case e.Newest != "":
		fmt.Fprintf(&b, "the catalog has %s %s to %s", e.Tool, e.Oldest, e.Newest)
	case e.Best != "":
		fmt.Fprintf(&b, "the newest %s for %s is %s", what, e.Platform, e.Best)
	case e.FromSource != "":
		fmt.Fprintf(&b, "nothing prebuilt in the catalog runs on %s", e.Platform)
	default:
		fmt.Fprintf(&b, "no %s in the catalog runs on %s", what, e.Platform)
	}
	if e.FromSource != "" {
		fmt.Fprintf(&b, "; a source build would give %s", e.FromSource)
	}
	if e.Unverified != "" {
		fmt.Fprintf(&b, "; %s is there only from unverified downloads (--allow-unverified takes them)", e.Unverified)
	}
	return b.String()
}

func noRelease(tool string, es []entry, con Constraint, p detect.Platform, opts []Option) error {
	e := &NoReleaseError{Tool: tool, Constraint: con.String(), Platform: describe(p)}
	if !slices.ContainsFunc(es, func(x entry) bool { return con.check(x.v) }) {
		if len(es) > 0 {
			e.Oldest, e.Newest = es[len(es)-1].r.Version, es[0].r.Version
		}
		return e
	}
	if r, ok := newest(es, Constraint{}, p, opts); ok {
		e.Best = r.Version
	}
	o := optionsFor(tool, opts)
	if !slices.Equal(o.kinds, optionsFor(tool, nil).kinds) {
		e.Kinds = slices.Clone(o.kinds)
	}
	if !slices.Contains(o.kinds, KindSource) {
		src := append(slices.Clone(opts), Kinds(KindSource))
		if r, ok := newest(es, con, p, src); ok {
			e.FromSource = r.Version
		}
	}
	if !o.unverified {
		all := append(slices.Clone(opts), AllowUnverified(true))
		if r, ok := newest(es, con, p, all); ok {
			e.Unverified = r.Version
		}
	}
	return e
}
