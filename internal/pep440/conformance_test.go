package pep440

// The conformance tables in testdata/ are facts from pypa/packaging's own
// tests (each file names the test file and commit, each group the test):
// which versions and specifiers are valid, how versions normalise and
// sort, which versions a specifier set holds. The tests here are ours.

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

type versionTables struct {
	Ordered    table[string]    `json:"ordered"`
	Invalid    table[string]    `json:"invalid"`
	Normalized table[[]string]  `json:"normalized"`
	FromParts  table[[]string]  `json:"from_parts"`
	Parts      table[partsCase] `json:"parts"`
	IsPre      table[[]any]     `json:"is_prerelease"`
	IsPost     table[[]any]     `json:"is_postrelease"`
	Release    table[[]any]     `json:"release"`
}

type table[T any] struct {
	From  string `json:"from"`
	Cases []T    `json:"cases"`
}

type partsCase struct {
	Version, Public, Base, Local, Pre, Post, Dev string
	Epoch                                        int
	Release                                      []string
}

type specifierTables struct {
	Valid       table[string]                           `json:"valid"`
	Invalid     table[string]                           `json:"invalid"`
	Normalized  table[string]                           `json:"normalized_versions"`
	Str         table[[]string]                         `json:"str"`
	Contains    []table[[]any]                          `json:"contains"`
	SetContains []table[[]any]                          `json:"set_contains"`
	Unsatisfied table[string]                           `json:"unsatisfiable"`
	Satisfied   table[string]                           `json:"satisfiable"`
	Samples     struct{ Family, Bases, Extra []string } `json:"samples"`
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

func mustParse(t *testing.T, s string) Version {
	t.Helper()
	v, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return v
}

func TestPackagingVersionsValid(t *testing.T) {
	t.Parallel()
	vt := load[versionTables](t, "versions.json")
	for _, s := range vt.Ordered.Cases {
		mustParse(t, s)
	}
	for _, s := range vt.Invalid.Cases {
		if v, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) = %s, want an error", s, v)
		}
	}
	for _, c := range append(vt.Normalized.Cases, vt.FromParts.Cases...) {
		if got := mustParse(t, c[0]).String(); got != c[1] {
			t.Errorf("Parse(%q) = %s, want %s", c[0], got, c[1])
		}
	}
}

// TestPackagingVersionOrder holds every ordered pair of packaging's sorted
// list to all six comparisons, as test_comparison_true/false do.
func TestPackagingVersionOrder(t *testing.T) {
	t.Parallel()
	vt := load[versionTables](t, "versions.json")
	vs := make([]Version, len(vt.Ordered.Cases))
	for i, s := range vt.Ordered.Cases {
		vs[i] = mustParse(t, s)
	}
	n := 0
	for i := range vs {
		for j := range vs {
			c := vs[i].Compare(vs[j])
			want := cmpInt(i, j)
			for _, op := range []struct {
				name string
				ok   func(int) bool
			}{
				{"<", func(c int) bool { return c < 0 }}, {"<=", func(c int) bool { return c <= 0 }},
				{"==", func(c int) bool { return c == 0 }}, {"!=", func(c int) bool { return c != 0 }},
				{">=", func(c int) bool { return c >= 0 }}, {">", func(c int) bool { return c > 0 }},
			} {
				n++
				if op.ok(c) != op.ok(want) {
					t.Errorf("%s %s %s = %v, want %v", vt.Ordered.Cases[i], op.name, vt.Ordered.Cases[j], op.ok(c), op.ok(want))
				}
			}
		}
	}
	if n != 6*92*92 {
		t.Errorf("ran %d comparisons, want %d", n, 6*92*92)
	}
}

func TestPackagingVersionParts(t *testing.T) {
	t.Parallel()
	vt := load[versionTables](t, "versions.json")
	for _, c := range vt.Parts.Cases {
		v := mustParse(t, c.Version)
		epoch := "0"
		if c.Epoch != 0 {
			epoch = "1"
		}
		if v.Public() != c.Public || v.BaseVersion() != c.Base || v.Local() != c.Local || v.epoch != epoch ||
			strings.Join(v.release, ".") != strings.Join(c.Release, ".") || v.pre+v.preN != c.Pre ||
			v.post != c.Post || v.dev != c.Dev || v.IsDevrelease() != (c.Dev != "") {
			t.Errorf("%s: got public %s base %s local %q epoch %s release %v pre %q post %q dev %q",
				c.Version, v.Public(), v.BaseVersion(), v.Local(), v.epoch, v.release, v.pre+v.preN, v.post, v.dev)
		}
	}
	for _, c := range vt.IsPre.Cases {
		if got := mustParse(t, c[0].(string)).IsPrerelease(); got != c[1].(bool) {
			t.Errorf("%s is a pre-release: %v", c[0], got)
		}
	}
	for _, c := range vt.IsPost.Cases {
		if got := mustParse(t, c[0].(string)).IsPostrelease(); got != c[1].(bool) {
			t.Errorf("%s is a post-release: %v", c[0], got)
		}
	}
	for _, c := range vt.Release.Cases {
		want := ""
		for _, x := range c[1].([]any) {
			want += x.(string) + "."
		}
		if got := strings.Join(mustParse(t, c[0].(string)).Release(), ".") + "."; got != want {
			t.Errorf("%s: release %s, want %s", c[0], got, want)
		}
	}
}

func TestPackagingSpecifiersValid(t *testing.T) {
	t.Parallel()
	st := load[specifierTables](t, "specifiers.json")
	for _, s := range st.Valid.Cases {
		if _, err := ParseSpecifierSet(s); err != nil {
			t.Errorf("ParseSpecifierSet(%q): %v", s, err)
		}
	}
	for _, s := range st.Invalid.Cases {
		if _, err := ParseSpecifier(s); err == nil {
			t.Errorf("ParseSpecifier(%q) took it", s)
		}
		if _, err := ParseSpecifierSet(s); err == nil {
			t.Errorf("ParseSpecifierSet(%q) took it", s)
		}
	}
	for _, v := range st.Normalized.Cases {
		ops := []string{"~=", "==", "!=", "<=", ">=", "<", ">"}
		if strings.Contains(v, "+") {
			ops = []string{"==", "!="}
		}
		for _, op := range ops {
			if _, err := ParseSpecifier(op + v); err != nil {
				t.Errorf("ParseSpecifier(%q): %v", op+v, err)
			}
		}
	}
	for _, c := range st.Str.Cases {
		sp, err := ParseSpecifier(c[0])
		if err != nil || sp.String() != c[1] {
			t.Errorf("ParseSpecifier(%q) = %q, %v; want %q", c[0], sp, err, c[1])
		}
	}
}

func TestPackagingSpecifierContains(t *testing.T) {
	t.Parallel()
	st := load[specifierTables](t, "specifiers.json")
	for _, group := range append(st.Contains, st.SetContains...) {
		for _, c := range group.Cases {
			spec, version, want := c[0].(string), c[1].(string), c[2].(bool)
			set, err := ParseSpecifierSet(spec)
			if err != nil {
				t.Errorf("%s: ParseSpecifierSet(%q): %v", group.From, spec, err)
				continue
			}
			if got := set.Contains(version); got != want {
				t.Errorf("%s: %q contains %q = %v, want %v", group.From, spec, version, got, want)
			}
		}
	}
	vt := load[versionTables](t, "versions.json")
	for _, v := range vt.Ordered.Cases { // test_empty_specifier
		if !(SpecifierSet{}).Contains(v) {
			t.Errorf("the empty set does not contain %s", v)
		}
	}
}

// TestPackagingSatisfiable checks TestIsUnsatisfiable's sets against its
// sample versions: an unsatisfiable set holds none, a satisfiable one some.
func TestPackagingSatisfiable(t *testing.T) {
	t.Parallel()
	st := load[specifierTables](t, "specifiers.json")
	var samples []string
	seen := map[string]bool{}
	for _, b := range st.Samples.Bases {
		for _, f := range st.Samples.Family {
			if s := strings.ReplaceAll(f, "{b}", b); !seen[s] {
				seen[s] = true
				samples = append(samples, s)
			}
		}
	}
	samples = append(samples, st.Samples.Extra...)
	held := func(spec string) []string {
		set, err := ParseSpecifierSet(spec)
		if err != nil {
			t.Fatalf("ParseSpecifierSet(%q): %v", spec, err)
		}
		var in []string
		for _, s := range samples {
			if set.Contains(s) {
				in = append(in, s)
			}
		}
		return in
	}
	for _, spec := range st.Unsatisfied.Cases {
		if in := held(spec); len(in) > 0 {
			t.Errorf("unsatisfiable %q holds %q", spec, in)
		}
	}
	for _, spec := range st.Satisfied.Cases {
		if len(held(spec)) == 0 {
			t.Errorf("satisfiable %q holds none of %d samples", spec, len(samples))
		}
	}
}
