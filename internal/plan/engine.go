// Package plan turns a recipe and a platform into ordered resources, and
// runs them: Observe in parallel, Diff, then Apply in order. The same path
// serves `plan` (Apply against system.DryRun, which records the steps) and
// `apply` (against system.Real), so a plan cannot drift from what apply does.
package plan

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

// Status is where a resource stands after observing (and applying) it.
type Status string

// The statuses a resource can have.
const (
	Unchanged Status = "unchanged" // already as the recipe wants
	Pending   Status = "pending"   // changes to make (plan)
	Applied   Status = "applied"   // changes made (apply)
	Skipped   Status = "skipped"   // nothing this host or this envup can do; Reason says why
	Failed    Status = "failed"    // Err says why
)

// Outcome is one resource's observation, differences and result.
type Outcome struct {
	Resource install.Resource
	Observed install.Observed
	Changes  []install.Change
	Steps    []system.Step // what Apply does (plan) or did (apply, when recorded)
	Status   Status
	Reason   string // for Skipped
	Err      error  // for Failed
	Took     time.Duration
	// After, for a resource Apply found as the recipe wants when it
	// observed it again, are the resources applied before: what made its
	// want met (python 3.11.2, existing, appeared after packages/apt).
	After []install.ID
}

// Skipper is a resource that knows, before observing, that it has nothing
// to do here (a package group with no names for this host's managers, a
// section this envup cannot install yet). Build returns such resources so
// the plan says so instead of staying silent.
type Skipper interface {
	Skip() string // empty: not skipped
}

// Observe observes every resource in parallel and diffs each. The result
// keeps the resources' order.
func Observe(ctx context.Context, sys system.System, resources []install.Resource) []*Outcome {
	out := make([]*Outcome, len(resources))
	sem := make(chan struct{}, 2*runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, r := range resources {
		out[i] = &Outcome{Resource: r}
		if s, ok := install.As[Skipper](r); ok {
			if why := s.Skip(); why != "" {
				out[i].Status, out[i].Reason = Skipped, why
				continue
			}
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(o *Outcome) {
			defer func() { <-sem; wg.Done() }()
			o.observe(ctx, sys)
		}(out[i])
	}
	wg.Wait()
	return out
}

func (o *Outcome) observe(ctx context.Context, sys system.System) {
	obs, err := o.Resource.Observe(ctx, sys)
	if err != nil {
		o.Status, o.Err = Failed, fmt.Errorf("%s: observe: %w", o.Resource.ID(), err)
		return
	}
	o.Observed, o.Err, o.Reason = obs, nil, ""
	if nothing := o.Resource.Optional().Nothing; nothing != nil {
		if why := nothing(obs); why != "" {
			o.Status, o.Reason = Skipped, why
			return
		}
	}
	o.Changes = o.Resource.Diff(obs)
	o.Status = Unchanged
	if len(o.Changes) > 0 {
		o.Status = Pending
	}
}

// Preview runs Apply for every pending resource against a DryRun over sys,
// in order, and keeps the steps each would take. One DryRun serves them
// all, so a later resource sees what an earlier one "wrote".
func Preview(ctx context.Context, sys system.System, outcomes []*Outcome) error {
	dry := system.NewDryRun(sys)
	var errs []error
	for _, o := range outcomes {
		if o.Status != Pending {
			continue
		}
		before := len(dry.Steps())
		if err := o.Resource.Apply(ctx, dry, o.Observed); err != nil {
			o.Status, o.Err = Failed, fmt.Errorf("%s: %w", o.Resource.ID(), err)
			errs = append(errs, o.Err)
			continue
		}
		o.Steps = dry.Steps()[before:]
	}
	return errors.Join(errs...)
}

// Progress hears about each resource apply makes a change to (Start, then
// Done), and about each whose outcome apply decides without changing it
// (Done alone): one that failed to observe, one skipped for a need that
// failed, one found as the recipe wants after an earlier change.
type Progress interface {
	Start(o *Outcome)
	Done(o *Outcome)
}

// ApplyOptions say how Apply goes on.
type ApplyOptions struct {
	// FailFast stops at the first failure (envup before 0.15, and CI that
	// wants the first error alone): what came before stays applied, and
	// the resources after it are skipped.
	FailFast bool
}

// Apply makes the pending changes, in order, as a graph: a resource that
// fails marks what needs it (install.Needer), and what needs those, as
// skipped ("needs virtualenv/lab, which failed"); everything else still
// applies. Once any resource has changed the host, the resources after it
// observe again first, since what they depend on (an interpreter, a
// package) may now be there; one found as the recipe wants then says what
// was applied before it (After). While the resources apply, the files
// they pin are brought into the download cache in the background (warm).
// The error joins every failure's.
func Apply(ctx context.Context, sys system.System, outcomes []*Outcome, progress Progress, opts ApplyOptions) error {
	stop := warm(ctx, sys, outcomes)
	defer stop()
	var applied []install.ID
	blocked := map[install.ID]string{} // failed, or skipped for a failure: how its dependents say why
	var errs []error
	for i, o := range outcomes {
		id := o.Resource.ID()
		if ctx.Err() != nil {
			// Interrupted (Ctrl-C, SIGTERM): nothing more is begun.
			notAttempted(outcomes[i:], "not attempted: the apply was interrupted")
			break
		}
		if o.Status == Skipped {
			continue
		}
		if why := needsBlocked(o.Resource, blocked); why != "" {
			o.Status, o.Reason = Skipped, why
			blocked[id] = why
			progress.Done(o)
			continue
		}
		if len(applied) > 0 {
			was := o.Status
			o.observe(ctx, sys)
			if was != Unchanged && o.Status == Unchanged {
				o.After = slices.Clone(applied)
				progress.Done(o)
			}
		}
		switch o.Status {
		case Pending:
			progress.Start(o)
			start := time.Now()
			err := o.Resource.Apply(ctx, sys, o.Observed)
			o.Took = time.Since(start)
			if err != nil {
				o.Status, o.Err = Failed, fmt.Errorf("%s: %w", id, err)
			} else {
				o.Status = Applied
				applied = append(applied, id)
			}
			progress.Done(o)
		case Failed: // observing it failed
			progress.Done(o)
		}
		if o.Status != Failed {
			continue
		}
		blocked[id] = "failed"
		errs = append(errs, o.Err)
		if opts.FailFast {
			notAttempted(outcomes[i+1:], "not attempted: "+id.String()+" failed first (--fail-fast)")
			break
		}
	}
	if err := ctx.Err(); err != nil { // interrupted: the error says so
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// needsBlocked says why r cannot apply: it needs a resource that failed,
// or one skipped for a failure; "" when nothing it needs is blocked.
func needsBlocked(r install.Resource, blocked map[install.ID]string) string {
	n, ok := install.As[install.Needer](r)
	if !ok {
		return ""
	}
	for _, need := range n.Needs() {
		if why, ok := blocked[need]; ok {
			return "needs " + need.String() + ", which " + why
		}
	}
	return ""
}

// notAttempted marks what --fail-fast left pending as skipped.
func notAttempted(rest []*Outcome, why string) {
	for _, o := range rest {
		if o.Status == Pending || o.Status == Failed {
			o.Status, o.Reason, o.Err = Skipped, why, nil
		}
	}
}

// IDs are the resources whose outcome has status s, in order.
func IDs(outcomes []*Outcome, s Status) []string {
	var ids []string
	for _, o := range outcomes {
		if o.Status == s {
			ids = append(ids, o.Resource.ID().String())
		}
	}
	return ids
}

// Counts sums outcomes by what they mean for the user.
type Counts struct {
	Create    int `json:"create"`
	Update    int `json:"update"`
	Unchanged int `json:"unchanged"`
	Skipped   int `json:"skipped"`
	Failed    int `json:"failed"`
}

// Count tallies the outcomes: a resource whose changes are all creations
// counts as created, one with any update as changed.
func Count(outcomes []*Outcome) Counts {
	var c Counts
	for _, o := range outcomes {
		switch o.Status {
		case Unchanged:
			c.Unchanged++
		case Skipped:
			c.Skipped++
		case Failed:
			c.Failed++
		case Pending, Applied:
			if creates(o.Changes) {
				c.Create++
			} else {
				c.Update++
			}
		}
	}
	return c
}

func creates(changes []install.Change) bool {
	for _, ch := range changes {
		if ch.Action != install.Create {
			return false
		}
	}
	return true
}
