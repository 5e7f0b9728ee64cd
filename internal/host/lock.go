package host

import (
	"fmt"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/lock"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// readLock pins the recipe to this host's entry in its lock. A lock made
// for an older recipe is said and left aside; with Locked, a missing,
// stale or foreign lock is an error.
func readLock(r *recipe.Recipe, p detect.Platform, opts Options) (*lock.Platform, error) {
	lp, why, found, err := lock.Fresh(r, p)
	switch {
	case err != nil:
		return nil, err
	case why != "" && opts.Locked:
		return nil, fmt.Errorf("--locked: %s", why)
	case why != "" && found:
		fmt.Fprintf(opts.Log, "envup: %s; resolving afresh\n", why)
	}
	return lp, nil
}

// CheckLocked refuses, with Locked, a plan that would fetch what the lock
// does not name.
func (h *Host) CheckLocked(outcomes []*plan.Outcome) error {
	if !h.opts.Locked || h.Lock == nil {
		return nil
	}
	if lacks := h.Lock.Lacks(outcomes, system.NewReal()); len(lacks) > 0 {
		return fmt.Errorf("--locked: the plan needs what the lock does not hold:\n  %s", strings.Join(lacks, "\n  "))
	}
	return nil
}
