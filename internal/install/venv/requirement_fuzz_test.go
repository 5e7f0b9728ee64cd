package venv

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envup/envup/internal/pep440"
	"github.com/envup/envup/internal/pep508"
)

// FuzzParseRequirement feeds requirements to ParseRequirement. Seeds: the
// Requires-Dist lines of the real METADATA files in testdata/metadata and
// the requirement strings of pypa/packaging's tests (pep508's testdata).
// Whatever it takes must hold together: a name normalises to its key, the
// specifier and marker it kept read again the same, and checking versions
// against them never panics.
func FuzzParseRequirement(f *testing.F) {
	files, _ := filepath.Glob("testdata/metadata/*")
	for _, name := range files {
		fh, err := os.Open(name)
		if err != nil {
			f.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "Requires-Dist: "); ok {
				f.Add(v)
			}
		}
		fh.Close()
	}
	var tables struct {
		Valid   struct{ Cases []struct{ In string } }
		Invalid struct{ Cases json.RawMessage }
	}
	b, err := os.ReadFile("../../pep508/testdata/requirements.json")
	if err != nil {
		f.Fatal(err)
	}
	if err := json.Unmarshal(b, &tables); err != nil {
		f.Fatal(err)
	}
	for _, c := range tables.Valid.Cases {
		f.Add(c.In)
	}
	var invalid []string
	if err := json.Unmarshal(tables.Invalid.Cases, &invalid); err != nil {
		f.Fatal(err)
	}
	for _, s := range invalid {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRequirement(s, "/recipe")
		if err != nil {
			return
		}
		if r.Key != Normalize(r.Name) {
			t.Errorf("key %q of name %q", r.Key, r.Name)
		}
		if r.Name == "" && r.URL == "" {
			t.Errorf("%q: neither a name nor a URL", s)
		}
		if _, err := pep440.ParseSpecifierSet(r.Specifier.String()); err != nil {
			t.Errorf("%q: specifier %q does not read again: %v", s, r.Specifier, err)
		}
		if r.Marker != "" {
			m, err := pep508.ParseMarker(r.Marker)
			if err != nil {
				t.Fatalf("%q: marker %q does not read again: %v", s, r.Marker, err)
			}
			env := markerEnv{"python_version": "3.11", "sys_platform": "linux", "extra": ""}
			if env.holds(m) != env.holds(r.marker) {
				t.Errorf("%q: marker %q reads differently alone", s, r.Marker)
			}
		}
		for _, v := range []string{"0", "1.0", "2.0rc1", "1!3.post2.dev1+x", s} {
			r.Specifier.Allows(v)
		}
	})
}
