package recipe

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/go-version"
)

// crossCheck runs the checks that look at more than one value, on the
// effective tree before `when` filtering: every entry is checked on every
// platform, whether or not it applies here.
func crossCheck(eff *node, e *errs) {
	interps := eff.get("interpreters")
	if interps != nil {
		for _, p := range interps.pairs {
			if p.val.get("tool") == nil && !slices.Contains(Tools, p.key) {
				e.add(p.kpos, keyPath("interpreters", p.key), "missing tool (a key other than python or node says tool: python or tool: node)")
			}
		}
	}
	if svcs := eff.get("services"); svcs != nil {
		for _, p := range svcs.pairs {
			if p.val.get("kind") == nil && !slices.Contains(ServiceKinds, p.key) {
				e.add(p.kpos, keyPath("services", p.key), "missing kind (a key other than redis or valkey says kind: redis or kind: valkey)")
			}
		}
	}
	if venvs := eff.get("virtualenvs"); venvs != nil {
		for _, p := range venvs.pairs {
			venvPython(p, interps, e)
		}
	}
	if files := eff.get("files"); files != nil {
		for _, p := range files.pairs {
			if v := p.val.get("vars"); v != nil && v.text == "true" && p.val.get("content") != nil {
				e.add(v.pos, keyPath(keyPath("files", p.name()), "vars"), "only for source (content has its vars expanded already)")
			}
		}
	}
	if checks := eff.get("checks"); checks != nil {
		checkNames(checks, e)
	}
}

// checkNames checks that no two checks of one platform share a name: two
// checks may have one name only when their `when`s can never both hold
// (one for windows, one for linux), as one check written per platform.
func checkNames(checks *node, e *errs) {
	type named struct {
		at   *node
		when *Selector
	}
	seen := map[string][]named{}
	for i, it := range checks.items {
		name := it.get("name")
		if name == nil {
			continue
		}
		when := entrySelector(it)
		if when != nil {
			when.problems() // canonical os, arch and libc names
		}
		for _, other := range seen[name.text] {
			if !disjoint(when, other.when) {
				e.add(name.pos, indexPath("checks", i)+".name", "%q is used twice (first at line %d)%s",
					name.text, other.at.pos.Line, overlap(when, other.when))
				break
			}
		}
		seen[name.text] = append(seen[name.text], named{at: name, when: when})
	}
}

// overlap explains why two checks of one name clash.
func overlap(a, b *Selector) string {
	if a == nil && b == nil {
		return ""
	}
	return "; a name is shared only by checks whose when: never both hold (another os, arch or libc, or os versions that do not meet)"
}

// disjoint tells whether no platform matches both selectors, from what
// can be decided without knowing the platform: different os (a distro
// or libc means linux), arch or libc; OS versions that no version
// satisfies both of; two distros each with a version (then each must be
// the host's ID). Names are not compared, nor distros alone: ubuntu is
// also debian.
func disjoint(a, b *Selector) bool {
	if a == nil || b == nil {
		return false
	}
	differ := func(x, y string) bool { return x != "" && y != "" && x != y }
	switch {
	case differ(a.os(), b.os()) || differ(a.Arch, b.Arch) || differ(a.Libc, b.Libc):
		return true
	case a.Version == "" || b.Version == "":
		return false
	case differ(a.Distro, b.Distro):
		return true
	}
	return versionsDisjoint(a.Version, b.Version)
}

var versionNumber = regexp.MustCompile(`[0-9]+(\.[0-9]+)*`)

// versionsDisjoint tells whether no version matches both selector
// versions (bare release lines or constraints, as versionMatches reads
// them). Each matches an interval, or a few, whose ends are the versions
// written and the next release of each of their segments (10.7 ends
// before 10.8; ~> 1.2 before 2): trying every end, a version just above
// each, and one past the last decides it.
func versionsDisjoint(a, b string) bool {
	var ends [][]int64
	for _, spec := range []string{a, b} {
		for _, m := range versionNumber.FindAllString(spec, -1) {
			v, err := version.NewVersion(m)
			if err != nil {
				return false
			}
			seg := v.Segments64()[:strings.Count(m, ".")+1]
			ends = append(ends, seg)
			for i := range seg {
				next := append(append([]int64(nil), seg[:i]...), seg[i]+1)
				ends = append(ends, next)
			}
		}
	}
	width := 0
	for _, e := range ends {
		width = max(width, len(e))
	}
	var probes []string
	for _, e := range ends {
		probes = append(probes, joinSegments(e))
		above := append(append([]int64(nil), e...), make([]int64, width+1-len(e))...)
		above[width] = 1 // e.0...0.1: above e, below any end above e
		probes = append(probes, joinSegments(above))
	}
	probes = append(probes, "0")
	for _, p := range probes {
		if versionMatches(a, p) && versionMatches(b, p) {
			return false
		}
	}
	return true
}

func joinSegments(seg []int64) string {
	parts := make([]string, len(seg))
	for i, s := range seg {
		parts[i] = strconv.FormatInt(s, 10)
	}
	return strings.Join(parts, ".")
}

// venvPython checks that a virtualenv names a python interpreter.
func venvPython(p *pair, interps *node, e *errs) {
	path := keyPath("virtualenvs", p.key)
	name, at := "python", p.kpos
	if v := p.val.get("python"); v != nil {
		name, at, path = v.text, v.pos, path+".python"
	}
	ip := interps.pair(name)
	if ip == nil {
		var keys []string
		if interps != nil {
			for _, q := range interps.pairs {
				keys = append(keys, q.key)
			}
		}
		e.add(at, path, "no interpreter %q in interpreters%s", name, hint(name, keys, 5))
		return
	}
	tool := name
	if t := ip.val.get("tool"); t != nil {
		tool = t.text
	}
	if tool != "python" {
		e.add(at, path, "interpreter %q is %s, not python", name, tool)
	}
}

// platformCheck runs the checks that depend on what this platform keeps
// after `when` filtering, on the decoded recipe with its defaults.
func platformCheck(r *Recipe, dropped map[string]*Selector, e *errs) {
	for _, k := range sortedKeys(r.Virtualenvs) {
		v := r.Virtualenvs[k]
		if _, ok := r.Interpreters[v.Python]; !ok {
			if sel, gone := dropped["interpreters/"+v.Python]; gone {
				e.add(v.Pos, keyPath("virtualenvs", k), "interpreter %q is left out on this platform (when: %s)", v.Python, sel)
			}
		}
	}
	defaults := map[string]string{}
	for _, k := range byPos(r.Interpreters, func(in *Interpreter) Pos { return in.Pos }) {
		in := r.Interpreters[k]
		if !in.Default {
			continue
		}
		if other, ok := defaults[in.Tool]; ok {
			e.add(in.Pos, keyPath("interpreters", k), "a second default %s (the first is interpreters.%s)", in.Tool, other)
			continue
		}
		defaults[in.Tool] = k
	}
	ports := map[int]string{}
	for _, k := range byPos(r.Services, func(s *Service) Pos { return s.Pos }) {
		s := r.Services[k]
		if other, ok := ports[s.Port]; ok {
			e.add(s.Pos, keyPath("services", k), "port %s is taken by services.%s", strconv.Itoa(s.Port), other)
			continue
		}
		ports[s.Port] = k
	}
}

// byPos lists a section's keys in the order they were written.
func byPos[V any](m map[string]V, pos func(V) Pos) []string {
	keys := sortedKeys(m)
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := pos(m[keys[i]]), pos(m[keys[j]])
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line || (a.Line == b.Line && a.Col < b.Col)
	})
	return keys
}
