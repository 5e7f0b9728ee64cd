package snapshot

import (
	"strconv"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
)

// unseg undoes install.Seg.
func unseg(s string) string { return strings.ReplaceAll(s, "%2F", "/") }

// facts lists a snapshot's facts: its platform's, then each part's.
func (s *Snapshot) facts() install.Facts {
	fs := install.Facts{}
	p := s.Platform
	for k, v := range map[string]string{
		"os": p.OS, "version": p.Version, "name": p.Name, "arch": p.Arch,
		"edition": p.Edition, "build": p.Build, "container": p.Container,
	} {
		if v != "" {
			fs.Put("platform/"+k, v)
		}
	}
	if p.Libc.Name != "" {
		fs.Put("platform/libc", strings.TrimSpace(p.Libc.Name+" "+p.Libc.Version))
	}
	if p.WSL != 0 {
		fs.Put("platform/wsl", strconv.Itoa(p.WSL))
	}
	if p.Rosetta {
		fs.Put("platform/rosetta", "true")
	}
	if p.Server {
		fs.Put("platform/server", "true")
	}
	for _, part := range parts() {
		part.Facts(s.Parts[part.Section()], fs)
	}
	return fs
}

// wants lists what a recipe, loaded for platform p, says a machine has:
// the same paths a snapshot's facts have, each with a match where the
// recipe gives a constraint rather than a value. What the recipe does not
// name it does not list: a recipe side is partial.
func wants(r *recipe.Recipe, p detect.Platform) (install.Facts, error) {
	fs := install.Facts{}
	for _, part := range parts() {
		if err := part.Wants(r, p, fs); err != nil {
			return nil, err
		}
	}
	summarize(fs)
	return fs, nil
}

// summarize gives the recipe's groups that say nothing themselves a
// count of what is under them: "the recipe wants 2 settings".
func summarize(fs install.Facts) {
	for p, f := range fs {
		if !f.Group || f.Show != "" {
			continue
		}
		n := 0
		for q, c := range fs {
			if !c.Group && strings.HasPrefix(q, p+"/") {
				n++
			}
		}
		what := "setting"
		if strings.HasPrefix(p, "packages/") || strings.HasSuffix(p, "/packages") {
			what = "package"
		}
		f.Show = install.Plural(n, what)
	}
}
