package inventory

import (
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// BenchmarkFind is a no-op apply's Find: the fake Linux host of
// linuxHost (nine pythons in eight places, five PATH directories),
// unchanged since the memo learned it. It spawns nothing and reads no
// directory; what it costs is stats and lstats.
func BenchmarkFind(b *testing.B) {
	f, p := linuxHost(b)
	f.age()
	memo := state.NewMemo(nil)
	if _, err := Find(b.Context(), f, "python", p, memo); err != nil {
		b.Fatal(err)
	}
	f.spawns.Store(0)
	for b.Loop() {
		if _, err := Find(b.Context(), f, "python", p, memo); err != nil {
			b.Fatal(err)
		}
	}
	if n := f.spawns.Load(); n != 0 {
		b.Fatalf("a warm Find spawned %d processes", n)
	}
}

// BenchmarkFindHost is the same on the machine running the benchmark,
// with its own PATH and home.
func BenchmarkFindHost(b *testing.B) {
	p, err := detect.Detect()
	if err != nil {
		b.Skip(err)
	}
	sys := system.NewReal()
	memo := state.NewMemo(nil)
	found, err := Find(b.Context(), sys, "python", p, memo)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(found)), "pythons")
	for b.Loop() {
		if _, err := Find(b.Context(), sys, "python", p, memo); err != nil {
			b.Fatal(err)
		}
	}
}
