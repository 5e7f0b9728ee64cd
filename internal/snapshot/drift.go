package snapshot

import (
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/kinds"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/recipe"
)

// Section is the diff section a resource's ID falls in, as its kind
// registers it ("" for a kind a snapshot does not record).
func Section(id install.ID) string {
	k, _ := kinds.Named(id.Kind)
	return k.Section()
}

// Drift is how this machine, here, differs from what r wants on p, in
// the sections named only: `envup check` shows it for the kinds of
// resource its plan finds not yet as the recipe wants (a snapshot lists
// only the OS packages installed on purpose, so a package pulled in as a
// dependency would otherwise read as missing).
func Drift(here *Snapshot, r *recipe.Recipe, p detect.Platform, in map[string]bool) (*Result, error) {
	want, err := RecipeSide(r, p)
	if err != nil {
		return nil, err
	}
	res, err := Diff(SnapshotSide("here", "here", here), want, nil)
	if err != nil {
		return nil, err
	}
	res.Keep(func(d Delta) bool {
		section, _, _ := strings.Cut(d.Path, "/")
		return in[section]
	})
	return res, nil
}

// Pending is what check's plan found not yet as the recipe wants: the
// snapshot sections of the kinds a snapshot records, and for a kind it
// does not (files, the PATH) the plan's own words, so drift lists all the
// plan does.
type Pending struct {
	Sections map[string]bool
	kinds    []string            // the kinds without a section, in the plan's order
	planned  map[string][]string // by kind: "name subject: why"
}

// PendingIn reads Pending off a plan's outcomes; home is written ~.
func PendingIn(outcomes []*plan.Outcome, home string) Pending {
	p := Pending{Sections: map[string]bool{}, planned: map[string][]string{}}
	for _, o := range outcomes {
		if o.Status == plan.Unchanged || o.Status == plan.Skipped {
			continue
		}
		id := o.Resource.ID()
		if sec := Section(id); sec != "" {
			p.Sections[sec] = true
			continue
		}
		if p.planned[id.Kind] == nil {
			p.kinds = append(p.kinds, id.Kind)
		}
		for _, c := range o.Changes {
			line := id.Name
			if c.Subject != "" && c.Subject != id.Name {
				line += " " + c.Subject
			}
			p.planned[id.Kind] = append(p.planned[id.Kind], plan.Tilde(line+": "+c.Why, home))
		}
	}
	return p
}

// Text is the drift as check shows it, indented: res's sections (nil or
// equal: none), then each kind said from the plan; "" when there is none.
func (p Pending) Text(res *Result) string {
	var buf strings.Builder
	if res != nil && !res.Equal {
		res.WriteSections(&buf)
	}
	for _, kind := range p.kinds {
		if buf.Len() > 0 {
			buf.WriteString("\n")
		}
		buf.WriteString(kind + "s (from the plan)\n")
		for _, line := range p.planned[kind] {
			buf.WriteString("  " + line + "\n")
		}
	}
	var out strings.Builder
	for _, line := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n") {
		if line != "" {
			out.WriteString("  " + line)
		}
		out.WriteString("\n")
	}
	if buf.Len() == 0 {
		return ""
	}
	return out.String()
}
