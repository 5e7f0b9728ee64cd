package pep508

import (
	"strings"
	"testing"
)

// FuzzParseMarker checks that a marker that parses prints (as packaging
// prints it) in a form that parses and prints the same, and evaluates the
// same. Seeds: every marker in packaging's tests (testdata/markers.json).
func FuzzParseMarker(f *testing.F) {
	mt := loadF[markerTables](f, "markers.json")
	for _, s := range mt.Invalid.Cases {
		f.Add(s)
	}
	for _, c := range mt.Str.Cases {
		f.Add(c[0])
	}
	for _, g := range append(mt.Evaluate, mt.Sets) {
		for _, c := range g.Cases {
			f.Add(c.Marker)
		}
	}
	env := Env{
		Vars: map[string]string{"python_version": "3.11", "python_full_version": "3.11.2", "os_name": "posix", "sys_platform": "linux", "extra": "Socks"},
		Sets: map[string][]string{"extras": {"foo"}},
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMarker(s)
		if err != nil {
			return
		}
		if containsAwkward(m.expr) {
			// packaging prints strings without escapes, so a backslash,
			// say, reads back as an escape (testdata/fuzz has one such).
			return
		}
		printed := format(m.expr, true)
		again, err := ParseMarker(printed)
		if err != nil {
			t.Fatalf("%q prints as %q, which does not parse: %v", s, printed, err)
		}
		if got := format(again.expr, true); got != printed {
			t.Errorf("%q prints as %q, then as %q", s, printed, got)
		}
		if a, b := m.Evaluate(env), again.Evaluate(env); a != b {
			t.Errorf("%q is %v, printed %q is %v", s, a, printed, b)
		}
	})
}

// containsAwkward says whether a string in e holds what packaging's
// printed form cannot carry: a double quote, a backslash, a line break
// or a NUL.
func containsAwkward(e expr) bool {
	switch e := e.(type) {
	case sequence:
		for _, a := range e.atoms {
			if containsAwkward(a) {
				return true
			}
		}
	case comparison:
		for _, o := range []operand{e.lhs, e.rhs} {
			if !o.variable && strings.ContainsAny(o.text, "\"\\\r\n\x00") {
				return true
			}
		}
	}
	return false
}
