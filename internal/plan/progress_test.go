package plan

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// An interrupted apply says so, with or without --fail-fast and whether
// or not a resource failed (none may have: the signal came between two);
// failures say which.
func TestFailure(t *testing.T) {
	t.Parallel()
	interrupted := errors.Join(errors.New("packages/apt: signal: killed"), context.Canceled)
	for _, tt := range []struct {
		name     string
		err      error
		failed   []string
		failFast bool
		want     string
	}{
		{"interrupted between resources, fail-fast", context.Canceled, nil, true, "the apply was interrupted"},
		{"interrupted during one", interrupted, []string{"packages/apt"}, false, "the apply was interrupted"},
		{"failures", errors.New("x"), []string{"virtualenv/lab", "font/a"}, false, "2 of 5 resources failed: virtualenv/lab, font/a (see above)"},
		{"fail-fast", errors.New("x"), []string{"virtualenv/lab"}, true, "virtualenv/lab failed and --fail-fast stopped the apply there (see above)"},
	} {
		got := Failure(tt.err, tt.failed, 5, tt.failFast, false)
		if got == nil || !strings.HasPrefix(got.Error(), tt.want) {
			t.Errorf("%s: %v, want %q…", tt.name, got, tt.want)
		}
	}
}
