package venv

import (
	"github.com/envup/envup/internal/pep440"
)

// Specifier is a PEP 440 version specifier set ("", ">=2,<3", "~=1.4",
// "==1.*", "===weird"), checked against installed versions the way pip
// checks what is already installed: pre-releases count (pip passes
// installed=True there), so an installed 2.0b1 satisfies ">=1".
type Specifier struct {
	set pep440.SpecifierSet
}

// ParseSpecifier parses a comma-separated specifier set as pip's
// packaging does; "" allows any version.
func ParseSpecifier(s string) (Specifier, error) {
	set, err := pep440.ParseSpecifierSet(s)
	if err != nil {
		return Specifier{}, err
	}
	return Specifier{set: set}, nil
}

// String is the specifier set as written.
func (s Specifier) String() string { return s.set.String() }

// Empty says whether any version will do.
func (s Specifier) Empty() bool { return s.set.Empty() }

// Allows says whether version satisfies every clause. A version that is
// not PEP 440 satisfies only an empty set or an === clause naming it.
func (s Specifier) Allows(version string) bool { return s.set.Contains(version) }

// and is both sets at once (a requirement and its constraint).
func (s Specifier) and(o Specifier) Specifier { return Specifier{set: s.set.And(o.set)} }
