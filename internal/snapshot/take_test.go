package snapshot

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// A font file too large to read is in the snapshot's skipped list by its
// ~ path, and the machine's other fonts are still recorded.
func TestTakeSkipsHugeFont(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fonts folder is Linux's")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("PATH", "/nonexistent")
	t.Setenv("XDG_DATA_HOME", "")
	dir := filepath.Join(home, ".fonts")
	ttf, err := os.ReadFile("../../recipes/fonts/DejaVuSansMono.ttf")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("DejaVuSansMono.ttf", ttf)
	write("huge.ttf", ttf[:64])
	if err := os.Truncate(filepath.Join(dir, "huge.ttf"), 1<<30); err != nil {
		t.Fatal(err)
	}
	p := detect.Platform{OS: "linux", Arch: "amd64", Home: home}
	s, err := Take(t.Context(), system.NewReal(), p, Options{Root: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if got := fonts(s); len(got) != 1 || got[0].Path != "~/.fonts/DejaVuSansMono.ttf" {
		t.Errorf("fonts %+v", got)
	}
	want := "fonts: ~/.fonts/huge.ttf: skipped: larger than 512 MiB"
	if !slices.Contains(s.Skipped, want) {
		t.Errorf("skipped %q, want %q among them", s.Skipped, want)
	}
}
