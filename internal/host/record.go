package host

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/venv"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// Record keeps an apply of the recipe at recipePath in the host's state
// when it changed something or something failed (what it changed, each
// resource's outcome, and the recipe's virtualenvs), and saves the state
// when that or the memo changed. Plan must have read the state.
func (h *Host) Record(recipePath string, outcomes []*plan.Outcome, changed bool) error {
	failed := len(plan.IDs(outcomes, plan.Failed)) > 0
	if changed || failed {
		abs, _ := filepath.Abs(recipePath)
		h.State.Record(state.Apply{
			Recipe: abs, At: time.Now().UTC(), Changed: plan.IDs(outcomes, plan.Applied), Platform: h.Platform.String(),
			Virtualenvs: venvPaths(outcomes), Outcomes: outcomeRecords(outcomes),
		})
	}
	if !changed && !failed && !h.Memo.Changed() {
		return nil
	}
	h.State.Memo = h.Memo.Values()
	return h.State.Save(h.Sys, h.Platform.Dirs.State)
}

// outcomeRecords are the outcomes as the state keeps them: a failure in
// one line (plan.Brief), what an unchanged one appeared after.
func outcomeRecords(outcomes []*plan.Outcome) []state.Outcome {
	out := make([]state.Outcome, len(outcomes))
	for i, o := range outcomes {
		rec := state.Outcome{ID: o.Resource.ID().String(), Status: string(o.Status), Reason: o.Reason}
		switch {
		case o.Err != nil:
			rec.Reason = plan.Brief(o.Err, o.Resource.ID())
		case len(o.After) > 0:
			after := make([]string, len(o.After))
			for j, id := range o.After {
				after[j] = id.String()
			}
			rec.Reason = "appeared after " + strings.Join(after, ", ")
		}
		out[i] = rec
	}
	return out
}

// venvPaths are the recipe's virtualenvs, key → path, for the state file.
func venvPaths(outcomes []*plan.Outcome) map[string]string {
	out := map[string]string{}
	for _, o := range outcomes {
		if v, ok := install.As[*venv.Venv](o.Resource); ok {
			out[v.ID().Name] = v.Path()
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// PathNote says how to put p's bin dir on the PATH when path (this
// shell's PATH) lacks it and the recipe puts programs there. On Windows
// apply has put it on the user's Path (path/bin): new terminals have it.
func PathNote(p detect.Platform, path string, programs bool) string {
	if !programs || p.Dirs.Bin == "" {
		return ""
	}
	for _, dir := range strings.Split(path, string(os.PathListSeparator)) {
		if a, b := filepath.Clean(dir), filepath.Clean(p.Dirs.Bin); a == b || p.OS == "windows" && strings.EqualFold(a, b) {
			return ""
		}
	}
	if p.OS == "windows" {
		return "envup's bin dir " + p.Dirs.Bin + " is on your user PATH now: open a new terminal to use its programs"
	}
	return "envup's bin dir " + plan.Tilde(p.Dirs.Bin, p.Home) + " is not on your PATH: add it with eval \"$(envup env)\" (in your shell's profile to keep it)"
}

// ErrNeverApplied is LastRecipe's error on an account with no apply yet.
var ErrNeverApplied = errors.New("no recipe given and none applied yet on this account")

// LastRecipe is the recipe of the most recent apply on this account, by
// the state in stateDir.
func LastRecipe(stateDir string) (string, error) {
	st, err := state.Load(system.NewReal(), stateDir)
	if err != nil {
		return "", err
	}
	if len(st.Applies) == 0 {
		return "", ErrNeverApplied
	}
	return st.Applies[len(st.Applies)-1].Recipe, nil
}
