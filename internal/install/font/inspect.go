package font

import (
	"cmp"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// Seen is a font file in the user's fonts folders, whether or not a
// recipe names it: what `envup snapshot` records.
type Seen struct {
	Family string `json:"family"` // from the file's name table; the file name when it has none
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// Inspect lists the user's own fonts: on Linux the fonts folder under
// $XDG_DATA_HOME (~/.local/share/fonts, envup's subfolder included) and
// ~/.fonts, on macOS ~/Library/Fonts, on Windows 10 1809+ the per-user
// fonts folder. System fonts are the OS's, not the user's, and are left
// out. It reads files and spawns nothing.
//
// A file it does not read is said in the error, "~/.fonts/big.ttf:
// skipped: larger than 512 MiB", and the others are still returned: one
// larger than MaxFileSize, or not a regular file (reading a named pipe
// waits for a writer, and a link to /dev/zero never ends).
func Inspect(sys system.System, p detect.Platform) ([]Seen, error) {
	var out []Seen
	var skipped []error
	home := p.HomePath()
	for _, dir := range userDirs(sys, p) {
		walkFonts(sys, p, dir, 0, func(file string) {
			fi, err := sys.Stat(file)
			switch {
			case err != nil:
				return
			case !fi.Mode().IsRegular():
				skipped = append(skipped, fmt.Errorf("%s: skipped: not a regular file", home.Collapse(file)))
				return
			case fi.Size() > MaxFileSize:
				skipped = append(skipped, fmt.Errorf("%s: skipped: larger than %d MiB", home.Collapse(file), MaxFileSize>>20))
				return
			}
			data, err := sys.ReadFile(file)
			if err != nil {
				return
			}
			family, err := Family(data)
			if err != nil || family == "" {
				family = strings.TrimSuffix(p.Path(file).Base(), path.Ext(file))
			}
			out = append(out, Seen{Family: family, Path: file, SHA256: sum(data)})
		})
	}
	slices.SortFunc(out, func(a, b Seen) int {
		return cmp.Or(cmp.Compare(a.Family, b.Family), cmp.Compare(a.Path, b.Path))
	})
	return out, errors.Join(skipped...)
}

// MaxFileSize is the largest font file Inspect reads, 512 MiB: it reads a
// file whole, for its family and sha256. The largest real font files are
// CJK collections (Adobe's Source Han Mega OTC, 78 fonts in one file, is
// over 300 MB); a bigger one is no font a user installed, or a sparse
// file, and reading it would hold it all in memory.
const MaxFileSize = 512 << 20

func userDirs(sys system.System, p detect.Platform) []string {
	if p.Home == "" {
		return nil
	}
	switch p.OS {
	case "macos":
		return []string{p.Join(p.Home, "Library", "Fonts")}
	case "windows":
		if !perUser(p.Version) {
			return nil // XP to 8.1 have no per-user fonts: every font is the system's
		}
		local := strings.TrimRight(sys.Getenv("LOCALAPPDATA"), `\/`)
		if local == "" {
			local = p.Join(p.Home, "AppData", "Local")
		}
		return []string{p.Join(local, "Microsoft", "Windows", "Fonts")}
	}
	data := sys.Getenv("XDG_DATA_HOME")
	if !strings.HasPrefix(data, "/") {
		data = p.Join(p.Home, ".local", "share")
	}
	return []string{p.Join(data, "fonts"), p.Join(p.Home, ".fonts")}
}

// walkFonts calls fn for each font file under dir, a few folders deep.
func walkFonts(sys system.System, p detect.Platform, dir string, depth int, fn func(string)) {
	entries, err := sys.ReadDir(dir)
	if err != nil || depth > 3 {
		return
	}
	for _, e := range entries {
		name := p.Join(dir, e.Name())
		if e.IsDir() {
			walkFonts(sys, p, name, depth+1, fn)
			continue
		}
		switch strings.ToLower(path.Ext(e.Name())) {
		case ".ttf", ".otf", ".ttc", ".otc":
			fn(name)
		}
	}
}
