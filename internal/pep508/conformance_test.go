package pep508

// The tables in testdata/ are facts from pypa/packaging's tests (each file
// names its source, each group the test): which markers and requirements
// are valid, what they parse to, what a marker says of an environment.
// packaging raising an error while evaluating is Unknown here (want null).

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

type markerTables struct {
	Variables  []string `json:"variables"`
	PEP345     []string `json:"pep345_variables"`
	Setuptools []string `json:"setuptools_variables"`
	Operators  []string `json:"operators"`
	Values     []string `json:"values"`
	Invalid    table[string]
	Str        table[[]string]
	Different  table[[]string]
	Evaluate   []table[evalCase]
	Sets       table[evalCase]
}

type table[T any] struct {
	From  string
	Cases []T
}

type evalCase struct {
	Marker string
	Env    map[string]string
	Sets   map[string][]string
	Want   *bool
}

type requirementTables struct {
	Basic struct {
		Names, Whitespace []string
		Extras            [][]string
		URLSpecifier      [][]*string `json:"url_specifier"`
		Markers           []*string
	}
	Valid     table[struct{ In, Name, URL, Marker string }]
	Equal     table[[]string]
	Different table[[]string]
	Invalid   table[string]
}

func load[T any](t *testing.T, name string) T { return loadF[T](t, name) }

func loadF[T any](t testing.TB, name string) T {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

func TestPackagingMarkersParse(t *testing.T) {
	t.Parallel()
	mt := load[markerTables](t, "markers.json")
	n := 0
	for _, vars := range [][]string{mt.Variables, mt.PEP345, mt.Setuptools} {
		for _, v := range vars {
			for _, op := range mt.Operators {
				for _, val := range mt.Values {
					for _, s := range []string{v + " " + op + " '" + val + "'", "'" + val + "' " + op + " " + v} {
						n++
						if _, err := ParseMarker(s); err != nil {
							t.Errorf("ParseMarker(%q): %v", s, err)
						}
					}
				}
			}
		}
	}
	if n != 2*18*10*6 {
		t.Errorf("parsed %d markers, want %d", n, 2*18*10*6)
	}
	for _, s := range mt.Invalid.Cases {
		if _, err := ParseMarker(s); err == nil {
			t.Errorf("ParseMarker(%q) took it", s)
		}
	}
	for _, c := range mt.Str.Cases {
		m, err := ParseMarker(c[0])
		if err != nil {
			t.Errorf("ParseMarker(%q): %v", c[0], err)
			continue
		}
		if got := format(m.expr, true); got != c[1] {
			t.Errorf("ParseMarker(%q) prints as %q, want %q", c[0], got, c[1])
		}
	}
	for _, c := range mt.Different.Cases {
		a, err1 := ParseMarker(c[0])
		b, err2 := ParseMarker(c[1])
		if err1 != nil || err2 != nil || format(a.expr, true) == format(b.expr, true) {
			t.Errorf("%q and %q: %v %v, or they print alike", c[0], c[1], err1, err2)
		}
	}
}

func TestPackagingMarkersEvaluate(t *testing.T) {
	t.Parallel()
	mt := load[markerTables](t, "markers.json")
	for _, group := range append(mt.Evaluate, mt.Sets) {
		for _, c := range group.Cases {
			m, err := ParseMarker(c.Marker)
			if err != nil {
				t.Errorf("%s: ParseMarker(%q): %v", group.From, c.Marker, err)
				continue
			}
			want := Unknown
			if c.Want != nil {
				want = truth(*c.Want)
			}
			if got := m.Evaluate(Env{Vars: c.Env, Sets: c.Sets}); got != want {
				t.Errorf("%s: %q in %v %v = %v, want %v", group.From, c.Marker, c.Env, c.Sets, got, want)
			}
		}
	}
}

// TestPackagingRequirementsBasic builds test_basic_valid_requirement_parsing's
// 5,184 requirements and checks each part.
func TestPackagingRequirementsBasic(t *testing.T) {
	t.Parallel()
	b := load[requirementTables](t, "requirements.json").Basic
	n := 0
	for _, name := range b.Names {
		for _, extras := range b.Extras {
			for _, us := range b.URLSpecifier {
				for _, marker := range b.Markers {
					for _, ws := range b.Whitespace {
						n++
						parts := []string{name}
						if len(extras) > 0 {
							parts = append(parts, "[", strings.Join(extras, ws+","+ws), "]")
						}
						spec := strings.ReplaceAll(*us[1], "{ws}", ws)
						if spec != "" {
							parts = append(parts, spec)
						}
						if us[0] != nil {
							parts = append(parts, "@", *us[0])
						}
						if marker != nil {
							if us[0] != nil {
								parts = append(parts, " ;")
							} else {
								parts = append(parts, ";")
							}
							parts = append(parts, strings.ReplaceAll(*marker, "{ws}", ws))
						}
						in := strings.Join(parts, ws)
						checkBasic(t, in, name, extras, us, marker)
					}
				}
			}
		}
	}
	if n != 5184 {
		t.Errorf("built %d requirements, want 5184", n)
	}
}

func checkBasic(t *testing.T, in, name string, extras []string, us []*string, marker *string) {
	t.Helper()
	r, err := ParseRequirement(in)
	if err != nil {
		t.Errorf("ParseRequirement(%q): %v", in, err)
		return
	}
	url := ""
	if us[0] != nil {
		url = *us[0]
	}
	wantSpec := strings.Trim(strings.ReplaceAll(*us[1], "{ws}", ""), "()")
	gotExtras := slices.Sorted(slices.Values(r.Extras))
	if r.Name != name || !slices.Equal(gotExtras, extras) || r.URL != url || clauses(r) != clauses(mustRequirement(t, "x"+wantSpec)) {
		t.Errorf("ParseRequirement(%q) = name %q extras %q url %q spec %q", in, r.Name, r.Extras, r.URL, r.Specifier)
	}
	switch {
	case marker == nil && r.Marker != nil, marker != nil && r.Marker == nil:
		t.Errorf("ParseRequirement(%q): marker %v", in, r.Marker)
	case marker != nil:
		want, err := ParseMarker(strings.ReplaceAll(*marker, "{ws}", ""))
		if err != nil || format(want.expr, true) != format(r.Marker.expr, true) {
			t.Errorf("ParseRequirement(%q): marker %q, want %q (%v)", in, format(r.Marker.expr, true), want, err)
		}
	}
}

func mustRequirement(t *testing.T, s string) *Requirement {
	t.Helper()
	r, err := ParseRequirement(s)
	if err != nil {
		t.Fatalf("ParseRequirement(%q): %v", s, err)
	}
	return r
}

// clauses is a requirement's specifier clauses, sorted, as
// packaging compares specifier sets.
func clauses(r *Requirement) string {
	var cs []string
	for _, c := range r.Specifier.Specifiers() {
		cs = append(cs, c.String())
	}
	slices.Sort(cs)
	return strings.Join(cs, ",")
}

// key is what packaging's Requirement equality compares.
func key(r *Requirement) string {
	m := ""
	if r.Marker != nil {
		m = format(r.Marker.expr, true)
	}
	return strings.Join([]string{Normalize(r.Name), strings.Join(slices.Sorted(slices.Values(r.Extras)), ","), clauses(r), r.URL, m}, "|")
}

func TestPackagingRequirements(t *testing.T) {
	t.Parallel()
	rt := load[requirementTables](t, "requirements.json")
	for _, c := range rt.Valid.Cases {
		r, err := ParseRequirement(c.In)
		switch {
		case err != nil:
			t.Errorf("ParseRequirement(%q): %v", c.In, err)
		case c.Name != "" && r.Name != c.Name, c.URL != "" && r.URL != c.URL:
			t.Errorf("ParseRequirement(%q) = name %q url %q", c.In, r.Name, r.URL)
		case c.Marker != "" && (r.Marker == nil || format(r.Marker.expr, true) != c.Marker):
			t.Errorf("ParseRequirement(%q): marker %v, want %s", c.In, r.Marker, c.Marker)
		}
	}
	for _, c := range rt.Equal.Cases {
		if a, b := key(mustRequirement(t, c[0])), key(mustRequirement(t, c[1])); a != b {
			t.Errorf("%q and %q differ: %s, %s", c[0], c[1], a, b)
		}
	}
	for _, c := range rt.Different.Cases {
		if a := key(mustRequirement(t, c[0])); a == key(mustRequirement(t, c[1])) {
			t.Errorf("%q and %q are alike: %s", c[0], c[1], a)
		}
	}
	for _, s := range rt.Invalid.Cases {
		if r, err := ParseRequirement(s); err == nil {
			t.Errorf("ParseRequirement(%q) took it: %+v", s, r)
		}
	}
}
