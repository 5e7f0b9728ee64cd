package plan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// NoProgress says nothing (apply's JSON output).
type NoProgress struct{}

func (NoProgress) Start(*Outcome) {}
func (NoProgress) Done(*Outcome)  {}

// TextProgress says what apply is doing as a person reads it: one line a
// change, a resource skipped for a failure, and one found as the recipe
// wants after an earlier change, on Out; a failure with its full error
// on Err, where a failure's words belong (the summary says it in one line
// and points there).
type TextProgress struct {
	Out, Err io.Writer
	Home     string // written ~
}

func (p *TextProgress) Start(o *Outcome) {
	fmt.Fprintf(p.Out, "applying %s ...\n", Tilde(o.Resource.ID().String(), p.Home))
}

func (p *TextProgress) Done(o *Outcome) {
	res := NewReport("", "", p.Home, []*Outcome{o}).Resources[0]
	switch o.Status {
	case Applied:
		fmt.Fprintf(p.Out, "applied %s in %s\n", res.ID, o.Took.Round(time.Millisecond))
	case Failed:
		took := ""
		if o.Took > 0 {
			took = " after " + o.Took.Round(time.Millisecond).String()
		}
		fmt.Fprintf(p.Err, "failed %s%s: %s\n", res.ID, took, res.Error)
	case Skipped:
		fmt.Fprintf(p.Out, "skipped %s: %s\n", res.ID, res.Reason)
	case Unchanged:
		fmt.Fprintf(p.Out, "unchanged %s: %s\n", res.ID, res.Reason)
	}
}

// Failure is apply's error when Apply returned err and the resources
// failed (IDs, of total): short, since each failure's full error was said
// as it happened (text) or is in the report (json), and the summary says
// it in one line. An interrupted apply says so, whatever failed.
func Failure(err error, failed []string, total int, failFast, json bool) error {
	where := "above"
	if json {
		where = "in the report"
	}
	switch {
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("the apply was interrupted; what it had not finished is left for the next apply (%w)", err)
	case len(failed) == 0:
		return err
	case failFast:
		return fmt.Errorf("%s failed and --fail-fast stopped the apply there (see %s)", failed[0], where)
	}
	return fmt.Errorf("%d of %d resources failed: %s (see %s)", len(failed), total, strings.Join(failed, ", "), where)
}
