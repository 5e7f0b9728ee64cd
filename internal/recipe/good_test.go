package recipe

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
)

// TestGood loads every testdata/good/*.txtar: study.yml (with the other
// files beside it) on each host that has a want/<host>.yml section, and
// compares the effective recipe with it. The rendering must itself load
// back to the same recipe.
func TestGood(t *testing.T) {
	t.Parallel()
	for _, file := range testdataCases(t, "good") {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a, err := parseArchive(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := extract(t, a, isWant)
			var hostNames []string
			for _, f := range a.files {
				if isWant(f.name) {
					hostNames = append(hostNames, strings.TrimSuffix(strings.TrimPrefix(f.name, "want/"), ".yml"))
				}
			}
			if len(hostNames) == 0 {
				t.Fatal("no want/<host>.yml sections")
			}
			sort.Strings(hostNames)
			changed := false
			for _, h := range hostNames {
				p, ok := hosts[h]
				if !ok {
					t.Fatalf("unknown host %q", h)
				}
				got := render(t, filepath.Join(dir, "study.yml"), p)
				roundTrip(t, dir, h, got)
				want, _ := section(a, "want/"+h+".yml")
				if updating() {
					if got != want {
						setSection(a, "want/"+h+".yml", got)
						changed = true
					}
					continue
				}
				if got != want {
					t.Errorf("%s: effective recipe:\n%s\nwant:\n%s", h, got, want)
				}
			}
			if changed {
				if err := os.WriteFile(file, a.format(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func isWant(name string) bool { return strings.HasPrefix(name, "want/") }

// render loads a recipe and renders it, failing the test on any error.
func render(t *testing.T, path string, p detect.Platform) string {
	t.Helper()
	r, err := Load(path, p)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	b, err := r.YAML()
	if err != nil {
		t.Fatalf("YAML: %v", err)
	}
	return string(b)
}

// roundTrip loads a rendering, saved beside the recipe, and renders it again.
func roundTrip(t *testing.T, dir, host, rendered string) {
	t.Helper()
	path := filepath.Join(dir, "rendered-"+host+".yml")
	if err := os.WriteFile(path, []byte(rendered), 0o644); err != nil {
		t.Fatal(err)
	}
	if again := render(t, path, hosts[host]); again != rendered {
		t.Errorf("%s: rendering does not load back to itself:\n%s\nfirst:\n%s", host, again, rendered)
	}
}
