package recipe

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzLoad loads any bytes as a recipe, beside a copy of recipes/ (so
// includes, sources and fonts resolve), on a Linux and a Windows host.
// Whatever the input: no panic; each Load within a second of CPU time
// (the alias budget and the read limits hold); an error is an ErrorList
// whose every error is one line with a place; and a recipe that loads
// renders to one that loads back to the same rendering.
//
// Seeds: every recipe under recipes/, every .yml file in the testdata
// txtar archives (good, broken, and the effective recipes they render)
// and testdata/effective.
func FuzzLoad(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	dir := f.TempDir()
	if err := os.CopyFS(dir, os.DirFS(recipesDir)); err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(dir, "fuzzed.yml")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, host := range []string{"debian12", "win7"} {
			p := hosts[host]
			start := cpuTime()
			r, err := Load(path, p)
			if d := cpuTime() - start; d > time.Second {
				t.Errorf("%s: Load took %v of CPU time", host, d)
			}
			if err != nil {
				checkErrors(t, err)
				continue
			}
			rendered, err := r.YAML()
			if err != nil {
				t.Fatalf("%s: YAML: %v", host, err)
			}
			again := filepath.Join(dir, "rendered.yml")
			if err := os.WriteFile(again, rendered, 0o644); err != nil {
				t.Fatal(err)
			}
			r2, err := Load(again, p)
			if err != nil {
				t.Fatalf("%s: the rendering does not load: %v\n%s", host, err, rendered)
			}
			if twice, _ := r2.YAML(); string(twice) != string(rendered) {
				t.Fatalf("%s: the rendering loads to another recipe:\n%s\nfirst:\n%s", host, twice, rendered)
			}
		}
	})
}

// checkErrors checks that a Load error is an ErrorList of one-line
// errors, each naming a file.
func checkErrors(t *testing.T, err error) {
	t.Helper()
	var list ErrorList
	if !errors.As(err, &list) {
		return // reading the file itself failed: a plain error
	}
	if len(list) == 0 {
		t.Fatal("an empty ErrorList")
	}
	for _, e := range list {
		if e.Pos.File == "" || e.Msg == "" {
			t.Errorf("an error without a file or a message: %+v", *e)
		}
		if s := e.Error(); strings.ContainsAny(s, "\n\r\x00") {
			t.Errorf("an error of more than one line, or with a NUL: %q", s)
		}
	}
}

// fuzzSeeds gathers the recipes of the repository.
func fuzzSeeds(f *testing.F) [][]byte {
	f.Helper()
	var seeds [][]byte
	add := func(pattern string) {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			seeds = append(seeds, b)
		}
	}
	add(filepath.Join(recipesDir, "*.yml"))
	add(filepath.Join(recipesDir, "common", "*.yml"))
	add(filepath.Join(effectiveDir, "*.yml"))
	for _, dir := range []string{"good", "broken"} {
		files, err := filepath.Glob(filepath.Join("testdata", dir, "*.txtar"))
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			a, err := parseArchive(file)
			if err != nil {
				f.Fatal(err)
			}
			for _, af := range a.files {
				if strings.HasSuffix(af.name, ".yml") {
					seeds = append(seeds, []byte(af.data))
				}
			}
		}
	}
	if len(seeds) < 100 {
		f.Fatalf("only %d seeds", len(seeds))
	}
	return seeds
}
