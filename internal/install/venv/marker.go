package venv

import (
	"fmt"
	"strings"

	pep440 "github.com/aquasecurity/go-pep440-version"

	"github.com/envup/envup/internal/detect"
)

// A PEP 508 environment marker ("python_version < '3.8' and sys_platform
// == 'win32'") is evaluated against what envup knows of the target
// without running Python: python_version and python_full_version (the
// base interpreter's), sys_platform, platform_system, os_name and
// platform_machine (the platform's), implementation_name and
// platform_python_implementation (when pyvenv.cfg names the
// implementation), and extra. Anything else — platform_release,
// platform_version, implementation_version, a variable envup does not
// know — is unknown, and a marker whose answer hangs on an unknown is
// taken as true: the requirement is kept (pip decides when it runs).

// tri is a marker's answer: true, false, or cannot tell.
type tri int8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

func (t tri) and(o tri) tri {
	switch {
	case t == triFalse || o == triFalse:
		return triFalse
	case t == triUnknown || o == triUnknown:
		return triUnknown
	}
	return triTrue
}

func (t tri) or(o tri) tri {
	switch {
	case t == triTrue || o == triTrue:
		return triTrue
	case t == triUnknown || o == triUnknown:
		return triUnknown
	}
	return triFalse
}

// markerEnv holds the marker variables envup knows; the rest are unknown.
type markerEnv map[string]string

// newMarkerEnv is the environment of a venv on p built on python version
// (empty when not known yet) of implementation impl ("CPython", or "").
func newMarkerEnv(p detect.Platform, version, impl string) markerEnv {
	env := markerEnv{}
	py2 := strings.HasPrefix(version, "2.")
	switch p.OS {
	case "windows":
		env["sys_platform"], env["platform_system"], env["os_name"] = "win32", "Windows", "nt"
		env["platform_machine"] = map[string]string{"amd64": "AMD64", "arm64": "ARM64", "386": "x86"}[p.Arch]
	case "macos":
		env["sys_platform"], env["platform_system"], env["os_name"] = "darwin", "Darwin", "posix"
		env["platform_machine"] = map[string]string{"amd64": "x86_64", "arm64": "arm64"}[p.Arch]
	case "linux":
		env["sys_platform"], env["platform_system"], env["os_name"] = "linux", "Linux", "posix"
		if py2 {
			env["sys_platform"] = "linux2"
		}
		env["platform_machine"] = map[string]string{"amd64": "x86_64", "arm64": "aarch64", "386": "i686", "arm": "armv7l"}[p.Arch]
	}
	if env["platform_machine"] == "" {
		delete(env, "platform_machine")
	}
	if m := minorOf(version); m != "" {
		env["python_version"] = m
		if strings.Count(releaseOf(version), ".") >= 2 {
			env["python_full_version"] = version
		}
	}
	if strings.EqualFold(impl, "CPython") {
		env["implementation_name"], env["platform_python_implementation"] = "cpython", "CPython"
	}
	return env
}

// withExtra is env with the extra variable set ("" for none).
func (env markerEnv) withExtra(extra string) markerEnv {
	out := make(markerEnv, len(env)+1)
	for k, v := range env {
		out[k] = v
	}
	out["extra"] = extra
	return out
}

// marker is a parsed marker expression.
type marker interface {
	eval(env markerEnv) tri
}

type markerAnd []marker

func (m markerAnd) eval(env markerEnv) tri {
	t := triTrue
	for _, x := range m {
		t = t.and(x.eval(env))
	}
	return t
}

type markerOr []marker

func (m markerOr) eval(env markerEnv) tri {
	t := triFalse
	for _, x := range m {
		t = t.or(x.eval(env))
	}
	return t
}

type operand struct {
	variable bool
	text     string
}

type markerCmp struct {
	lhs, rhs operand
	op       string
}

// legacyNames are the dotted spellings PEP 345 allowed.
var legacyNames = map[string]string{
	"os.name":                        "os_name",
	"sys.platform":                   "sys_platform",
	"platform.version":               "platform_version",
	"platform.machine":               "platform_machine",
	"platform.python_implementation": "platform_python_implementation",
	"python_implementation":          "platform_python_implementation",
}

var markerVars = map[string]bool{
	"python_version": true, "python_full_version": true, "os_name": true, "sys_platform": true,
	"platform_release": true, "platform_system": true, "platform_version": true,
	"platform_machine": true, "platform_python_implementation": true, "implementation_name": true,
	"implementation_version": true, "extra": true, "dependency_groups": true, "extras": true,
}

func (o operand) value(env markerEnv) (string, bool) {
	if !o.variable {
		return o.text, true
	}
	v, ok := env[o.text]
	return v, ok
}

func (c markerCmp) eval(env markerEnv) tri {
	l, lok := c.lhs.value(env)
	r, rok := c.rhs.value(env)
	if !lok || !rok {
		return triUnknown
	}
	if c.lhs.text == "extra" && c.lhs.variable || c.rhs.text == "extra" && c.rhs.variable {
		l, r = Normalize(l), Normalize(r)
	}
	return compare(l, c.op, r)
}

// compare is packaging's rule: when op and r make a PEP 440 specifier and
// l is a version, compare as versions; otherwise as strings.
func compare(l, op, r string) tri {
	switch op {
	case "in":
		return boolTri(strings.Contains(r, l))
	case "not in":
		return boolTri(!strings.Contains(r, l))
	case "===":
		return boolTri(l == r)
	}
	if spec, err := ParseSpecifier(op + r); err == nil {
		if _, err := pep440.Parse(l); err == nil {
			return boolTri(spec.Allows(l))
		}
	}
	switch op {
	case "==":
		return boolTri(l == r)
	case "!=":
		return boolTri(l != r)
	case "<":
		return boolTri(l < r)
	case "<=":
		return boolTri(l <= r)
	case ">":
		return boolTri(l > r)
	case ">=":
		return boolTri(l >= r)
	}
	return triUnknown // ~= on something that is not a version
}

func boolTri(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// parseMarker parses a PEP 508 marker expression.
func parseMarker(s string) (marker, error) {
	p := &markerParser{src: s}
	m, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.skip(); p.pos < len(p.src) {
		return nil, fmt.Errorf("marker %q: unexpected %q", s, p.src[p.pos:])
	}
	return m, nil
}

type markerParser struct {
	src string
	pos int
}

func (p *markerParser) skip() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

// word reports whether the next word is w (followed by a non-identifier).
func (p *markerParser) word(w string) bool {
	p.skip()
	if !strings.HasPrefix(p.src[p.pos:], w) {
		return false
	}
	end := p.pos + len(w)
	if end < len(p.src) && isIdent(p.src[end]) {
		return false
	}
	p.pos = end
	return true
}

func (p *markerParser) or() (marker, error) {
	first, err := p.and()
	if err != nil {
		return nil, err
	}
	out := markerOr{first}
	for p.word("or") {
		next, err := p.and()
		if err != nil {
			return nil, err
		}
		out = append(out, next)
	}
	if len(out) == 1 {
		return first, nil
	}
	return out, nil
}

func (p *markerParser) and() (marker, error) {
	first, err := p.atom()
	if err != nil {
		return nil, err
	}
	out := markerAnd{first}
	for p.word("and") {
		next, err := p.atom()
		if err != nil {
			return nil, err
		}
		out = append(out, next)
	}
	if len(out) == 1 {
		return first, nil
	}
	return out, nil
}

func (p *markerParser) atom() (marker, error) {
	p.skip()
	if p.pos < len(p.src) && p.src[p.pos] == '(' {
		p.pos++
		m, err := p.or()
		if err != nil {
			return nil, err
		}
		p.skip()
		if p.pos >= len(p.src) || p.src[p.pos] != ')' {
			return nil, fmt.Errorf("marker %q: missing )", p.src)
		}
		p.pos++
		return m, nil
	}
	lhs, err := p.operand()
	if err != nil {
		return nil, err
	}
	op, err := p.op()
	if err != nil {
		return nil, err
	}
	rhs, err := p.operand()
	if err != nil {
		return nil, err
	}
	return markerCmp{lhs: lhs, rhs: rhs, op: op}, nil
}

func (p *markerParser) operand() (operand, error) {
	p.skip()
	if p.pos >= len(p.src) {
		return operand{}, fmt.Errorf("marker %q: ends early", p.src)
	}
	if q := p.src[p.pos]; q == '\'' || q == '"' {
		end := strings.IndexByte(p.src[p.pos+1:], q)
		if end < 0 {
			return operand{}, fmt.Errorf("marker %q: unterminated string", p.src)
		}
		text := p.src[p.pos+1 : p.pos+1+end]
		p.pos += end + 2
		return operand{text: text}, nil
	}
	start := p.pos
	for p.pos < len(p.src) && (isIdent(p.src[p.pos]) || p.src[p.pos] == '.') {
		p.pos++
	}
	name := p.src[start:p.pos]
	if n, ok := legacyNames[name]; ok {
		name = n
	}
	if !markerVars[name] {
		return operand{}, fmt.Errorf("marker %q: unknown variable %q", p.src, name)
	}
	return operand{variable: true, text: name}, nil
}

var markerOps = []string{"===", "==", "!=", "<=", ">=", "~=", "<", ">"}

func (p *markerParser) op() (string, error) {
	p.skip()
	for _, op := range markerOps {
		if strings.HasPrefix(p.src[p.pos:], op) {
			p.pos += len(op)
			return op, nil
		}
	}
	if p.word("in") {
		return "in", nil
	}
	if save := p.pos; p.word("not") {
		if p.word("in") {
			return "not in", nil
		}
		p.pos = save
	}
	return "", fmt.Errorf("marker %q: expected an operator at %q", p.src, p.src[p.pos:])
}

func isIdent(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
