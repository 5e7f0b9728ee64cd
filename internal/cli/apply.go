package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/verify"
)

type applyOptions struct {
	recipe      string
	dryRun      bool
	lockTimeout time.Duration
	install     installFlags
}

func newApplyCmd(g *globals) *cobra.Command {
	opts := &applyOptions{}
	cmd := &cobra.Command{
		Use:   "apply RECIPE",
		Short: "Make this host match the recipe, changing only what differs",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.recipe = args[0]
			if opts.dryRun {
				return runPlan(cmd.Context(), g, &planOptions{recipe: opts.recipe, install: opts.install})
			}
			return runApply(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "show what would change and change nothing (the same as plan)")
	cmd.Flags().DurationVar(&opts.lockTimeout, "lock-timeout", 5*time.Minute, "how long to wait for another apply on this account to finish")
	addInstallFlags(cmd, &opts.install)
	return cmd
}

func runApply(ctx context.Context, g *globals, opts *applyOptions) error {
	if g.elsewhere() {
		return usage(errors.New("apply works on this host only; use plan --platform to see what another host needs"))
	}
	h, r, err := g.open(opts.recipe, &opts.install)
	if err != nil {
		return err
	}
	lock, err := state.Acquire(ctx, h.platform.Dirs.State, opts.lockTimeout, g.stderr)
	if err != nil {
		return err
	}
	defer func() { _ = lock.Unlock() }()
	// The state is read under the lock, once: another apply may have just
	// written it.
	p, err := g.build(h, r, &opts.install)
	if err != nil {
		return err
	}
	st := h.state

	outcomes := plan.Observe(ctx, h.sys, p.Resources)
	if err := checkLocked(h, &opts.install, outcomes); err != nil {
		return err
	}
	report := plan.NewReport(r.Path, h.platform.String(), h.platform.Home, outcomes)
	if report.Summary.Failed > 0 {
		if g.output == "text" {
			report.WriteText(g.stdout, g.verbose)
		}
		return planExit(report.Summary, false)
	}
	progress := &textProgress{g: g, home: h.platform.Home}
	if g.output == "text" {
		fmt.Fprintf(g.stdout, "envup apply %s on %s\n", r.Path, h.platform)
		writeResources(g, report)
	}
	applyErr := plan.Apply(ctx, h.sys, outcomes, progress)
	report = plan.NewReport(r.Path, h.platform.String(), h.platform.Home, outcomes)

	var checkErr error
	if applyErr == nil {
		report.Checks, checkErr = runChecks(ctx, g, h.sys, verify.Recipe(h.platform, p.Checks))
	}
	changed := report.Summary.Create+report.Summary.Update > 0
	if changed {
		recipePath, _ := filepath.Abs(r.Path)
		st.Record(state.Apply{Recipe: recipePath, At: time.Now().UTC(), Changed: changedIDs(outcomes), Platform: h.platform.String(), Virtualenvs: venvPaths(outcomes)})
	}
	if changed || h.memo.Changed() {
		st.Memo = h.memo.Values()
		if err := st.Save(h.sys, h.platform.Dirs.State); err != nil && applyErr == nil {
			applyErr = err
		}
	}
	if g.output == "json" {
		if err := writeJSON(g.stdout, report); err != nil {
			return err
		}
	} else if applyErr == nil {
		fmt.Fprintf(g.stdout, "\n%s\n", report.Summary.AppliedLine())
		if note := pathNote(g, h.platform, len(r.Interpreters)+len(r.Services) > 0); note != "" {
			fmt.Fprintln(g.stdout, note)
		}
	}
	if applyErr != nil {
		return applyErr
	}
	return checkErr
}

func changedIDs(outcomes []*plan.Outcome) []string {
	var ids []string
	for _, o := range outcomes {
		if o.Status == plan.Applied {
			ids = append(ids, o.Resource.ID())
		}
	}
	return ids
}

// textProgress says what apply is doing, one line a change, on the
// command's writer (never in JSON mode).
type textProgress struct {
	g    *globals
	home string
}

func (p *textProgress) Start(o *plan.Outcome) {
	if p.g.output == "text" {
		fmt.Fprintf(p.g.stdout, "applying %s ...\n", plan.Tilde(o.Resource.ID(), p.home))
	}
}

func (p *textProgress) Done(o *plan.Outcome) {
	if p.g.output != "text" || o.Err != nil {
		return
	}
	fmt.Fprintf(p.g.stdout, "applied %s in %s\n", plan.Tilde(o.Resource.ID(), p.home), o.Took.Round(time.Millisecond))
}

// venvPaths are the recipe's virtualenvs, key → path, for the state file.
func venvPaths(outcomes []*plan.Outcome) map[string]string {
	out := map[string]string{}
	for _, o := range outcomes {
		v, ok := o.Resource.(interface{ Path() string })
		if key, isVenv := strings.CutPrefix(o.Resource.ID(), "virtualenv/"); ok && isVenv {
			out[key] = v.Path()
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// pathNote says how to put the bin dir on the PATH when this shell's PATH
// lacks it and the recipe puts programs there. On Windows apply has put
// it on the user's Path (path/bin): new terminals have it.
func pathNote(g *globals, p detect.Platform, programs bool) string {
	if !programs || p.Dirs.Bin == "" {
		return ""
	}
	list := string(os.PathListSeparator)
	for _, dir := range strings.Split(g.getenv("PATH"), list) {
		if a, b := filepath.Clean(dir), filepath.Clean(p.Dirs.Bin); a == b || p.OS == "windows" && strings.EqualFold(a, b) {
			return ""
		}
	}
	if p.OS == "windows" {
		return "envup's bin dir " + p.Dirs.Bin + " is on your user PATH now: open a new terminal to use its programs"
	}
	return "envup's bin dir " + plan.Tilde(p.Dirs.Bin, p.Home) + " is not on your PATH: add it with eval \"$(envup env)\" (in your shell's profile to keep it)"
}
