package recipe

import (
	"strings"

	"github.com/agnivade/levenshtein"
)

// suggest returns the candidate nearest to word, or "" when none is near
// enough to be a likely typo.
func suggest(word string, candidates []string) string {
	w := strings.ToLower(word)
	limit := 2
	switch {
	case len(w) <= 3:
		limit = 1
	case len(w) >= 12:
		limit = len(w) / 4
	}
	best, bestD := "", limit+1
	for _, c := range candidates {
		d := levenshtein.ComputeDistance(w, strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// hint is the parenthesised end of an "unknown" message: the nearest
// candidate, or the whole list when it is short, or nothing.
func hint(word string, candidates []string, listMax int) string {
	if s := suggest(word, candidates); s != "" {
		return " (did you mean " + s + "?)"
	}
	if len(candidates) > 0 && len(candidates) <= listMax {
		return " (one of " + strings.Join(candidates, ", ") + ")"
	}
	return ""
}
