package font

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// Inspect lists the user's font files with the family their name table
// gives, in both Linux folders; older Windows has no user fonts.
func TestInspect(t *testing.T) {
	ttf, home := userFonts(t, ".local/share/fonts/envup", ".fonts")
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

// userFonts makes a home with DejaVu Sans Mono (the repository's copy)
// in each of its folders dirs, and returns the font's bytes and the home.
func userFonts(t *testing.T, dirs ...string) ([]byte, string) {
	t.Helper()
	ttf, err := os.ReadFile("../../../recipes/fonts/DejaVuSansMono.ttf")
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	t.Setenv("XDG_DATA_HOME", "")
	for _, dir := range dirs {
		if err := os.MkdirAll(filepath.Join(home, dir), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(home, dir, "DejaVuSansMono.ttf"), ttf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return ttf, home
}

// reads is the real host, counting which files are read whole.
type reads struct {
	*system.Real
	mu    sync.Mutex
	names []string
}

func (r *reads) ReadFile(name string) ([]byte, error) {
	r.mu.Lock()
	r.names = append(r.names, filepath.Base(name))
	r.mu.Unlock()
	return r.Real.ReadFile(name)
}

// A font file larger than MaxFileSize (a sparse 1 GiB file) is recorded
// as skipped and not read; so is what is not a regular file: a named
// pipe, a link to /dev/null. The other fonts are still listed.
func TestInspectSkips(t *testing.T) {
	ttf, home := userFonts(t, ".fonts")
	fonts := filepath.Join(home, ".fonts")
	huge := filepath.Join(fonts, "huge.ttf")
	if err := os.WriteFile(huge, ttf[:64], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 1<<30); err != nil {
		t.Fatal(err)
	}
	want := []string{"~/.fonts/huge.ttf: skipped: larger than 512 MiB"}
	if runtime.GOOS != "windows" {
		if err := os.Symlink(os.DevNull, filepath.Join(fonts, "null.otf")); err == nil {
			want = append(want, "~/.fonts/null.otf: skipped: not a regular file")
		}
		if err := mkfifo(filepath.Join(fonts, "pipe.ttc")); err == nil {
			want = append(want, "~/.fonts/pipe.ttc: skipped: not a regular file")
		}
	}
	sys := &reads{Real: system.NewReal()}
	got, err := Inspect(sys, detect.Platform{OS: "linux", Home: home})
	if len(got) != 1 || got[0].Family != "DejaVu Sans Mono" {
		t.Errorf("found %+v", got)
	}
	if err == nil {
		t.Fatal("no error for the files skipped")
	}
	lines := strings.Split(err.Error(), "\n")
	slices.Sort(lines)
	slices.Sort(want)
	if !slices.Equal(lines, want) {
		t.Errorf("skipped %q, want %q", lines, want)
	}
	if !slices.Equal(sys.names, []string{"DejaVuSansMono.ttf"}) {
		t.Errorf("read %q, want the one font", sys.names)
	}
}
