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
	o.Observed = obs
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

// Progress hears about each resource apply makes a change to.
type Progress interface {
	Start(o *Outcome)
	Done(o *Outcome)
}

// Apply makes the pending changes, in order. Once any resource has changed
// the host, the resources after it observe again first, since what they
// depend on (an interpreter, a package) may now be there. It stops at the
// first failure: what came before stays applied, and the next apply
// converges from there.
func Apply(ctx context.Context, sys system.System, outcomes []*Outcome, progress Progress) error {
	changed := false
	for _, o := range outcomes {
		if o.Status == Skipped {
			continue
		}
		if changed {
			o.observe(ctx, sys)
		}
		if o.Status == Failed {
			return o.Err
		}
		if o.Status != Pending {
			continue
		}
		progress.Start(o)
		start := time.Now()
		err := o.Resource.Apply(ctx, sys, o.Observed)
		o.Took = time.Since(start)
		if err != nil {
			o.Status, o.Err = Failed, fmt.Errorf("%s: %w", o.Resource.ID(), err)
			progress.Done(o)
			return o.Err
		}
		o.Status = Applied
		changed = true
		progress.Done(o)
	}
	return nil
}

// Counts sums outcomes by what they mean for the user.
type Counts struct {
	Create, Update, Unchanged, Skipped, Failed int
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
