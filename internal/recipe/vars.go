package recipe

import (
	"errors"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/envup/envup/internal/detect"
	"gopkg.in/yaml.v3"
)

// Builtins are the vars every recipe has: home, os and arch of the
// platform (home is "~" when the platform has none). A recipe cannot set
// them.
func Builtins(p detect.Platform) map[string]string {
	home := p.Home
	if home == "" {
		home = "~"
	}
	return map[string]string{"home": home, "os": p.OS, "arch": p.Arch}
}

// varNamePattern is what a var's name looks like.
const varNamePattern = `^[A-Za-z_][A-Za-z0-9_-]*$`

var varNameRe = regexp.MustCompile(varNamePattern)

// expander resolves the vars section and expands ${name} in strings.
type expander struct {
	e        *errs
	home     detect.Path       // for ~; empty leaves ~ as written
	windows  bool              // destination paths get \ separators
	builtins map[string]string // home, os, arch
	raw      map[string]*node  // the vars section as written
	vals     map[string]string // resolved vars
	busy     []string          // vars being resolved, to report cycles
	busyAt   map[string]int    // each one's index in busy
	known    map[string]bool   // scan mode: names that exist somewhere
	sorted   []string          // names(), once worked out (in scan mode, known's)
	spent    int               // bytes vars have put into texts, for maxExpanded
}

// maxExpanded bounds what vars may put into the recipe's texts: vars of
// vars can double at each step ("${a}${a}"), so a few lines could make
// gigabytes, like an alias bomb. A real recipe's vars make kilobytes.
const maxExpanded = 16 << 20

// spend counts n more bytes put in by ${name}, and tells whether the
// budget still holds; the first time it does not is an error at pos.
func (x *expander) spend(n int, pos Pos, name, path string) bool {
	over := x.spent > maxExpanded
	x.spent += n
	if x.spent <= maxExpanded {
		return true
	}
	if !over {
		x.e.add(pos, path, "${%s} makes the vars expand to more than %d MiB (a var bomb?)", name, maxExpanded>>20)
	}
	return false
}

func newExpander(eff *node, p detect.Platform, e *errs) *expander {
	home := p.HomePath()
	if p.OS == "windows" {
		home = home.Native() // a Windows recipe's paths: one kind of separator
	}
	x := &expander{e: e, home: home, windows: p.OS == "windows", builtins: Builtins(p), raw: map[string]*node{}, vals: map[string]string{}}
	if vars := eff.get("vars"); vars != nil {
		for _, pr := range vars.pairs {
			x.raw[pr.key] = pr.val // never a built-in: the checker saw to that
		}
	}
	return x
}

// resolveAll resolves every var, in name order so errors come out stable.
func (x *expander) resolveAll() {
	for _, k := range sortedKeys(x.raw) {
		x.lookup(k)
	}
}

// lookup returns a var's value, resolving it on first use.
func (x *expander) lookup(name string) (string, bool) {
	if v, ok := x.builtins[name]; ok {
		return v, true
	}
	if v, ok := x.vals[name]; ok {
		return v, true
	}
	n, ok := x.raw[name]
	if !ok {
		return "", false
	}
	if i, ok := x.busyAt[name]; ok {
		chain := append(append([]string{}, x.busy[i:]...), name)
		first := x.raw[x.busy[i]]
		x.e.add(first.pos, keyPath("vars", x.busy[i]), "var cycle: %s", strings.Join(chain, " → "))
		for _, c := range chain {
			x.vals[c] = "" // resolved as empty, so the cycle is reported once
		}
		return "", true
	}
	if x.busyAt == nil {
		x.busyAt = map[string]int{}
	}
	x.busyAt[name] = len(x.busy)
	x.busy = append(x.busy, name)
	v := x.tilde(x.expand(n, keyPath("vars", name)))
	x.busy = x.busy[:len(x.busy)-1]
	delete(x.busyAt, name)
	if _, done := x.vals[name]; !done {
		x.vals[name] = v
	}
	return x.vals[name], true
}

// expand replaces ${name} in a scalar's text; $${ is a literal ${.
func (x *expander) expand(n *node, path string) string {
	return x.expandText(n.text, n, path)
}

func (x *expander) expandText(s string, n *node, path string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			b.WriteString("${")
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				x.e.add(textPos(n, s, i), path, "unterminated ${ (write $${ for a literal ${)")
				return s
			}
			name := s[i+2 : i+2+end]
			v := x.ref(name, n, s, i, path)
			if !x.spend(len(v), textPos(n, s, i), name, path) {
				return s
			}
			b.WriteString(v)
			i += end + 3
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

// varRefs calls fn with the name and offset of each ${name} in s, as
// expandText reads them: $${ is no reference, and an unterminated ${
// ends the text.
func varRefs(s string, fn func(name string, off int)) {
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				return
			}
			fn(s[i+2:i+2+end], i)
			i += end + 3
		default:
			i++
		}
	}
}

// hasVarRef tells whether s uses a var, as expandText reads it: a ${
// that is not $${ (a literal ${).
func hasVarRef(s string) bool {
	found := false
	varRefs(s, func(string, int) { found = true })
	return found || unterminated(s)
}

// unterminated tells whether s has a ${ with no } after it.
func unterminated(s string) bool {
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			return !strings.Contains(s[i+2:], "}")
		default:
			i++
		}
	}
	return false
}

// ref resolves one ${name}, reporting bad and undefined names.
func (x *expander) ref(name string, n *node, s string, off int, path string) string {
	if !varNameRe.MatchString(name) {
		x.e.add(textPos(n, s, off), path, "bad var name ${%s}", name)
		return ""
	}
	if x.known != nil {
		if !x.known[name] {
			x.undefined(name, textPos(n, s, off), path)
		}
		return ""
	}
	v, ok := x.lookup(name)
	if !ok {
		x.undefined(name, textPos(n, s, off), path)
	}
	return v
}

// undefined reports an undefined var with the nearest defined name; once
// errors are only counted, without looking for one among thousands.
func (x *expander) undefined(name string, pos Pos, path string) {
	if x.e.full() {
		x.e.add(pos, path, "undefined var")
		return
	}
	x.e.add(pos, path, "undefined var ${%s}%s", name, hint(name, x.names(), 0))
}

// names lists the vars there are, built-ins too, sorted; worked out once.
func (x *expander) names() []string {
	if x.sorted != nil {
		return x.sorted
	}
	set := map[string]bool{}
	for k := range x.builtins {
		set[k] = true
	}
	for k := range x.raw {
		set[k] = true
	}
	x.sorted = sortedKeys(set)
	return x.sorted
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// textPos is the position of byte off of s, a scalar's text: exact for a
// one-line plain or simply quoted scalar, else the scalar's own place.
func textPos(n *node, s string, off int) Pos {
	if n == nil {
		return Pos{}
	}
	p := n.pos
	if strings.Contains(s, "\n") {
		return p
	}
	switch n.style {
	case 0, yaml.FlowStyle:
	case yaml.SingleQuotedStyle:
		if strings.Contains(s[:off], "'") {
			return p
		}
		p.Col++
	case yaml.DoubleQuotedStyle:
		if strings.ContainsAny(s[:off], `\"`) {
			return p
		}
		p.Col++
	default:
		return p
	}
	p.Col += utf8.RuneCountInString(s[:off])
	return p
}

// tilde replaces a leading ~ with the home directory (detect.Path.Expand):
// on Windows the path is written with \ throughout, "~" of a --platform
// host included.
func (x *expander) tilde(s string) string { return x.home.Expand(s) }

// dest writes a destination path with the target's separator: on a
// Windows platform, / becomes \.
func (x *expander) dest(s string) string {
	if x.windows {
		return detect.PathOn("windows", s).Normal().String()
	}
	return s
}

// Expand replaces ${name} in text with the recipe's vars and built-ins,
// $${ giving a literal ${: what a file with `vars: true` gets done to its
// source's text.
func (r *Recipe) Expand(text string) (string, error) {
	x := &expander{e: &errs{}, builtins: r.builtins, raw: map[string]*node{}, vals: map[string]string{}}
	if x.builtins == nil {
		x.builtins = map[string]string{}
	}
	for k, v := range r.Vars {
		x.vals[k] = v
		x.raw[k] = nil
	}
	out := x.expandText(text, nil, "")
	if len(x.e.list) > 0 {
		msgs := make([]string, len(x.e.list))
		for i, e := range x.e.list {
			msgs[i] = e.Msg
		}
		return "", errors.New(strings.Join(msgs, "; "))
	}
	return out, nil
}
