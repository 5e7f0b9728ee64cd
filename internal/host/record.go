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
// when it changed something (what it changed, and the recipe's
// virtualenvs), and saves the state when that or the memo changed. Plan
// must have read the state.
func (h *Host) Record(recipePath string, outcomes []*plan.Outcome, changed bool) error {
	if changed {
		abs, _ := filepath.Abs(recipePath)
		h.State.Record(state.Apply{Recipe: abs, At: time.Now().UTC(), Changed: changedIDs(outcomes), Platform: h.Platform.String(), Virtualenvs: venvPaths(outcomes)})
	}
	if !changed && !h.Memo.Changed() {
		return nil
	}
	h.State.Memo = h.Memo.Values()
	return h.State.Save(h.Sys, h.Platform.Dirs.State)
}

// changedIDs are the resources the apply changed.
func changedIDs(outcomes []*plan.Outcome) []string {
	var ids []string
	for _, o := range outcomes {
		if o.Status == plan.Applied {
			ids = append(ids, o.Resource.ID().String())
		}
	}
	return ids
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
