package plan

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

// Report is a plan or apply result as `--output json` prints it.
type Report struct {
	Recipe    string       `json:"recipe"`
	Platform  string       `json:"platform"`
	Resources []ResourceJS `json:"resources"`
	Checks    []CheckJS    `json:"checks,omitempty"`
	// ChecksSkipped says why an apply did not run the checks: they need
	// every resource, and one failed.
	ChecksSkipped string `json:"checks_skipped,omitempty"`
	Summary       Counts `json:"summary"`
	// Unfetchable are the files an offline plan would download that no
	// mirror (nor the cache) holds, each "ID: NAME not in mirror M …".
	Unfetchable []string `json:"unfetchable,omitempty"`
}

// ResourceJS is one resource in a Report.
type ResourceJS struct {
	ID      string        `json:"id"`
	Status  Status        `json:"status"`
	Reason  string        `json:"reason,omitempty"`
	Error   string        `json:"error,omitempty"`
	Changes []ChangeJS    `json:"changes,omitempty"`
	Steps   []system.Step `json:"steps,omitempty"`
	// TookMS is how long applying it took, in milliseconds (to the
	// microsecond); absent when it was not applied.
	TookMS float64 `json:"took_ms,omitempty"`
	// After are the resources applied before this one appeared as the
	// recipe wants (Outcome.After).
	After  []string         `json:"appeared_after,omitempty"`
	change []install.Change `json:"-"`
	brief  string           // Error in one line, for the summary
	took   time.Duration
}

// ChangeJS is one change in a Report.
type ChangeJS struct {
	Action  string `json:"action"`
	Subject string `json:"subject"`
	Why     string `json:"why"`
}

// CheckJS is one check in a Report: to run (plan) or run (apply, check).
type CheckJS struct {
	Name   string `json:"name"`
	Run    string `json:"run"`
	Passed *bool  `json:"passed,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// NewReport builds the JSON form of outcomes. home is shown as ~.
func NewReport(recipePath, platform, home string, outcomes []*Outcome) Report {
	r := Report{Recipe: recipePath, Platform: platform, Summary: Count(outcomes)}
	for _, o := range outcomes {
		js := ResourceJS{ID: Tilde(o.Resource.ID().String(), home), Status: o.Status, Reason: o.Reason, change: o.Changes}
		if describe := o.Resource.Optional().Describe; describe != nil && o.Status == Unchanged {
			js.Reason = Tilde(describe(o.Observed), home)
		}
		for _, id := range o.After {
			js.After = append(js.After, Tilde(id.String(), home))
		}
		if len(js.After) > 0 && o.Status == Unchanged {
			js.Reason = appeared(js.Reason, js.After)
		}
		if o.Err != nil {
			// The line already names the resource.
			js.Error = Tilde(strings.TrimPrefix(o.Err.Error(), o.Resource.ID().String()+": "), home)
			js.brief = Tilde(Brief(o.Err, o.Resource.ID()), home)
		}
		for _, ch := range o.Changes {
			js.Changes = append(js.Changes, ChangeJS{Action: ch.Action.String(), Subject: Tilde(ch.Subject, home), Why: ch.Why})
		}
		for _, st := range o.Steps {
			st.Target, st.Detail = Tilde(st.Target, home), Tilde(st.Detail, home)
			js.Steps = append(js.Steps, st)
		}
		if o.Took > 0 {
			js.took = o.Took
			js.TookMS = float64(o.Took.Round(time.Microsecond)) / float64(time.Millisecond)
		}
		r.Resources = append(r.Resources, js)
	}
	return r
}

// Tilde shows paths under home as ~/... in a plan's text (detect.Path's
// Tilde: the home folder where it starts a path, written with either
// separator).
func Tilde(s, home string) string { return detect.PathOn("windows", home).Tilde(s) }

// WriteText prints the report the way terraform plan does: one line a
// resource with a mark (+ create, ~ change, = unchanged, - skipped,
// ! failed) and why; with verbose, the exact steps under each; unchanged
// resources are listed only when verbose.
func (r Report) WriteText(w io.Writer, verbose bool) {
	width := 0
	for _, res := range r.Resources {
		width = max(width, len(res.ID))
	}
	for _, res := range r.Resources {
		mark, note := "=", "unchanged"
		switch res.Status {
		case Pending, Applied:
			mark = install.Create.Symbol()
			if !creates(res.change) {
				mark = install.Update.Symbol()
			}
			note = summarize(res.ID, res.Changes)
		case Skipped:
			mark, note = "-", "skipped: "+res.Reason
		case Failed:
			mark, note = "!", res.Error
		case Unchanged:
			if !verbose {
				continue
			}
			if res.Reason != "" {
				note += ": " + res.Reason
			}
		}
		fmt.Fprintf(w, "%s %-*s  %s\n", mark, width, res.ID, note)
		if len(res.Changes) > 1 {
			for _, ch := range res.Changes {
				fmt.Fprintf(w, "    %s %s: %s\n", symbol(ch.Action), ch.Subject, ch.Why)
			}
		}
		if verbose {
			for _, st := range res.Steps {
				fmt.Fprintf(w, "      > %s\n", st)
			}
		}
	}
}

func symbol(action string) string {
	if action == install.Update.String() {
		return install.Update.Symbol()
	}
	return install.Create.Symbol()
}

// summarize says a resource's changes in one line: the only one in full
// (without its subject when the ID already names it), or how many and of what.
func summarize(id string, changes []ChangeJS) string {
	switch len(changes) {
	case 0:
		return ""
	case 1:
		if install.ParseID(id).Name == changes[0].Subject {
			return changes[0].Why
		}
		return changes[0].Subject + ": " + changes[0].Why
	}
	subjects := make([]string, len(changes))
	for i, ch := range changes {
		subjects[i] = ch.Subject
	}
	return fmt.Sprintf("%d changes: %s", len(changes), strings.Join(subjects, ", "))
}

// Line is the closing line of a plan.
func (c Counts) Line() string {
	if c.Create+c.Update == 0 {
		return fmt.Sprintf("No changes: %s.", c.rest(true))
	}
	return fmt.Sprintf("Plan: %d to add, %d to change, %s.", c.Create, c.Update, c.rest(false))
}

// AppliedLine is the closing line of an apply.
func (c Counts) AppliedLine() string {
	if c.Failed > 0 {
		return fmt.Sprintf("Apply incomplete: %d added, %d changed, %s.", c.Create, c.Update, c.rest(false))
	}
	if c.Create+c.Update == 0 {
		return fmt.Sprintf("Nothing to change: %s.", c.rest(true))
	}
	return fmt.Sprintf("Apply complete: %d added, %d changed, %s.", c.Create, c.Update, c.rest(false))
}

func (c Counts) rest(nothingElse bool) string {
	s := fmt.Sprintf("%d unchanged", c.Unchanged)
	if nothingElse && c.Skipped+c.Failed == 0 {
		s = fmt.Sprintf("%d %s already as the recipe wants", c.Unchanged, plural(c.Unchanged, "resource"))
	}
	if c.Skipped > 0 {
		s += fmt.Sprintf(", %d skipped", c.Skipped)
	}
	if c.Failed > 0 {
		s += fmt.Sprintf(", %d failed", c.Failed)
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
