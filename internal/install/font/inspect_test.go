package font

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// Inspect lists the user's font files with the family their name table
// gives, in both Linux folders; older Windows has no user fonts.
func TestInspect(t *testing.T) {
	ttf, err := os.ReadFile("../../../recipes/fonts/DejaVuSansMono.ttf")
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	t.Setenv("XDG_DATA_HOME", "")
	for _, dir := range []string{".local/share/fonts/envup", ".fonts"} {
		if err := os.MkdirAll(filepath.Join(home, dir), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(home, dir, "DejaVuSansMono.ttf"), ttf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(home, ".fonts", "notes.txt"), []byte("not a font"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Inspect(system.NewReal(), detect.Platform{OS: "linux", Home: home})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("found %d fonts: %+v", len(got), got)
	}
	for _, f := range got {
		if f.Family != "DejaVu Sans Mono" || f.SHA256 != sum(ttf) {
			t.Errorf("font %+v", f)
		}
	}
	if got[0].Path != filepath.Join(home, ".fonts", "DejaVuSansMono.ttf") {
		t.Errorf("not sorted by path within a family: %s first", got[0].Path)
	}

	xp, err := Inspect(system.NewReal(), detect.Platform{OS: "windows", Version: "5.1.2600", Home: home})
	if err != nil || len(xp) != 0 {
		t.Errorf("Windows XP user fonts: %v, %v", xp, err)
	}
}
