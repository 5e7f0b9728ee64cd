package interpreter

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/inventory"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Seen is one python or node on the machine, as a snapshot records it.
type Seen struct {
	Tool    string `json:"tool"`    // python, node
	Version string `json:"version"` // 3.11.2
	Path    string `json:"path"`
	Origin  string `json:"origin"`            // system, pyenv, uv, mise, homebrew, python.org, envup, ...
	Default bool   `json:"default,omitempty"` // what python3 (python on Windows) or node on the PATH runs
}

// Part records every python and node on a machine, as the plan's Observe
// finds them (package inventory).
var Part = install.Record[[]Seen]("interpreters", func() []Seen { return []Seen{} }, part{})

type part struct{}

// Inspect lists every python and node, and marks the ones the PATH runs
// as python3 (python on Windows) and node.
func (part) Inspect(ctx context.Context, sys system.System, look install.Look) ([]Seen, error) {
	var out []Seen
	for _, tool := range []string{"python", "node"} {
		found, err := inventory.Find(ctx, sys, tool, look.Platform, look.Memo)
		if err != nil {
			return out, err
		}
		def := defaultOf(sys, tool, look.Platform)
		for _, f := range found {
			out = append(out, Seen{
				Tool: tool, Version: f.Version, Path: f.Path, Origin: f.Origin,
				Default: def != nil && sameFile(sys, f.Path, def),
			})
		}
	}
	return out, nil
}

// defaultOf is the file the PATH runs for tool, nil when none.
func defaultOf(sys system.System, tool string, p detect.Platform) os.FileInfo {
	names := []string{tool}
	if tool == "python" && p.OS != "windows" {
		names = []string{"python3", "python"}
	}
	for _, n := range names {
		if path, err := sys.LookPath(n); err == nil {
			if fi, err := sys.Stat(path); err == nil {
				return fi
			}
		}
	}
	return nil
}

func sameFile(sys system.System, path string, fi os.FileInfo) bool {
	other, err := sys.Stat(path)
	return err == nil && os.SameFile(other, fi)
}

func (part) Count(seen []Seen) int { return len(seen) }

func (part) Tilde(seen []Seen, home detect.Path) {
	for i := range seen {
		seen[i].Path = home.Collapse(seen[i].Path)
	}
}

// Facts compares an interpreter series by its versions: where it lives
// and where it came from are shown, not compared (envup's python 3.11.2
// and the system's are the same python).
func (part) Facts(seen []Seen, fs install.Facts) {
	bySeries := map[string][]Seen{}
	for _, in := range seen {
		k := "interpreters/" + install.Seg(in.Tool)
		sk := k + "/" + install.Seg(install.Minor(in.Version))
		bySeries[sk] = append(bySeries[sk], in)
		if fs[k] == nil {
			fs.Group(k, "")
		}
		g := fs[k]
		g.Value = strings.TrimSpace(g.Value + " " + in.Version)
		if in.Default {
			fs.Put(k+"/default", in.Version).Show = in.Version + " " + in.Path
		}
	}
	for k, ins := range bySeries {
		var versions, shown []string
		for _, in := range ins {
			if !slices.Contains(versions, in.Version) {
				versions = append(versions, in.Version)
			}
			shown = append(shown, fmt.Sprintf("%s %s (%s)", in.Version, in.Path, in.Origin))
		}
		slices.Sort(versions)
		slices.Sort(shown)
		fs.Put(k, strings.Join(versions, " ")).Show = strings.Join(shown, "; ")
	}
	for k, g := range fs {
		if strings.Count(k, "/") == 1 && strings.HasPrefix(k, "interpreters/") {
			g.Show = strings.ReplaceAll(g.Value, " ", ", ")
		}
	}
}

// Wants are a tool's constraints, met when every one is met by some
// version the machine has.
func (part) Wants(r *recipe.Recipe, _ detect.Platform, fs install.Facts) error {
	constraints := map[string][]string{} // tool → the recipe's constraints
	for _, key := range slices.Sorted(maps.Keys(r.Interpreters)) {
		in := r.Interpreters[key]
		constraints[in.Tool] = append(constraints[in.Tool], in.Version)
	}
	for tool, cs := range constraints {
		checks := make([]catalog.Constraint, len(cs))
		for i, c := range cs {
			var err error
			if checks[i], err = catalog.ParseConstraint(c); err != nil {
				return fmt.Errorf("interpreters: %s: %w", tool, err)
			}
		}
		f := fs.Group("interpreters/"+install.Seg(tool), strings.Join(cs, ", "))
		f.Value = f.Show
		f.Match = func(have string) bool {
			versions := strings.Fields(have)
			for _, c := range checks {
				if !slices.ContainsFunc(versions, c.Check) {
					return false
				}
			}
			return true
		}
	}
	return nil
}

// Capture asks for each version once: the default one (else the newest)
// of a tool is keyed by the tool, the others tool+X.Y.
func (part) Capture(seen []Seen, c *install.Captured) {
	r := c.Recipe
	taken := map[string]bool{} // tool+" "+version
	for _, tool := range []string{"python", "node"} {
		var ins []Seen
		for _, in := range seen {
			if in.Tool == tool && !taken[tool+" "+in.Version] {
				taken[tool+" "+in.Version] = true
				ins = append(ins, in)
			}
		}
		main := 0 // the newest: inventory lists newest first
		for i, in := range ins {
			if in.Default {
				main = i
			}
		}
		for i, in := range ins {
			key := tool
			if i != main {
				key = tool + install.Minor(in.Version)
				if _, taken := r.Interpreters[key]; taken {
					key = tool + in.Version
				}
			}
			if r.Interpreters == nil {
				r.Interpreters = map[string]*recipe.Interpreter{}
			}
			spec := &recipe.Interpreter{Version: in.Version}
			if key != tool {
				spec.Tool = tool
			}
			r.Interpreters[key] = spec
		}
	}
}

// Words: "python 3.11", "python (default)".
func (part) Words(path []string) (string, string, string) {
	switch {
	case len(path) == 2:
		return "", path[1], ""
	case path[2] == "default":
		return "", path[1] + " (default)", ""
	}
	return "", path[1] + " " + path[2], ""
}

// KeyOf is the key of the interpreter a captured recipe asks for at
// version exactly, "" when it has none.
func KeyOf(r *recipe.Recipe, tool, version string) string {
	for _, key := range slices.Sorted(maps.Keys(r.Interpreters)) {
		in := r.Interpreters[key]
		if in.Version == version && (in.Tool == tool || in.Tool == "" && key == tool) {
			return key
		}
	}
	return ""
}
