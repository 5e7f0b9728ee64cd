package recipe

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// checker walks a tree against its shape and reports what does not fit:
// unknown keys, wrong types, bad values.
//
// It runs twice. First on each file as written (partial: an entry may be
// completed by another file or an override, and a value holding ${...}
// is checked only once expanded); then on the effective tree, with every
// var expanded and every layer merged (complete: required keys must be
// there). The second pass runs only when the first found nothing.
type checker struct {
	e        *errs
	complete bool
}

func (c *checker) check(n *node, s *shape, path string) {
	c.value(n, s, path, c.complete, n.pos)
}

// value checks n against s. must says whether s's required keys must be
// present here: in the complete pass always; in the partial pass for
// values that are never merged (the file's root, sequence items and
// atomic objects), which are therefore whole as written. at is where a
// missing key is reported: the entry's key, or the item.
func (c *checker) value(n *node, s *shape, path string, must bool, at Pos) {
	if n.kind == nullNode {
		if n.text == "~" && s.kind == strKind && s.path != notPath {
			c.e.add(n.pos, path, `a bare ~ is null in YAML; write "~" for the home directory`)
		}
		return // not set; the caller decides whether that is allowed
	}
	switch s.kind {
	case strKind:
		c.scalar(n, s, path)
	case intKind:
		c.integer(n, s, path)
	case numKind:
		c.number(n, s, path)
	case boolKind:
		if n.kind != scalarNode || n.tag != "!!bool" {
			c.e.add(n.pos, path, "expected true or false, got %s%s", n.describe(), yesNo(n))
		}
	case anyKind:
	case whenKind:
		c.selector(n, s, path)
	case listKind:
		c.list(n, s, path)
	case objKind:
		c.object(n, s, path, must || s.atomic, at)
	case dictKind:
		c.dict(n, s, path)
	}
}

// yesNo explains the YAML 1.1 booleans that YAML 1.2 reads as strings.
func yesNo(n *node) string {
	if n.kind != scalarNode {
		return ""
	}
	switch strings.ToLower(n.text) {
	case "yes", "on", "y":
		return " (" + n.text + " is a string in YAML 1.2: write true)"
	case "no", "off", "n":
		return " (" + n.text + " is a string in YAML 1.2: write false)"
	}
	return ""
}

func (c *checker) typeErr(n *node, path, want string) {
	c.e.add(n.pos, path, "expected %s, got %s", want, n.describe())
}

func (c *checker) scalar(n *node, s *shape, path string) {
	if n.kind == scalarNode && n.tag == "!!bool" && !s.textAny {
		c.e.add(n.pos, path, "expected a string, got a boolean (quote it: \"%s\")", n.text)
		return
	}
	if n.kind != scalarNode {
		c.typeErr(n, path, "a string")
		return
	}
	if n.tag == "!!int" || n.tag == "!!float" {
		if msg := s.numbers.problem(n); msg != "" {
			if s.numbers == numbersQuoted && s.check != nil {
				if why := s.check(n.text); why != "" {
					msg = why // quoting it would bring this error next
				}
			}
			c.e.add(n.pos, path, "%s", msg)
			return
		}
	}
	if !c.complete && !s.noVars && hasVarRef(n.text) {
		return // checked once the vars are expanded
	}
	if i := strings.IndexByte(n.text, 0); i >= 0 && !s.nul {
		c.e.add(textPos(n, n.text, i), path, "%s", nulMsg)
		return
	}
	text := n.text
	if !c.complete && !s.noVars {
		text = strings.ReplaceAll(text, "$${", "${") // as it will read, with no vars in it
	}
	c.text(text, n.pos, s, path)
}

// nulMsg refuses a NUL byte, which no path, argument or name can hold
// (the OS would refuse it at apply, or cut the text short).
const nulMsg = `holds a NUL byte ("\0"), which no path, argument or name can`

// text runs a string's value checks: enum, not empty, the shape's check.
func (c *checker) text(v string, pos Pos, s *shape, path string) {
	if s.enum != nil && !slices.Contains(s.enum, v) && !(s.anyCase && slices.Contains(s.enum, strings.ToLower(v))) {
		what := s.what
		if what == "" {
			what = "value"
		}
		c.e.add(pos, path, "unknown %s %q%s", what, v, hint(v, s.enum, 6))
		return
	}
	if s.nonEmpty && v == "" {
		c.e.add(pos, path, "empty; needs some text (or leave the key out)")
		return
	}
	if s.check != nil {
		if msg := s.check(v); msg != "" {
			c.e.add(pos, path, "%s", msg)
		}
	}
}

func (c *checker) integer(n *node, s *shape, path string) {
	v, ok := intValue(n)
	if n.kind != scalarNode || !ok {
		c.typeErr(n, path, "an integer")
		return
	}
	if s.check != nil {
		if msg := s.check(strconv.FormatInt(v, 10)); msg != "" {
			c.e.add(n.pos, path, "%s", msg)
			return
		}
	}
	if v < int64(s.min) || (s.max > 0 && v > int64(s.max)) {
		c.e.add(n.pos, path, "%d is out of range (%d to %d)", v, s.min, s.max)
	}
}

func (c *checker) number(n *node, s *shape, path string) {
	if n.kind != scalarNode || (n.tag != "!!int" && n.tag != "!!float") {
		c.typeErr(n, path, "a number")
		return
	}
	v := parseFloat(n.text)
	if i, ok := intValue(n); ok {
		v = float64(i) // 0x10 and 0o20 too
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		c.typeErr(n, path, "a number")
		return
	}
	if s.positive && v <= 0 {
		c.e.add(n.pos, path, "%s is not a positive number", n.text)
	}
}

func (c *checker) list(n *node, s *shape, path string) {
	if n.kind != seqNode {
		c.typeErr(n, path, "a sequence")
		return
	}
	if s.nonEmpty && len(n.items) == 0 {
		c.e.add(n.pos, path, "empty; needs at least one item")
	}
	seen := map[string]int{}
	for i, it := range n.items {
		p := indexPath(path, i)
		if it.kind == nullNode {
			if it.text == "~" {
				c.e.add(it.pos, p, `expected %s, got null (a bare ~ is null in YAML; write "~")`, want(s.elem))
				continue
			}
			c.typeErr(it, p, want(s.elem))
			continue
		}
		c.value(it, s.elem, p, true, it.pos)
		if s.program && i == 0 && it.kind == scalarNode && strings.TrimSpace(it.text) == "" &&
			(c.complete || !strings.Contains(it.text, "${")) {
			c.e.add(it.pos, p, "empty program name %q (the first item is the program to run)", it.text)
		}
		if s.unique && it.kind == scalarNode {
			if j, ok := seen[it.text]; ok {
				c.e.add(it.pos, p, "%s is listed twice (first at %s)", it.text, indexPath(path, j))
			}
			seen[it.text] = i
		}
	}
}

// want names a shape's type for "expected X" messages.
func want(s *shape) string {
	switch s.kind {
	case intKind:
		return "an integer"
	case numKind:
		return "a number"
	case boolKind:
		return "true or false"
	case listKind:
		return "a sequence"
	case objKind, dictKind:
		return "a mapping"
	case whenKind:
		return "a selector (a string or a mapping)"
	case anyKind:
		return "a value"
	}
	return "a string"
}

func (c *checker) object(n *node, s *shape, path string, must bool, at Pos) {
	if n.kind != mapNode {
		c.typeErr(n, path, "a mapping")
		return
	}
	group, groupKey := -1, ""
	for _, p := range n.pairs {
		kp := keyPath(path, p.key)
		f := s.field(p.key)
		if f == nil {
			c.unknownKey(p, s, kp)
			continue
		}
		if g := s.groupOf(p.key); g >= 0 && p.val.kind != nullNode {
			if group >= 0 && g != group {
				c.e.add(p.kpos, path, "both %s and %s (one or the other)", groupKey, p.key)
			} else if group < 0 {
				group, groupKey = g, p.key
			}
		}
		c.value(p.val, f.shape, kp, must && f.shape.kind == objKind, p.kpos)
	}
	if !must {
		return
	}
	for _, f := range s.fields {
		if !f.required {
			continue
		}
		if v := n.get(f.name); v == nil || v.kind == nullNode {
			c.missing(at, path, f.name, f.why)
		}
	}
	c.groups(n, s, path, group, at)
}

// groups checks that the one key group set (if any) is whole, and in the
// complete pass that one is set.
func (c *checker) groups(n *node, s *shape, path string, group int, at Pos) {
	if len(s.groups) == 0 {
		return
	}
	if group < 0 {
		if !s.maybe {
			c.e.add(at, path, "needs %s", oneOf(s))
		}
		return
	}
	for _, k := range s.groups[group] {
		if v := n.get(k); v == nil || v.kind == nullNode {
			c.missing(at, path, k, s.field(k).why)
		}
	}
}

func (c *checker) missing(at Pos, path, key, why string) {
	if why != "" {
		c.e.add(at, path, "missing %s (%s)", key, why)
		return
	}
	c.e.add(at, path, "missing %s", key)
}

// oneOf says which key groups an object takes: "url (with sha256) or path".
func oneOf(s *shape) string {
	var alts []string
	for _, g := range s.groups {
		a := g[0]
		if len(g) > 1 {
			a += " (with " + strings.Join(g[1:], ", ") + ")"
		}
		alts = append(alts, a)
	}
	return strings.Join(alts, " or ")
}

func (c *checker) unknownKey(p *pair, s *shape, kp string) {
	what := s.what
	if what == "" {
		what = "key"
	}
	if s.what != "" {
		// a key of a kind (package manager): list its kind only
		var names []string
		for _, n := range s.fieldNames() {
			if n != "when" {
				names = append(names, n)
			}
		}
		c.e.add(p.kpos, kp, "unknown %s%s", what, hint(p.key, names, 20))
		return
	}
	if s.owner != "" {
		what += " for " + s.owner
		takes := s.owner + " takes " + strings.Join(s.fieldNames(), ", ")
		if sug := suggest(p.key, s.fieldNames()); sug != "" {
			c.e.add(p.kpos, kp, "unknown %s (did you mean %s?)", what, sug)
		} else if others := ownersOf(p.key); len(others) > 0 {
			c.e.add(p.kpos, kp, "unknown %s (%s is for %s only; %s)", what, p.key, strings.Join(others, " and "), takes)
		} else {
			c.e.add(p.kpos, kp, "unknown %s (%s)", what, takes)
		}
		return
	}
	c.e.add(p.kpos, kp, "unknown %s%s", what, hint(p.key, s.fieldNames(), 10))
}

// ownersOf lists the editors whose entries take key: "flavor" is for
// vscode only.
func ownersOf(key string) []string {
	var out []string
	editors := recipeShape.field("editors").shape
	for _, k := range editors.keys {
		if es := editors.elemFor(k); es.field(key) != nil && !slices.Contains(out, es.owner) {
			out = append(out, es.owner)
		}
	}
	return out
}

func (c *checker) dict(n *node, s *shape, path string) {
	if n.kind != mapNode {
		c.typeErr(n, path, "a mapping")
		return
	}
	var order map[string]int // ordered: each key's index
	if s.ordered && !c.complete {
		order = make(map[string]int, len(n.pairs))
		for i, p := range n.pairs {
			order[p.key] = i
		}
	}
	for i, p := range n.pairs {
		kp := keyPath(path, p.name())
		if j := strings.IndexByte(p.key, 0); j >= 0 && (s.elem == nil || s.elem.kind != anyKind) {
			c.e.add(textPos(&node{pos: p.kpos, style: p.kstyle}, p.key, j), kp, "%s", nulMsg)
			continue
		}
		if s.keyRe != nil && !s.keyRe.MatchString(p.key) {
			c.e.add(p.kpos, kp, "bad name (letters, digits, _ and -, not starting with a digit or -)")
			continue
		}
		if slices.Contains(s.reserved, p.key) {
			c.e.add(p.kpos, kp, "%s is a built-in var", p.key)
			continue
		}
		if s.keyPath == destPath && (c.complete || !strings.Contains(p.key, "${")) {
			if msg := checkDest(p.key); msg != "" {
				c.e.add(p.kpos, kp, "%s", msg)
				continue
			}
		}
		es := s.elemShape(p.key)
		if es == nil {
			c.e.add(p.kpos, kp, "unknown %s%s", s.keyWhat, hint(p.key, s.keys, 20))
			continue
		}
		c.value(p.val, es, kp, c.complete, p.kpos)
		if order != nil {
			c.usedAbove(n, i, order, kp)
		}
	}
}

// usedAbove checks that the var n.pairs[i] uses only vars written above
// it in the same mapping (order: each key's index): vars read top to
// bottom, as they are written. (Vars from another file or a `platforms`
// item may be used anywhere.) Only as written: once expanded, a literal
// $${ reads as a ${.
func (c *checker) usedAbove(n *node, i int, order map[string]int, path string) {
	v := n.pairs[i].val
	if v.kind != scalarNode {
		return
	}
	varRefs(v.text, func(name string, off int) {
		if j, ok := order[name]; ok && j > i {
			c.e.add(textPos(v, v.text, off), path, "${%s} is used before %s is defined (line %d): define a var above the vars that use it",
				name, name, n.pairs[j].kpos.Line)
		}
	})
}

// selector checks a `when:` value in either form.
func (c *checker) selector(n *node, s *shape, path string) {
	var probs []selProblem
	switch n.kind {
	case scalarNode:
		if n.tag == "!!bool" {
			c.typeErr(n, path, want(s))
			return
		}
		_, probs = parseSelector(n.text)
	case mapNode:
		before := len(c.e.list)
		c.object(n, s.elem, path, true, n.pos)
		if len(c.e.list) > before {
			return
		}
		sel := selectorFromNode(n)
		probs = sel.problems()
	default:
		c.typeErr(n, path, want(s))
		return
	}
	for _, p := range probs {
		at, pp := n.pos, path
		if p.field != "" {
			pp = keyPath(path, p.field)
			if v := n.get(p.field); v != nil {
				at = v.pos
			}
		}
		c.e.add(at, pp, "%s", p.msg)
	}
}
