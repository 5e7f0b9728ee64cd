package catalog

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/go-version"
)

// Constraint is a version constraint as a recipe writes it: a
// hashicorp/go-version constraint, except that a bare version is a
// prefix. "3.12" is any 3.12.x, "3" any 3.x, "3.12.7" is 3.12.7 (and a
// 3.12.7.x, like the Windows port redis 5.0.14.1 of 5.0.14); ">= 3.2,
// < 3.13" and "~> 3.12.0" mean what go-version says, "= 3.12" only
// 3.12.0. An empty constraint allows every version. The existing and
// system interpreter sources check the versions they find with the same
// rule.
type Constraint struct {
	raw    string
	prefix []int64             // a bare version's segments
	cs     version.Constraints // an operator expression
}

var bareVersion = regexp.MustCompile(`^v?[0-9]+(\.[0-9]+)*$`)

// ParseConstraint reads a recipe's version constraint.
func ParseConstraint(s string) (Constraint, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return Constraint{}, nil
	}
	if bareVersion.MatchString(raw) {
		// Not go-version's "~> 3.12.7.0": it refuses 3.12.7 itself, which
		// has fewer segments than the constraint.
		v, err := version.NewVersion(raw)
		if err != nil {
			return Constraint{}, fmt.Errorf("version constraint %q: %w", raw, err)
		}
		n := len(strings.Split(strings.TrimPrefix(raw, "v"), "."))
		return Constraint{raw: raw, prefix: v.Segments64()[:n]}, nil
	}
	cs, err := version.NewConstraint(raw)
	if err != nil {
		return Constraint{}, fmt.Errorf("version constraint %q: %w", raw, err)
	}
	return Constraint{raw: raw, cs: cs}, nil
}

// Check reports whether version v satisfies c; a v go-version cannot
// read satisfies nothing but the empty constraint.
func (c Constraint) Check(v string) bool {
	if c.raw == "" {
		return true
	}
	pv, err := version.NewVersion(v)
	if err != nil {
		return false
	}
	return c.check(pv)
}

func (c Constraint) check(v *version.Version) bool {
	switch {
	case c.raw == "":
		return true
	case c.cs != nil:
		return c.cs.Check(v)
	case v.Prerelease() != "":
		return false // as go-version: a prerelease only when asked for
	}
	segs := v.Segments64() // padded to three
	for i, want := range c.prefix {
		if i >= len(segs) {
			if want != 0 {
				return false
			}
			continue
		}
		if segs[i] != want {
			return false
		}
	}
	return true
}

// String is the constraint as written.
func (c Constraint) String() string { return c.raw }
