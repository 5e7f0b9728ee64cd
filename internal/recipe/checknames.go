package recipe

import (
	"math"
	"strconv"
	"strings"

	"github.com/hashicorp/go-version"
)

// maxSameName is how many checks may share one name: one per platform a
// recipe tells apart, and a bound on the pairs compared.
const maxSameName = 32

// checkNames checks that no two checks of one platform share a name: two
// checks may have one name only when their `when`s can never both hold
// (one for windows, one for linux), as one check written per platform.
func checkNames(checks *node, e *errs) {
	type named struct {
		at   *node
		when *when
	}
	seen := map[string][]named{}
	for i, it := range checks.items {
		name := it.get("name")
		if name == nil {
			continue
		}
		path := indexPath("checks", i) + ".name"
		others := seen[name.text]
		if len(others) == maxSameName {
			e.add(name.pos, path, "%q is used by more than %d checks (first at line %d)", name.text, maxSameName, others[0].at.pos.Line)
			continue
		}
		w := newWhen(entrySelector(it))
		for _, other := range others {
			if !w.disjoint(other.when) {
				e.add(name.pos, path, "%q is used twice (first at line %d)%s", name.text, other.at.pos.Line, overlap(w, other.when))
				break
			}
		}
		seen[name.text] = append(others, named{at: name, when: w})
	}
}

// overlap explains why two checks of one name clash.
func overlap(a, b *when) string {
	if a == nil && b == nil {
		return ""
	}
	return "; a name is shared only by checks whose when: never both hold (another os, arch or libc, or os versions that do not meet)"
}

// when is a selector made ready to compare with others: canonical names,
// and its version read once as a span.
type when struct {
	sel  *Selector
	span span
	read bool // the version reads as a span
}

func newWhen(sel *Selector) *when {
	if sel == nil {
		return nil
	}
	sel.problems() // canonical os, arch and libc names
	w := &when{sel: sel}
	if sel.Version != "" {
		w.span, w.read = versionSpan(sel.Version)
	}
	return w
}

// disjoint tells whether no platform matches both selectors.
func disjoint(a, b *Selector) bool { return newWhen(a).disjoint(newWhen(b)) }

// disjoint tells whether no platform matches both, from what can be
// decided without knowing the platform: different os (a distro or libc
// means linux), arch or libc; OS versions that no version satisfies both
// of; two distros each with a version (then each must be the host's ID).
// Names are not compared, nor distros alone: ubuntu is also debian. No
// when (nil) holds everywhere.
func (w *when) disjoint(o *when) bool {
	if w == nil || o == nil {
		return false
	}
	a, b := w.sel, o.sel
	differ := func(x, y string) bool { return x != "" && y != "" && x != y }
	switch {
	case differ(a.os(), b.os()) || differ(a.Arch, b.Arch) || differ(a.Libc, b.Libc):
		return true
	case a.Version == "" || b.Version == "":
		return false
	case differ(a.Distro, b.Distro):
		return true
	case !w.read || !o.read:
		return false
	}
	return w.span.intersect(o.span).empty()
}

// span is an interval of versions: from lo to hi, a nil end unbounded,
// loIn and hiIn when the end itself is in.
type span struct {
	lo, hi     *version.Version
	loIn, hiIn bool
}

// versionSpan is the interval of versions a selector version matches as
// versionMatches reads it, or a little more (so disjoint spans mean no
// version matches both): a bare version is a release line (10.7 is 10.7
// up to 10.8), a constraint the interval its clauses leave (~> 1.2 is 1.2
// up to 2, ~> 1.2.3 is 1.2.3 up to 1.3); != and the pre-release rules
// are left out. ok is false for what it cannot read.
func versionSpan(spec string) (s span, ok bool) {
	if bareVersion.MatchString(spec) {
		v, err := version.NewVersion(spec)
		if err != nil {
			return span{}, false
		}
		return span{lo: v, loIn: true, hi: next(spec, strings.Count(spec, "."))}, true
	}
	for _, clause := range strings.Split(spec, ",") {
		c, ok := clauseSpan(strings.TrimSpace(clause))
		if !ok {
			return span{}, false
		}
		s = s.intersect(c)
	}
	return s, true
}

// clauseSpan is the span of one constraint clause: "< 6.1", "~> 10.7".
func clauseSpan(clause string) (span, bool) {
	op := ""
	for _, o := range []string{"<=", ">=", "!=", "~>", "<", ">", "="} {
		if strings.HasPrefix(clause, o) {
			op = o
			break
		}
	}
	text := strings.TrimSpace(clause[len(op):])
	v, err := version.NewVersion(text)
	if err != nil {
		return span{}, false
	}
	switch op {
	case "", "=":
		return span{lo: v, loIn: true, hi: v, hiIn: true}, true
	case "!=":
		return span{}, true
	case ">":
		return span{lo: v}, true
	case ">=":
		return span{lo: v, loIn: true}, true
	case "<":
		return span{hi: v}, true
	case "<=":
		return span{hi: v, hiIn: true}, true
	}
	// ~>: the last segment written may grow, the ones before it stay
	core, _, _ := strings.Cut(strings.TrimPrefix(text, "v"), "-")
	core, _, _ = strings.Cut(core, "+")
	dots := strings.Count(core, ".")
	if dots == 0 {
		return span{lo: v, loIn: true}, true
	}
	return span{lo: v, loIn: true, hi: next(core, dots-1)}, true
}

// next is the first version past a release line: the segments of text up
// to index i, the last one plus one ("10.7.5", 1 is 10.8).
func next(text string, i int) *version.Version {
	seg := strings.Split(text, ".")[:i+1]
	last, err := strconv.ParseInt(seg[i], 10, 64)
	if err != nil || last == math.MaxInt64 {
		return nil // past what a version holds: no upper end
	}
	seg[i] = strconv.FormatInt(last+1, 10)
	v, err := version.NewVersion(strings.Join(seg, "."))
	if err != nil {
		return nil
	}
	return v
}

// intersect is the span of the versions in both.
func (s span) intersect(o span) span {
	out := s
	if o.lo != nil {
		switch c := cmp(o.lo, s.lo); {
		case s.lo == nil || c > 0:
			out.lo, out.loIn = o.lo, o.loIn
		case c == 0:
			out.loIn = s.loIn && o.loIn
		}
	}
	if o.hi != nil {
		switch c := cmp(o.hi, s.hi); {
		case s.hi == nil || c < 0:
			out.hi, out.hiIn = o.hi, o.hiIn
		case c == 0:
			out.hiIn = s.hiIn && o.hiIn
		}
	}
	return out
}

// empty tells whether no version is in the span.
func (s span) empty() bool {
	if s.lo == nil || s.hi == nil {
		return false
	}
	c := s.lo.Compare(s.hi)
	return c > 0 || (c == 0 && !(s.loIn && s.hiIn))
}

// cmp compares two versions, b possibly nil (then 0: the caller checks).
func cmp(a, b *version.Version) int {
	if b == nil {
		return 0
	}
	return a.Compare(b)
}
