package fetch

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkFetchCached is a no-op apply's cost per file already in the
// cache (a 300 KiB one): "same fetcher" is every Fetch after the first in
// one run, "new fetcher" a run's first look at the entry.
func BenchmarkFetchCached(b *testing.B) {
	cache := b.TempDir()
	src := filepath.Join(b.TempDir(), "python.tar.gz")
	if err := os.WriteFile(src, payload, 0o644); err != nil {
		b.Fatal(err)
	}
	f := New(Options{CacheDir: cache, Offline: true})
	if _, err := f.Get(b.Context(), src, payloadSum); err != nil {
		b.Fatal(err)
	}
	b.Run("same fetcher", func(b *testing.B) {
		for b.Loop() {
			if _, err := f.Get(b.Context(), src, payloadSum); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("new fetcher", func(b *testing.B) {
		for b.Loop() {
			g := New(Options{CacheDir: cache, Offline: true})
			if _, err := g.Get(b.Context(), src, payloadSum); err != nil {
				b.Fatal(err)
			}
		}
	})
}
