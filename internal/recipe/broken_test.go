package recipe

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBroken loads every testdata/broken/*.txtar and compares the error
// with its `want` file, exactly. The recipe is study.yml; an optional
// `host` file names the platform (a key of hosts, default debian12).
func TestBroken(t *testing.T) {
	t.Parallel()
	for _, file := range testdataCases(t, "broken") {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a, err := parseArchive(file)
			if err != nil {
				t.Fatal(err)
			}
			host := "debian12"
			if h, ok := section(a, "host"); ok {
				host = strings.TrimSpace(h)
			}
			p, ok := hosts[host]
			if !ok {
				t.Fatalf("unknown host %q", host)
			}
			dir := extract(t, a, func(n string) bool { return n == "want" || n == "host" })
			_, err = Load(filepath.Join(dir, "study.yml"), p)
			if err == nil {
				t.Fatal("Load succeeded; want an error")
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, not an ErrorList: %v", err, err)
			}
			got := relative(err.Error(), dir) + "\n"
			if updating() {
				setSection(a, "want", got)
				if err := os.WriteFile(file, a.format(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, _ := section(a, "want")
			if got != want {
				t.Errorf("error:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
