package venv

import (
	"fmt"
	"regexp"
	"strings"

	pep440 "github.com/aquasecurity/go-pep440-version"
)

// Specifier is a PEP 440 version specifier set ("", ">=2,<3", "~=1.4",
// "==1.*", "===weird"), checked against installed versions the way pip
// checks what is already installed: pre-releases count (pip passes
// prereleases=True there), so an installed 2.0b1 satisfies ">=1".
type Specifier struct {
	text      string
	spec      *pep440.Specifiers // the clauses go-pep440-version checks
	arbitrary []string           // === clauses: compared as strings
}

// clauseRe is one clause: an operator and a version without spaces inside
// (go-pep440-version alone would also take "=" and "||", which pip does not).
var clauseRe = regexp.MustCompile(`^(~=|===|==|!=|<=|>=|<|>)\s*([^\s,;|()]+)$`)

// ParseSpecifier parses a comma-separated specifier set; "" allows any
// version.
func ParseSpecifier(s string) (Specifier, error) {
	sp := Specifier{text: strings.TrimSpace(s)}
	if sp.text == "" {
		return sp, nil
	}
	var kept []string
	for _, c := range strings.Split(sp.text, ",") {
		c = strings.TrimSpace(c)
		m := clauseRe.FindStringSubmatch(c)
		if m == nil {
			return Specifier{}, fmt.Errorf("bad version specifier %q", c)
		}
		if m[1] == "===" {
			sp.arbitrary = append(sp.arbitrary, m[2])
			continue
		}
		kept = append(kept, m[1]+m[2])
	}
	if len(kept) > 0 {
		parsed, err := pep440.NewSpecifiers(strings.Join(kept, ","))
		if err != nil {
			return Specifier{}, fmt.Errorf("bad version specifier %q: %w", sp.text, err)
		}
		sp.spec = &parsed
	}
	return sp, nil
}

// String is the specifier set as written.
func (s Specifier) String() string { return s.text }

// Empty says whether any version will do.
func (s Specifier) Empty() bool { return s.text == "" }

// Allows says whether version satisfies every clause. A version that is
// not PEP 440 satisfies only an empty set or an === clause naming it.
func (s Specifier) Allows(version string) (ok bool) {
	for _, a := range s.arbitrary {
		if !strings.EqualFold(strings.TrimSpace(version), a) {
			return false
		}
	}
	if s.spec == nil {
		return true
	}
	v, err := pep440.Parse(version)
	if err != nil {
		return false
	}
	// The library panics on input it did not expect; a check envup cannot
	// make is a version that does not satisfy, so pip gets to decide.
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return s.spec.Check(v)
}

// and is both sets at once (a requirement and its constraint).
func (s Specifier) and(o Specifier) Specifier {
	switch {
	case o.Empty():
		return s
	case s.Empty():
		return o
	}
	both, err := ParseSpecifier(s.text + "," + o.text)
	if err != nil {
		return s
	}
	return both
}
