package snapshot

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
)

// Side is one side of a diff: a snapshot (from a file, or of this
// machine now) or a recipe's wants for a platform.
type Side struct {
	Name     string `json:"name"`     // the file, "here", or the recipe's path
	Kind     string `json:"kind"`     // snapshot, here or recipe
	Platform string `json:"platform"` // the platform it describes
	fs       install.Facts
	partial  bool            // a recipe: says nothing of what it does not name
	skipped  map[string]bool // paths of parts that could not be read
}

// SnapshotSide is s as a side of a diff; kind is "snapshot" or "here".
func SnapshotSide(name, kind string, s *Snapshot) *Side {
	side := &Side{Name: name, Kind: kind, Platform: s.Platform.String(), fs: s.facts(), skipped: map[string]bool{}}
	for _, why := range s.Skipped {
		part, rest, _ := strings.Cut(why, ": ")
		switch part {
		case "packages":
			// "packages: dnf: needs ...": that manager only.
			if mgr, _, ok := strings.Cut(rest, ": "); ok && !strings.Contains(mgr, " ") {
				part += "/" + mgr
			}
		case "fonts":
			// "fonts: ~/.fonts/big.ttf: skipped: larger than 512 MiB":
			// that file only, by the name fonts are compared by.
			if file, _, ok := strings.Cut(rest, ": skipped: "); ok {
				part += "/" + install.Seg(detect.PathOn("windows", file).Base())
			}
		}
		side.skipped[part] = true
	}
	return side
}

// RecipeSide is what recipe r, loaded for p, wants.
func RecipeSide(r *recipe.Recipe, p detect.Platform) (*Side, error) {
	fs, err := wants(r, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.Path, err)
	}
	return &Side{Name: r.Path, Kind: "recipe", Platform: p.String(), fs: fs, partial: true}, nil
}

// Kinds of difference.
const (
	OnlyA   = "only_a"
	OnlyB   = "only_b"
	Changed = "changed"
)

// Delta is one difference between the sides.
type Delta struct {
	Path string `json:"path"` // virtualenvs/ci/packages/pytest
	Kind string `json:"kind"` // only_a, only_b or changed
	A    string `json:"a"`    // what A has; "" when only B has it
	B    string `json:"b"`
	Text string `json:"text"` // the line `envup diff` prints for it alone
	want bool   // B is a recipe's want
}

// Result is a whole diff.
type Result struct {
	A           *Side   `json:"a"`
	B           *Side   `json:"b"`
	Equal       bool    `json:"equal"`
	Differences []Delta `json:"differences"`
	// Notes say what was not compared: a part one side could not read.
	Notes []string `json:"notes"`
}

// Diff compares a with b. ignore holds path.Match patterns; a path that
// matches one, or lies under a path that does, is left out.
func Diff(a, b *Side, ignore []string) (*Result, error) {
	for _, pat := range ignore {
		if _, err := path.Match(pat, ""); err != nil {
			return nil, fmt.Errorf("--ignore %q: %w", pat, err)
		}
	}
	// Every path of either side, once, sorted; without a map of them all
	// (a big snapshot has millions).
	all := make([]string, 0, len(a.fs)+len(b.fs))
	for p := range a.fs {
		all = append(all, p)
	}
	for p := range b.fs {
		if _, ok := a.fs[p]; !ok {
			all = append(all, p)
		}
	}
	slices.Sort(all)
	res := &Result{A: a, B: b, Differences: []Delta{}, Notes: []string{}}
	for _, side := range []*Side{a, b} {
		for _, part := range slices.Sorted(maps.Keys(side.skipped)) {
			res.Notes = append(res.Notes, fmt.Sprintf("%s not compared: %s could not read it", part, side.Name))
		}
	}
	gone := map[string]bool{} // groups reported whole: what is under them is not
	skipped := skippedParts(a, b)
	for _, p := range all {
		if under(p, gone) || ignored(p, ignore) || ignored(p, skipped) {
			continue
		}
		ea, eb := a.fs[p], b.fs[p]
		d := Delta{Path: p, want: a.partial || b.partial}
		switch {
		case eb == nil:
			if b.partial {
				continue
			}
			d.Kind, d.A = OnlyA, ea.Shown()
			if ea.Group {
				gone[p] = true
			}
		case ea == nil:
			if a.partial {
				continue
			}
			d.Kind, d.B = OnlyB, eb.Shown()
			if eb.Group {
				gone[p] = true
			}
		default:
			var same bool
			switch {
			case eb.Match != nil:
				same = eb.Match(ea.Value)
			case ea.Match != nil:
				same = ea.Match(eb.Value)
			case ea.Group || eb.Group:
				continue // the entries under it tell
			default:
				same = ea.Value == eb.Value
			}
			if same {
				continue
			}
			d.Kind, d.A, d.B = Changed, ea.Shown(), eb.Shown()
		}
		d.Text = d.line(a, b)
		res.Differences = append(res.Differences, d)
	}
	res.Equal = len(res.Differences) == 0
	return res, nil
}

// under says whether a folder above p is one of groups.
func under(p string, groups map[string]bool) bool {
	if len(groups) == 0 {
		return false
	}
	for i := range len(p) {
		if p[i] == '/' && groups[p[:i]] {
			return true
		}
	}
	return false
}

// ignored says whether p, or a path above it, matches a pattern.
func ignored(p string, patterns []string) bool {
	if len(patterns) == 0 {
		return false
	}
	for q := p; ; {
		for _, pat := range patterns {
			if ok, _ := path.Match(pat, q); ok || pat == q {
				return true
			}
		}
		i := strings.LastIndex(q, "/")
		if i < 0 {
			return false
		}
		q = q[:i]
	}
}

// skippedParts are the paths of parts either side could not read, as
// patterns that match only themselves.
func skippedParts(a, b *Side) []string {
	var out []string
	for _, side := range []*Side{a, b} {
		for part := range side.skipped {
			out = append(out, part)
		}
	}
	return out
}

// words says what a path is about, in the diff's words: the context ("venv
// ci") and the item ("pytest"), and how the two are joined.
func words(p string) (context, item, join string) {
	path := strings.Split(p, "/")
	for i := range path {
		path[i] = unseg(path[i])
	}
	if path[0] == "platform" {
		return "platform", strings.Join(path[1:], "/"), " "
	}
	for _, part := range parts() {
		if part.Section() == path[0] {
			return part.Words(path)
		}
	}
	return "", p, ""
}

func subject(p string) string {
	c, item, join := words(p)
	if c == "" {
		return item
	}
	return c + join + item
}

// title is how the header names a side.
func (s *Side) title() string {
	switch s.Kind {
	case "here":
		return "this machine, now"
	case "recipe":
		return "the recipe " + s.Name
	}
	return s.Name
}

// label is how the text names a side.
func label(s *Side, other *Side, first bool) string {
	switch {
	case s.Kind == "recipe":
		return "the recipe"
	case s.Kind == "here" && other.Kind != "here":
		return "here"
	case first:
		return "A"
	}
	return "B"
}

// only says a side alone has something: "only in A", "only here".
func only(label string) string {
	if label == "here" {
		return "only here"
	}
	return "only in " + label
}

// versioned says whether a change reads "a → b": a package's version.
func versioned(p string) bool {
	return strings.HasPrefix(p, "packages/") || strings.Contains(p, "/packages/")
}

// line is the delta said alone. When one side is a recipe, it is said
// from the machine's side: what it has, and what the recipe wants.
func (d Delta) line(a, b *Side) string {
	la, lb := label(a, b, true), label(b, a, false)
	s := subject(d.Path)
	if a.partial != b.partial {
		have, want, onlyHave := d.A, d.B, d.Kind == OnlyA
		if a.partial {
			have, want, onlyHave = d.B, d.A, d.Kind == OnlyB
		}
		switch {
		case d.Kind == Changed:
			return fmt.Sprintf("%s: %s, the recipe wants %s", s, have, want)
		case onlyHave:
			return fmt.Sprintf("%s %s: not wanted by the recipe", s, have)
		}
		return fmt.Sprintf("%s: missing, the recipe wants %s", s, want)
	}
	switch d.Kind {
	case OnlyA:
		return fmt.Sprintf("%s: %s %s", only(la), s, d.A)
	case OnlyB:
		return fmt.Sprintf("%s: %s %s", only(lb), s, d.B)
	}
	if versioned(d.Path) {
		return fmt.Sprintf("%s %s → %s", s, d.A, d.B)
	}
	return fmt.Sprintf("%s: %s ≠ %s", s, d.A, d.B)
}

// sections are in the order the text shows them: the platform, then the
// parts in the registry's order.
func sections() []string {
	out := []string{"platform"}
	for _, p := range parts() {
		out = append(out, p.Section())
	}
	return out
}

// WriteText prints the result grouped by section. Leaves of one context
// found on one side only are said on one line ("venv ci: only in B:
// pytest 7.4.0, pluggy 1.3.0").
func (r *Result) WriteText(w io.Writer) {
	fmt.Fprintf(w, "A: %s (%s)\n", r.A.title(), r.A.Platform)
	fmt.Fprintf(w, "B: %s (%s)\n", r.B.title(), r.B.Platform)
	if r.Equal {
		fmt.Fprintln(w, "\nNo differences.")
		for _, n := range r.Notes {
			fmt.Fprintf(w, "note: %s\n", n)
		}
		return
	}
	fmt.Fprintln(w)
	r.WriteSections(w)
	fmt.Fprintf(w, "\n%s\n", install.Plural(len(r.Differences), "difference"))
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}

// WriteSections prints the differences grouped by section, a heading
// each, with no header: `envup check` shows a recipe's drift this way.
func (r *Result) WriteSections(w io.Writer) {
	bySection := map[string][]Delta{}
	for _, d := range r.Differences {
		sec, _, _ := strings.Cut(d.Path, "/")
		bySection[sec] = append(bySection[sec], d)
	}
	first := true
	for _, sec := range sections() {
		ds := bySection[sec]
		if len(ds) == 0 {
			continue
		}
		if !first {
			fmt.Fprintln(w)
		}
		first = false
		fmt.Fprintf(w, "%s\n", sec)
		for _, line := range r.lines(ds) {
			fmt.Fprintf(w, "  %s\n", line)
		}
	}
}

// lines joins the one-sided leaves of a context into one line each.
func (r *Result) lines(ds []Delta) []string {
	var out []string
	type key struct{ context, kind string }
	joined := map[key][]string{}
	var order []key
	for _, d := range ds {
		c, item, _ := words(d.Path)
		leaf := r.A.fs[d.Path] != nil && !r.A.fs[d.Path].Group || r.B.fs[d.Path] != nil && !r.B.fs[d.Path].Group
		if d.Kind == Changed || c == "" || !leaf || r.A.partial || r.B.partial {
			out = append(out, d.Text)
			continue
		}
		k := key{c, d.Kind}
		if _, ok := joined[k]; !ok {
			order = append(order, k)
			out = append(out, "") // its place
		}
		val := d.A
		if d.Kind == OnlyB {
			val = d.B
		}
		joined[k] = append(joined[k], strings.TrimSpace(item+" "+val))
	}
	// Fill the places kept for joined lines, in order.
	i := 0
	for j, line := range out {
		if line != "" || i >= len(order) {
			continue
		}
		k := order[i]
		i++
		side := label(r.A, r.B, true)
		if k.kind == OnlyB {
			side = label(r.B, r.A, false)
		}
		out[j] = fmt.Sprintf("%s: %s: %s", k.context, only(side), strings.Join(joined[k], ", "))
	}
	return out
}

// Keep keeps the differences keep says yes to.
func (r *Result) Keep(keep func(Delta) bool) {
	r.Differences = slices.DeleteFunc(r.Differences, func(d Delta) bool { return !keep(d) })
	r.Equal = len(r.Differences) == 0
}

// WriteJSON writes the result for --output json.
func (r *Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
