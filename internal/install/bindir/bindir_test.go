package bindir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

func platform(t *testing.T, os string) detect.Platform {
	root := t.TempDir()
	return detect.Platform{OS: os, Dirs: detect.Dirs{Bin: filepath.Join(root, "bin"), Data: filepath.Join(root, "data")}}
}

func TestLinksAreMadeOnceAndForeignEntriesKept(t *testing.T) {
	t.Parallel()
	sys := system.NewReal()
	for _, osName := range []string{"linux", "windows"} {
		p := platform(t, osName)
		target := filepath.Join(p.Dirs.Data, "python", "3.12.1", "bin", "python3.12")
		links := []Link{Entry(p, "python3.12", target), Entry(p, "python3", target)}
		if err := Make(sys, p, links, "set default: false"); err != nil {
			t.Fatalf("%s: %v", osName, err)
		}
		if m := Missing(sys, p, links); len(m) != 0 {
			t.Errorf("%s: still missing %v", osName, m)
		}
		if osName == "windows" {
			data, _ := os.ReadFile(filepath.Join(p.Dirs.Bin, "python3.cmd"))
			if string(data) != "@\""+target+"\" %*\r\n" {
				t.Errorf("shim = %q", data)
			}
		}
		// Someone else's entry is never replaced.
		mine := Entry(p, "python", target)
		if err := os.WriteFile(mine.Name, []byte("mine"), 0o755); err != nil {
			t.Fatal(err)
		}
		err := Make(sys, p, []Link{mine}, "set default: false")
		if err == nil || !strings.HasSuffix(err.Error(), "exists and envup did not make it: move it away, or set default: false") {
			t.Errorf("%s: err = %v", osName, err)
		}
		if data, _ := os.ReadFile(mine.Name); string(data) != "mine" {
			t.Errorf("%s: a foreign entry was replaced", osName)
		}
	}
}
