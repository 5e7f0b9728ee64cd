package pep440

import (
	"strings"
	"testing"
)

// FuzzParseVersion checks that a version that parses prints in a form
// that parses to the same version, and that printing is stable. Seeds:
// every version string in packaging's tests (testdata/versions.json).
func FuzzParseVersion(f *testing.F) {
	vt := loadF[versionTables](f, "versions.json")
	for _, s := range vt.Ordered.Cases {
		f.Add(s)
	}
	for _, s := range vt.Invalid.Cases {
		f.Add(s)
	}
	for _, c := range vt.Normalized.Cases {
		f.Add(c[0])
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)
		if err != nil {
			return
		}
		w, err := Parse(v.String())
		if err != nil {
			t.Fatalf("%q prints as %q, which does not parse: %v", s, v, err)
		}
		if w.String() != v.String() || v.Compare(w) != 0 || w.Compare(v) != 0 {
			t.Errorf("%q prints as %q, which reads as %q", s, v, w)
		}
		if !(SpecifierSet{specs: []Specifier{{op: "==", version: v.String(), v: w}}}).Contains(s) {
			t.Errorf("==%s does not contain %q", v, s)
		}
	})
}

// FuzzParseSpecifier checks that a clause ParseSpecifier takes is the
// clause ClauseEnd finds in a requirement, so a requirement keeps every
// clause whole; and that Contains never panics. Seeds: every specifier in
// packaging's tests (testdata/specifiers.json).
func FuzzParseSpecifier(f *testing.F) {
	st := loadF[specifierTables](f, "specifiers.json")
	for _, s := range append(st.Valid.Cases, st.Invalid.Cases...) {
		f.Add(s, "1.0")
	}
	for _, g := range append(st.Contains, st.SetContains...) {
		for _, c := range g.Cases {
			f.Add(c[0].(string), c[1].(string))
		}
	}
	f.Fuzz(func(t *testing.T, spec, version string) {
		sp, err := ParseSpecifier(spec)
		if err != nil {
			return
		}
		sp.Contains(version)
		c := strings.TrimFunc(spec, IsSpace)
		if strings.ContainsAny(c, ",") {
			return
		}
		if end := ClauseEnd(c, 0); end != len(c) {
			t.Errorf("ParseSpecifier takes %q, but a requirement's clause ends at %d", c, end)
		}
	})
}
