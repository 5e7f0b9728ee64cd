package plan

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

// briefMax is how long a failure's line in the summary may be.
const briefMax = 160

// WriteSummary prints how an apply ended, a line a resource, grouped in
// the registry's order within each group: applied (in
// how long), failed (its error in one line, pointing to the full one
// above when cut), skipped (why), and unchanged when it appeared after an
// earlier change (verbose: every unchanged one); then the checks, when
// they were skipped.
func (r Report) WriteSummary(w io.Writer, verbose bool) {
	type row struct{ word, id, note string }
	var rows []row
	n := map[Status]int{}
	for _, res := range r.Resources {
		n[res.Status]++
		switch res.Status {
		case Applied:
			note := ""
			if res.took > 0 {
				note = "in " + res.took.Round(time.Millisecond).String()
			}
			rows = append(rows, row{"applied", res.ID, note})
		case Failed:
			note := res.brief
			if note == "" {
				note = res.Error
			} else if note != res.Error {
				note += " (full error above)"
			}
			rows = append(rows, row{"failed", res.ID, note})
		case Skipped:
			rows = append(rows, row{"skipped", res.ID, res.Reason})
		case Unchanged:
			if verbose || len(res.After) > 0 {
				rows = append(rows, row{"unchanged", res.ID, res.Reason})
			}
		}
	}
	rank := map[string]int{"applied": 0, "unchanged": 1, "failed": 2, "skipped": 3}
	slices.SortStableFunc(rows, func(a, b row) int { return rank[a.word] - rank[b.word] })
	if r.ChecksSkipped != "" {
		rows = append(rows, row{"skipped", "checks", r.ChecksSkipped})
	}
	fmt.Fprintf(w, "Summary: %d applied, %d unchanged, %d failed, %d skipped\n", n[Applied], n[Unchanged], n[Failed], n[Skipped])
	width := 0
	for _, x := range rows {
		width = max(width, len(x.id))
	}
	for _, x := range rows {
		fmt.Fprintf(w, "  %-9s  %-*s  %s\n", x.word, width, x.id, x.note)
	}
}

// appeared is an unchanged resource's reason once it says what it
// appeared after: "python 3.11.2 at /usr/bin/python3.11 (system),
// appeared after packages/apt".
func appeared(reason string, after []string) string {
	note := "appeared after " + strings.Join(after, ", ")
	if reason == "" {
		return "existing, " + note
	}
	return reason + ", " + note
}

// Brief is a failure in one line for the summary: the resource's own
// words (without its ID) up to the command that failed, then the
// program, its exit status and the line of its output that says what went
// wrong (pip's "ERROR: …", apt's "E: …"), never a page of retry warnings;
// at most briefMax characters.
func Brief(err error, id install.ID) string {
	msg := strings.TrimPrefix(err.Error(), id.String()+": ")
	var ee *system.ExitError
	if errors.As(err, &ee) && ee.Stderr != "" {
		if k := strings.Index(msg, ee.Error()); k >= 0 {
			msg = fmt.Sprintf("%s%s: exit status %d: %s", msg[:k], program(ee.Argv), ee.ExitCode, ee.Telling())
		}
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if utf8.RuneCountInString(msg) > briefMax {
		msg = string([]rune(msg)[:briefMax-1]) + "…"
	}
	return msg
}

// program is the name of the program argv runs, past sudo and VAR=value.
func program(argv []string) string {
	for _, a := range argv {
		if a == "sudo" || strings.Contains(a, "=") {
			continue
		}
		return a[strings.LastIndexAny(a, `/\`)+1:]
	}
	return "command"
}
