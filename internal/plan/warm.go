package plan

import (
	"context"
	"strings"

	"github.com/envup/envup/internal/system"
)

// warm starts bringing the file each pending resource would download
// first (the first remote file its install.Pinner pins, on what it
// observed: an interpreter's or a service's later pins are the files of
// its fallback ways, fetched only if it falls back) into sys's download
// cache, when
// sys keeps one (system.Warmer: Real; a plan's DryRun does not), so a slow
// link is waited on once while local work proceeds. A resource that asks
// for a file warm is still bringing waits for that one file (the fetcher
// locks each digest); one warm could not bring, the resource fetches
// again itself, and its own error says why. A pinned file that is no URL
// (a wheelhouse beside the recipe) is already here. stop ends what is
// still under way (files only dependents of a failure wanted) and waits.
func warm(ctx context.Context, sys system.System, outcomes []*Outcome) (stop func()) {
	w, ok := sys.(system.Warmer)
	if !ok {
		return func() {}
	}
	var wants []system.Want
	seen := map[string]bool{}
	for _, o := range outcomes {
		pins := o.Resource.Optional().Pins
		if o.Status != Pending || pins == nil {
			continue
		}
		for _, a := range pins(sys, o.Observed).Artifacts {
			if !strings.Contains(a.URL, "://") || a.SHA256 == "" || a.Optional {
				continue
			}
			if !seen[a.SHA256] {
				seen[a.SHA256] = true
				wants = append(wants, system.Want{URL: a.URL, SHA256: a.SHA256, Name: a.Name, Size: a.Size})
			}
			break
		}
	}
	if len(wants) == 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		// A file that failed here is fetched again by the resource that
		// needs it, which says why it could not be had.
		_ = w.Warm(ctx, wants)
	}()
	return func() { cancel(); <-done }
}
