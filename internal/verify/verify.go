// Package verify runs what `envup check` and `envup apply` prove after
// the plan: the recipe's own checks, and the resources that can show
// they work (an interpreter runs).
package verify

import (
	"context"
	"sync"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install/check"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Item is one thing to run and report: a recipe check, or a resource
// proving it works.
type Item struct {
	Name string
	Argv string // the command as this machine's shell writes it; "" for a resource
	Run  func(ctx context.Context, sys system.System) check.Result
}

// Recipe are the recipe's checks, run on host.
func Recipe(host detect.Platform, checks []*recipe.Check) []Item {
	out := make([]Item, len(checks))
	for i, c := range checks {
		out[i] = Item{Name: c.Name, Argv: system.Quote(c.Run), Run: func(ctx context.Context, sys system.System) check.Result {
			return check.Run(ctx, sys, host, c)
		}}
	}
	return out
}

// Resources are the health checks of the resources that can prove they
// work (an install.Verifier) and are as the recipe wants.
func Resources(outcomes []*plan.Outcome) []Item {
	var out []Item
	for _, o := range outcomes {
		verify := o.Resource.Optional().Verify
		if verify == nil || o.Status != plan.Unchanged {
			continue
		}
		obs := o.Observed
		out = append(out, Item{Name: o.Resource.ID().String() + " works", Run: func(ctx context.Context, sys system.System) check.Result {
			if err := verify(ctx, sys, obs); err != nil {
				return check.Result{Reason: err.Error()}
			}
			return check.Result{Passed: true}
		}})
	}
	return out
}

// Run runs the items and gives their results in order. Checks only read,
// so they run side by side: a no-op apply waits for the slowest check,
// not for the sum of them.
func Run(ctx context.Context, sys system.System, items []Item) []check.Result {
	results := make([]check.Result, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Go(func() { results[i] = it.Run(ctx, sys) })
	}
	wg.Wait()
	return results
}
