package pep440

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Specifier is one clause of a specifier set: an operator and a version
// (">=2.0", "==1.4.*", "~=3.1", "===weird-1").
type Specifier struct {
	op       string
	version  string  // as written, white space trimmed
	v        Version // the version, or a wildcard's prefix; zero for ===
	wildcard bool    // ==V.* or !=V.*
}

// SpecifierSet is a comma-separated list of clauses, all of which a
// version must satisfy; an empty set allows anything.
type SpecifierSet struct {
	text  string
	specs []Specifier
}

// InvalidSpecifierError is a clause that is not a PEP 440 specifier.
type InvalidSpecifierError struct {
	Text   string // the clause
	Reason string
}

func (e *InvalidSpecifierError) Error() string {
	return fmt.Sprintf("bad version specifier %q: %s", e.Text, e.Reason)
}

// operators, longest first where one starts another.
var operators = []string{"===", "~=", "==", "!=", "<=", ">=", "<", ">"}

// ParseSpecifier reads one clause as packaging.specifiers.Specifier does.
func ParseSpecifier(s string) (Specifier, error) {
	t := strings.TrimFunc(s, IsSpace)
	bad := func(reason string) (Specifier, error) {
		return Specifier{}, &InvalidSpecifierError{Text: s, Reason: reason}
	}
	var sp Specifier
	for _, op := range operators {
		if strings.HasPrefix(t, op) {
			sp.op = op
			break
		}
	}
	if sp.op == "" {
		return bad("no operator (one of ~= == != <= >= < > ===)")
	}
	sp.version = strings.TrimLeftFunc(t[len(sp.op):], IsSpace)
	if sp.op == "===" {
		if strings.ContainsFunc(sp.version, func(r rune) bool { return IsSpace(r) || r == ';' || r == ')' }) {
			return bad("=== takes one word")
		}
		return sp, nil
	}
	if sp.version == "" {
		return bad("no version after " + sp.op)
	}
	if base, ok := strings.CutSuffix(sp.version, ".*"); ok {
		if sp.op != "==" && sp.op != "!=" {
			return bad(".* goes only with == and !=")
		}
		p := versionParser{s: base}
		v, ok := p.version(false)
		if !ok || p.i != len(base) || v.pre != "" || v.post != "" || v.dev != "" {
			return bad(".* follows a release (1.2.*), without a pre-, post- or dev-release")
		}
		sp.v, sp.wildcard = v, true
		return sp, nil
	}
	p := versionParser{s: sp.version}
	v, ok := p.version(true)
	switch {
	case !ok || p.i != len(sp.version):
		return bad(fmt.Sprintf("%q is not a PEP 440 version", sp.version))
	case len(v.local) > 0 && sp.op != "==" && sp.op != "!=":
		return bad("a local version (+" + v.Local() + ") goes only with == and !=")
	case sp.op == "~=" && len(v.release) < 2:
		return bad("~= needs a release of two numbers or more (~=1.4, not ~=1)")
	}
	sp.v = v
	return sp, nil
}

// String is the clause with the white space inside it dropped.
func (s Specifier) String() string { return s.op + s.version }

// ParseSpecifierSet reads a comma-separated set as
// packaging.specifiers.SpecifierSet does: empty clauses are skipped.
func ParseSpecifierSet(s string) (SpecifierSet, error) {
	set := SpecifierSet{text: strings.TrimFunc(s, IsSpace)}
	for _, c := range strings.Split(s, ",") {
		if strings.TrimFunc(c, IsSpace) == "" {
			continue
		}
		sp, err := ParseSpecifier(c)
		if err != nil {
			return SpecifierSet{}, err
		}
		set.specs = append(set.specs, sp)
	}
	return set, nil
}

// String is the set as written.
func (s SpecifierSet) String() string { return s.text }

// Empty says whether the set has no clause, so any version will do.
func (s SpecifierSet) Empty() bool { return len(s.specs) == 0 }

// Specifiers are the set's clauses.
func (s SpecifierSet) Specifiers() []Specifier { return append([]Specifier(nil), s.specs...) }

// And is both sets at once.
func (s SpecifierSet) And(o SpecifierSet) SpecifierSet {
	text := s.text
	switch {
	case text == "":
		text = o.text
	case o.text != "":
		text += "," + o.text
	}
	return SpecifierSet{text: text, specs: append(append([]Specifier(nil), s.specs...), o.specs...)}
}

// Contains says whether version satisfies every clause, pre-releases
// included: this is pip's check of what is already installed
// (packaging's contains with installed=True). A version that is not PEP
// 440 satisfies only an empty set or === clauses naming it.
func (s SpecifierSet) Contains(version string) bool {
	for _, sp := range s.specs {
		if !sp.Contains(version) {
			return false
		}
	}
	return true
}

// Allows says whether v satisfies the clause, pre-releases included.
// An === clause compares v's normalised form.
func (s Specifier) Allows(v Version) bool {
	if s.wildcard {
		lo := Version{epoch: s.v.epoch, release: s.v.release, dev: "0"}
		in := v.Compare(lo) >= 0 && v.Compare(nextPrefix(s.v.epoch, s.v.release)) < 0
		return in == (s.op == "==")
	}
	sv := s.v
	switch s.op {
	case "===":
		return strings.ToLower(v.String()) == strings.ToLower(s.version)
	case "==":
		return equal(v, sv)
	case "!=":
		return !equal(v, sv)
	case ">=":
		return v.Compare(sv) >= 0
	case "<=":
		return v.withoutLocal().Compare(sv) <= 0
	case "~=":
		return v.Compare(sv) >= 0 && v.Compare(nextPrefix(sv.epoch, sv.release[:len(sv.release)-1])) < 0
	case "<":
		return less(v, sv)
	case ">":
		return greater(v, sv)
	}
	return false
}

// equal is ==V: with a local label in V the whole version must match,
// without one any local label of V's public version does.
func equal(v, sv Version) bool {
	if len(sv.local) > 0 {
		return v.Compare(sv) == 0
	}
	return v.withoutLocal().Compare(sv) == 0
}

// less is <V: below V, and not a pre-release of V unless V is one itself
// (<2.0 refuses 2.0rc1; <2.0.post1 refuses 2.0.post1.dev0 but takes 2.0rc1).
func less(v, sv Version) bool {
	bound := sv
	if !sv.IsPrerelease() {
		bound.dev, bound.local = "0", nil
	}
	return v.Compare(bound) < 0
}

// greater is >V: above V, and not a post-release or local version of V
// unless V is a post-release itself (>1.0 refuses 1.0.post1 and 1.0+local).
func greater(v, sv Version) bool {
	switch {
	case sv.dev != "":
		next := sv
		next.dev, next.local = inc(sv.dev), nil
		return v.Compare(next) >= 0
	case sv.post != "":
		next := sv
		next.post, next.dev, next.local = inc(sv.post), "0", nil
		return v.Compare(next) >= 0
	}
	if v.Compare(sv) <= 0 {
		return false
	}
	family := v.epoch == sv.epoch && cmpRelease(v.release, sv.release) == 0 &&
		v.pre == sv.pre && v.preN == sv.preN && (v.dev == "" || v.post != "")
	return !family
}

// nextPrefix is the first development release past a prefix:
// 1.4 gives 1.5.dev0.
func nextPrefix(epoch string, prefix []string) Version {
	r := append([]string(nil), prefix...)
	r[len(r)-1] = inc(r[len(r)-1])
	return Version{epoch: epoch, release: r, dev: "0"}
}

func (v Version) withoutLocal() Version {
	v.local = nil
	return v
}

// inc adds one to a decimal string.
func inc(n string) string {
	b := []byte(n)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}

// Contains says whether version satisfies the clause, pre-releases
// included. An === clause compares the text as given, in any case.
func (s Specifier) Contains(version string) bool {
	if s.op == "===" {
		return strings.ToLower(version) == strings.ToLower(s.version)
	}
	v, err := Parse(version)
	return err == nil && s.Allows(v)
}

// ClauseEnd is where a specifier clause starting at s[i:] ends when it
// is read as part of a requirement ("name>=1.0,<2; marker"), the way
// packaging's tokenizer finds one: an operator, then the longest version
// that operator takes. It is -1 when no clause starts at i. The clause
// may still be refused by ParseSpecifier (===a,b takes the comma).
func ClauseEnd(s string, i int) int {
	var op string
	for _, o := range operators {
		if strings.HasPrefix(s[i:], o) {
			op = o
			break
		}
	}
	if op == "" {
		return -1
	}
	j := i + len(op)
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if !IsSpace(r) {
			break
		}
		j += n
	}
	if op == "===" {
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if IsSpace(r) || r == ';' || r == ')' {
				break
			}
			j += n
		}
		return j
	}
	p := versionParser{s: s, i: j}
	if p.i < len(s) && lower(s[p.i]) == 'v' {
		p.i++
	}
	if _, ok := p.number(); !ok {
		return -1
	}
	if p.peek('!') && p.i+1 < len(s) && isDigit(s[p.i+1]) {
		p.i++
		p.number()
	}
	parts := 1
	for p.i+1 < len(s) && s[p.i] == '.' && isDigit(s[p.i+1]) {
		p.i++
		p.number()
		parts++
	}
	eq := op == "==" || op == "!="
	switch {
	case op == "~=" && parts < 2:
		return -1
	case eq && strings.HasPrefix(s[p.i:], ".*"):
		return p.i + 2
	}
	p.pre()
	p.post()
	p.dev()
	if eq && p.peek('+') {
		save := p.i
		if _, ok := p.local(); !ok {
			p.i = save
		}
	}
	return p.i
}
