package venv

import "github.com/envup/envup/internal/system"

// needed are the installed distributions the requirements need: the ones
// they name and, through each one's Requires-Dist (requires.txt for an
// egg) with the extras asked for, everything those depend on. exact
// removes only what is outside this set, so a recipe naming requests
// keeps urllib3 and certifi. A dependency line whose marker cannot be
// told is followed.
func needed(sys system.System, j joiner, have map[string]*Dist, reqs []*Requirement, env markerEnv) map[string]bool {
	type item struct {
		key    string
		extras []string
	}
	keep := map[string]bool{}
	done := map[string]map[string]bool{} // key → extras already followed ("" for the base set)
	var queue []item
	for _, r := range reqs {
		if r.Key != "" && r.applies(env) {
			queue = append(queue, item{r.Key, r.Extras})
		}
	}
	parsed := map[string][]*Requirement{}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		d := have[it.key]
		if d == nil {
			continue
		}
		keep[it.key] = true
		if done[it.key] == nil {
			done[it.key] = map[string]bool{}
		}
		deps, ok := parsed[it.key]
		if !ok {
			for _, line := range d.requires(sys, j) {
				if r, err := ParseRequirement(line, ""); err == nil && r.Key != "" {
					deps = append(deps, r)
				}
			}
			parsed[it.key] = deps
		}
		for _, extra := range append([]string{""}, it.extras...) {
			extra = Normalize(extra)
			if done[it.key][extra] {
				continue
			}
			done[it.key][extra] = true
			e := env.withExtra(extra)
			for _, dep := range deps {
				if dep.applies(e) {
					queue = append(queue, item{dep.Key, dep.Extras})
				}
			}
		}
	}
	return keep
}
