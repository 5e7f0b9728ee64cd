package pep508

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/envup/envup/internal/pep440"
)

// Marker is a parsed environment marker ("python_version < '3.8' and
// sys_platform == 'win32'").
type Marker struct {
	text string
	expr expr
}

// Truth is what a marker says of an environment: false, true, or that it
// cannot tell (a variable the environment lacks, or a comparison PEP 508
// leaves undefined).
type Truth int8

// The three answers.
const (
	False Truth = iota
	True
	Unknown
)

func (t Truth) and(o Truth) Truth {
	switch {
	case t == False || o == False:
		return False
	case t == Unknown || o == Unknown:
		return Unknown
	}
	return True
}

func (t Truth) or(o Truth) Truth {
	switch {
	case t == True || o == True:
		return True
	case t == Unknown || o == Unknown:
		return Unknown
	}
	return False
}

func truth(b bool) Truth {
	if b {
		return True
	}
	return False
}

// Env is the environment a marker is evaluated in. A variable in neither
// map is unknown.
type Env struct {
	Vars map[string]string   // python_version, sys_platform, extra, ...
	Sets map[string][]string // extras, dependency_groups
}

// ParseMarker reads a marker as packaging.markers.Marker does.
func ParseMarker(s string) (*Marker, error) {
	p := &parser{s: s}
	e, err := p.marker()
	if err != nil {
		return nil, err
	}
	if !p.end() {
		return nil, p.fail("expected 'and', 'or' or the end of the marker")
	}
	return &Marker{text: strings.TrimSpace(s), expr: e}, nil
}

// String is the marker as written.
func (m *Marker) String() string { return m.text }

// Evaluate says whether the marker holds in env. The extra variable is
// compared normalised (PEP 685); a python_full_version ending in "+" (an
// untagged build) is read as a local version, as packaging does.
func (m *Marker) Evaluate(env Env) Truth {
	vars := env.Vars
	if v, ok := vars["extra"]; ok && v != "" || strings.HasSuffix(vars["python_full_version"], "+") {
		vars = make(map[string]string, len(env.Vars))
		for k, v := range env.Vars {
			vars[k] = v
		}
		if v := vars["extra"]; v != "" {
			vars["extra"] = Normalize(v)
		}
		if v, ok := vars["python_full_version"]; ok && strings.HasSuffix(v, "+") {
			vars["python_full_version"] = v + "local"
		}
	}
	return m.expr.eval(Env{Vars: vars, Sets: env.Sets})
}

type expr interface {
	eval(env Env) Truth
}

// sequence is atoms joined by "and" and "or" (ops[i] between atoms[i] and
// atoms[i+1]), "and" binding tighter; a parenthesised atom is a sequence.
type sequence struct {
	atoms []expr
	ops   []string
}

func (q sequence) eval(env Env) Truth {
	some, all := False, q.atoms[0].eval(env)
	for i, op := range q.ops {
		t := q.atoms[i+1].eval(env)
		if op == "or" {
			some, all = some.or(all), t
			continue
		}
		all = all.and(t)
	}
	return some.or(all)
}

// format is packaging's str(Marker): single quotes become double, white
// space one space, redundant parentheses dropped.
func format(e expr, outer bool) string {
	switch e := e.(type) {
	case sequence:
		if len(e.atoms) == 1 {
			return format(e.atoms[0], true)
		}
		parts := []string{format(e.atoms[0], false)}
		for i, op := range e.ops {
			parts = append(parts, op, format(e.atoms[i+1], false))
		}
		if outer {
			return strings.Join(parts, " ")
		}
		return "(" + strings.Join(parts, " ") + ")"
	case comparison:
		return e.lhs.format() + " " + e.op + " " + e.rhs.format()
	}
	return ""
}

func (o operand) format() string {
	if o.variable {
		return o.text
	}
	return `"` + o.text + `"`
}

// operand is a marker variable (by its PEP 508 name) or a string.
type operand struct {
	variable bool
	text     string
}

type comparison struct {
	lhs, rhs operand
	op       string
}

// versionVars are compared as versions when the other side and the
// operator make a specifier; every other variable as a string.
var versionVars = map[string]bool{
	"implementation_version": true, "platform_release": true,
	"python_full_version": true, "python_version": true,
}

// setVars hold sets of names: only "in" and "not in" find anything there.
var setVars = map[string]bool{"extras": true, "dependency_groups": true}

// eval follows packaging: the variable on the left is looked up, else
// the right-hand side names what to look up, and what the other side
// says is taken as it is written.
func (c comparison) eval(env Env) Truth {
	lhs, rhs, key := c.lhs.text, c.rhs.text, c.rhs.text
	var set []string
	isSet := false
	if c.lhs.variable {
		key = c.lhs.text
		v, ok := env.Vars[key]
		if !ok {
			return Unknown // unknown, or a set on the left
		}
		lhs = v
	} else if v, ok := env.Vars[key]; ok {
		rhs = v
	} else if s, ok := env.Sets[key]; ok {
		set, isSet = s, true
	} else {
		return Unknown
	}
	if setVars[key] {
		lhs = Normalize(lhs)
		if isSet {
			norm := make([]string, len(set))
			for i, s := range set {
				norm[i] = Normalize(s)
			}
			set = norm
		} else {
			rhs = Normalize(rhs)
		}
	}
	if versionVars[key] && !isSet {
		if sp, err := pep440.ParseSpecifier(c.op + rhs); err == nil {
			return truth(sp.Contains(lhs))
		}
	}
	eq := lhs == rhs
	in := strings.Contains(rhs, lhs)
	if isSet {
		eq = false
		in = false
		for _, s := range set {
			in = in || s == lhs
		}
	}
	switch c.op {
	case "in":
		return truth(in)
	case "not in":
		return truth(!in)
	case "==", "<=", ">=":
		return truth(eq)
	case "!=":
		return truth(!eq)
	case "<", ">":
		return False
	}
	return Unknown // ~= or === on what is not a version
}

// marker is marker_atom (BOOLOP marker_atom)*.
func (p *parser) marker() (expr, error) {
	var q sequence
	for {
		a, err := p.atom()
		if err != nil {
			return nil, err
		}
		q.atoms = append(q.atoms, a)
		switch {
		case p.keyword("and"):
			q.ops = append(q.ops, "and")
		case p.keyword("or"):
			q.ops = append(q.ops, "or")
		default:
			return q, nil
		}
	}
}

// atom is ( marker ) or a comparison, white space around either.
func (p *parser) atom() (expr, error) {
	p.ws()
	if p.peek('(') {
		open := p.i
		p.i++
		p.ws()
		e, err := p.marker()
		if err != nil {
			return nil, err
		}
		p.ws()
		if !p.peek(')') {
			return nil, p.failAt(open, "( is not closed")
		}
		p.i++
		p.ws()
		return e, nil
	}
	lhs, err := p.operand()
	if err != nil {
		return nil, err
	}
	p.ws()
	op, err := p.op()
	if err != nil {
		return nil, err
	}
	p.ws()
	rhs, err := p.operand()
	if err != nil {
		return nil, err
	}
	p.ws()
	c := comparison{lhs: lhs, rhs: rhs, op: op}
	// PEP 685: an extra's name is compared normalised.
	switch {
	case lhs.variable && lhs.text == "extra" && !rhs.variable:
		c.rhs.text = Normalize(rhs.text)
	case rhs.variable && rhs.text == "extra" && !lhs.variable:
		c.lhs.text = Normalize(lhs.text)
	}
	return c, nil
}

// variables are the names a marker may use, legacy spellings included,
// each with the name it stands for.
var variables = map[string]string{
	"python_version": "", "python_full_version": "", "os_name": "", "os.name": "os_name",
	"sys_platform": "", "sys.platform": "sys_platform", "platform_release": "", "platform_system": "",
	"platform_version": "", "platform.version": "platform_version",
	"platform_machine": "", "platform.machine": "platform_machine",
	"platform_python_implementation": "", "platform.python_implementation": "platform_python_implementation",
	"python_implementation": "platform_python_implementation",
	"implementation_name":   "", "implementation_version": "", "extra": "", "extras": "", "dependency_groups": "",
}

func (p *parser) operand() (operand, error) {
	if p.peek('\'') || p.peek('"') {
		start := p.i
		end := strings.IndexByte(p.s[p.i+1:], p.s[p.i])
		if end < 0 {
			return operand{}, p.fail("a quoted string is not closed")
		}
		body := p.s[p.i+1 : p.i+1+end]
		p.i += end + 2
		v, ok := pythonString(body)
		if !ok {
			return operand{}, p.failAt(start, "invalid quoted string (a Python string literal)")
		}
		return operand{text: v}, nil
	}
	if boundary(p.s, p.i) {
		j := p.i
		for j < len(p.s) && (isAlnum(p.s[j]) || p.s[j] == '_' || p.s[j] == '.') {
			j++
		}
		// The longest known name that ends on a word boundary.
		for e := j; e > p.i; e-- {
			name := p.s[p.i:e]
			if canon, ok := variables[name]; ok && boundary(p.s, e) {
				p.i = e
				if canon == "" {
					canon = name
				}
				return operand{variable: true, text: canon}, nil
			}
		}
	}
	return operand{}, p.fail("expected a marker variable or a quoted string")
}

var markerOps = []string{"===", "==", "~=", "!=", "<=", ">=", "<", ">"}

func (p *parser) op() (string, error) {
	if p.keyword("in") {
		return "in", nil
	}
	if p.keyword("not") {
		if !p.ws() {
			return "", p.fail("expected white space after 'not'")
		}
		if !p.keyword("in") {
			return "", p.fail("expected 'in' after 'not'")
		}
		return "not in", nil
	}
	for _, op := range markerOps {
		if strings.HasPrefix(p.s[p.i:], op) {
			p.i += len(op)
			return op, nil
		}
	}
	return "", p.fail("expected a marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in")
}

// pythonString is the value of a quoted string as Python's
// ast.literal_eval reads it: backslash escapes are decoded, and a bad
// one, a line break or a NUL makes it invalid. \N{name} is refused: envup
// does not carry Unicode's name table.
func pythonString(body string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == 0 || c == '\r' || c == '\n':
			return "", false
		case c != '\\':
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(body) {
			return "", false // the backslash escapes the closing quote
		}
		switch e := body[i]; e {
		case '\n':
		case '\r':
			if i+1 < len(body) && body[i+1] == '\n' {
				i++
			}
		case '\\', '\'', '"':
			b.WriteByte(e)
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(body) && j < i+3 && '0' <= body[j] && body[j] <= '7' {
				j++
			}
			n, _ := strconv.ParseUint(body[i:j], 8, 32)
			b.WriteRune(rune(n))
			i = j - 1
		case 'x', 'u', 'U':
			size := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if i+1+size > len(body) {
				return "", false
			}
			n, err := strconv.ParseUint(body[i+1:i+1+size], 16, 32)
			if err != nil || n > utf8.MaxRune {
				return "", false
			}
			b.WriteRune(rune(n))
			i += size
		case 'N':
			return "", false
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return b.String(), true
}
