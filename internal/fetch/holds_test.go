package fetch

import (
	"testing"
)

// Holds finds a file in a folder or URL mirror under either spelling of
// its base name, or in the cache, and never asks the origin.
func TestHolds(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		file    string
		mirrors func(t *testing.T) []string
		cached  bool
		want    bool
	}{
		{"folder", "python.tar.gz", func(t *testing.T) []string { return []string{mirrorDir(t, "python.tar.gz")} }, false, true},
		{"second folder", "python.tar.gz", func(t *testing.T) []string { return []string{mirrorDir(t), mirrorDir(t, "python.tar.gz")} }, false, true},
		{"folder, plus spelling", escName, func(t *testing.T) []string { return []string{mirrorDir(t, plusName)} }, false, true},
		{"URL", "python.tar.gz", func(t *testing.T) []string {
			return []string{fileServer(t, mirrorDir(t, "python.tar.gz")).URL}
		}, false, true},
		{"empty folder", "python.tar.gz", func(t *testing.T) []string { return []string{mirrorDir(t)} }, false, false},
		{"empty URL", "python.tar.gz", func(t *testing.T) []string { return []string{fileServer(t, mirrorDir(t)).URL} }, false, false},
		{"no mirror", "python.tar.gz", func(*testing.T) []string { return nil }, false, false},
		{"cache", "python.tar.gz", func(t *testing.T) []string { return []string{mirrorDir(t)} }, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			origin := noOrigin(t)
			f, _ := newFetcher(t, Options{Mirrors: c.mirrors(t), Offline: true})
			if c.cached {
				src := mirrorDir(t, "python.tar.gz")
				g, _ := newFetcher(t, Options{Mirrors: []string{src}, Offline: true})
				g.opts.CacheDir = f.opts.CacheDir
				if _, err := g.Get(t.Context(), origin.URL+"/"+c.file, payloadSum); err != nil {
					t.Fatal(err)
				}
			}
			if got := f.Holds(t.Context(), origin.URL+"/releases/"+c.file, payloadSum); got != c.want {
				t.Errorf("Holds = %v, want %v", got, c.want)
			}
		})
	}
}
