package font

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Part records the user's own fonts (Inspect), each by its file's
// content: a recipe's font is the same font when its sha256 is.
var Part = install.Record[[]Seen]("fonts", func() []Seen { return []Seen{} }, part{})

type part struct{}

func (part) Inspect(_ context.Context, sys system.System, look install.Look) ([]Seen, error) {
	return Inspect(sys, look.Platform)
}

func (part) Count(seen []Seen) int { return len(seen) }

func (part) Tilde(seen []Seen, home detect.Path) {
	for i := range seen {
		seen[i].Path = home.Collapse(seen[i].Path)
	}
}

func (part) Facts(seen []Seen, fs install.Facts) {
	for _, f := range seen {
		e := fs.Put("fonts/"+install.Seg(fileName(f.Path)), f.SHA256)
		e.Show = fmt.Sprintf("%s (%s, sha256 %s)", f.Family, f.Path, install.Short(f.SHA256))
	}
}

// Wants are each font's file name and sha256: the recipe's sha256 for a
// download, the file's own for a file on this machine.
func (part) Wants(r *recipe.Recipe, _ detect.Platform, fs install.Facts) error {
	for _, family := range slices.Sorted(maps.Keys(r.Fonts)) {
		f := r.Fonts[family]
		file, sum := "", f.SHA256
		if f.URL != "" {
			if u, err := url.Parse(f.URL); err == nil {
				file = path.Base(u.Path)
			}
		} else {
			// The font file is on this machine, whatever home the
			// recipe was read for.
			src := f.Path
			if detect.UnderHome(src) {
				if home, err := os.UserHomeDir(); err == nil {
					src = detect.LocalPath(home).Expand(src)
				}
			} else if !filepath.IsAbs(src) {
				src = filepath.Join(r.Dir, filepath.FromSlash(src))
			}
			file = filepath.Base(src)
			data, err := os.ReadFile(src)
			if err != nil {
				return fmt.Errorf("fonts.%s: %w", family, err)
			}
			h := sha256.Sum256(data)
			sum = hex.EncodeToString(h[:])
		}
		want := strings.ToLower(sum)
		e := fs.Put("fonts/"+install.Seg(file), want)
		e.Show = fmt.Sprintf("%s (sha256 %s)", family, install.Short(want))
	}
	return nil
}

// fileName is the last element of a font's path in a snapshot, which may
// be any host's (Facts and Capture are not told which): both separators
// split, as on Windows.
func fileName(path string) string { return detect.PathOn("windows", path).Base() }

func (part) Words(path []string) (string, string, string) {
	return "", "font " + strings.Join(path[1:], "/"), ""
}

// Capture writes each font as a file beside the recipe, under fonts/.
func (part) Capture(seen []Seen, c *install.Captured) {
	r := c.Recipe
	for _, f := range seen {
		if r.Fonts == nil {
			r.Fonts = map[string]*recipe.Font{}
		}
		file := fileName(f.Path)
		key := f.Family
		if _, taken := r.Fonts[key]; taken {
			key = f.Family + " (" + file + ")"
		}
		if _, taken := r.Fonts[key]; taken {
			continue // the same file in two font folders
		}
		to := "fonts/" + file
		for n := 2; slices.Contains(slices.Collect(maps.Values(c.Fonts)), to); n++ {
			to = fmt.Sprintf("fonts/%d-%s", n, file)
		}
		r.Fonts[key] = &recipe.Font{Path: to}
		c.Fonts[c.Home.Expand(f.Path)] = to
	}
}
