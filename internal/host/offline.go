package host

import (
	"context"
	"fmt"
	"strings"

	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/system"
)

// Unfetchable lists, for an offline run on this host, the files the plan
// would download (each resource's pinned files, as a lock reads them)
// that neither a mirror nor the download cache holds, by resource:
// "interpreter/python: NAME not in mirror M (nor in the cache)". A
// resource's downloads are ways to one install (an archive, the source
// tarballs a build takes, a font's file), so its files are listed only
// when none of them is held: then apply could not install it. Without
// --offline it is empty: the origin serves.
func (h *Host) Unfetchable(ctx context.Context, outcomes []*plan.Outcome) []string {
	if !h.opts.Offline || h.fetcher == nil {
		return nil
	}
	var out []string
	for _, o := range outcomes {
		pins := o.Resource.Optional().Pins
		if pins == nil || o.Status != plan.Pending {
			continue // nothing to download: as wanted already, skipped, or failed to observe
		}
		var missing []string
		held := false
		for _, a := range pins(system.NewReal(), o.Observed).Artifacts {
			if !strings.Contains(a.URL, "://") || strings.HasPrefix(a.URL, "file:") || a.Optional {
				continue // a file beside the recipe (a wheelhouse's): nothing to download; or one the resource does without
			}
			if held = h.fetcher.Holds(ctx, a.URL, a.SHA256); held {
				break
			}
			missing = append(missing, fmt.Sprintf("%s: %s %s", o.Resource.ID(), a.Name, h.notHeld()))
		}
		if !held {
			out = append(out, missing...)
		}
	}
	return out
}

// notHeld says where an offline run looked for a file in vain.
func (h *Host) notHeld() string {
	switch len(h.Mirrors) {
	case 0:
		return "is in no mirror (none is set) nor in the cache"
	case 1:
		return "not in mirror " + h.Mirrors[0] + " (nor in the cache)"
	}
	return "not in mirrors " + strings.Join(h.Mirrors, ", ") + " (nor in the cache)"
}
