package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/host"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/verify"
)

type applyOptions struct {
	recipe      string
	dryRun      bool
	lockTimeout time.Duration
	failFast    bool
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
	cmd.Flags().BoolVar(&opts.failFast, "fail-fast", false, "stop at the first resource that fails (by default the others still apply, all but what needs it)")
	cmd.Flags().DurationVar(&opts.lockTimeout, "lock-timeout", 5*time.Minute, "how long to wait for another apply on this account to finish")
	addInstallFlags(cmd, &opts.install)
	return cmd
}

func runApply(ctx context.Context, g *globals, opts *applyOptions) error {
	if g.elsewhere() {
		return usage(errors.New("apply works on this host only; use plan --platform to see what another host needs"))
	}
	start := time.Now()
	h, r, err := g.open(opts.recipe, &opts.install)
	if err != nil {
		return err
	}
	lock, err := state.Acquire(ctx, h.Platform.Dirs.State, opts.lockTimeout, g.stderr)
	if err != nil {
		return err
	}
	defer func() { _ = lock.Unlock() }()
	// The state is read under the lock, once: another apply may have just
	// written it.
	p, err := h.Plan(r)
	if err != nil {
		return err
	}
	for _, name := range h.RemoveStaleTemps(p, start) {
		fmt.Fprintf(g.stderr, "envup: removed %s, a temporary file an interrupted apply left\n", plan.Tilde(name, h.Platform.Home))
	}

	outcomes := plan.Observe(ctx, h.Sys, p.Resources)
	if err := h.CheckLocked(outcomes); err != nil {
		return err
	}
	report := plan.NewReport(r.Path, h.Platform.String(), h.Platform.Home, outcomes)
	if report.Summary.Failed > 0 && opts.failFast {
		if g.output == "text" {
			report.WriteText(g.stdout, g.verbose)
		}
		return planExit(report.Summary, false)
	}
	progress := &textProgress{g: g, home: h.Platform.Home}
	if g.output == "text" {
		fmt.Fprintf(g.stdout, "envup apply %s on %s\n", r.Path, h.Platform)
		writeResources(g, report)
	}
	applyErr := plan.Apply(ctx, h.Sys, outcomes, progress, plan.ApplyOptions{FailFast: opts.failFast})
	report = plan.NewReport(r.Path, h.Platform.String(), h.Platform.Home, outcomes)
	failed := plan.IDs(outcomes, plan.Failed)

	var checkErr error
	if len(failed) == 0 {
		report.Checks, checkErr = runChecks(ctx, g, h.Sys, verify.Recipe(h.Platform, p.Checks))
	} else if len(p.Checks) > 0 {
		report.ChecksSkipped = "need every resource, and " + strings.Join(failed, ", ") + " failed"
	}
	changed := report.Summary.Create+report.Summary.Update > 0
	recordErr := h.Record(r.Path, outcomes, changed)
	if g.output == "json" {
		if err := writeJSON(g.stdout, report); err != nil {
			return err
		}
	} else {
		if changed || len(failed) > 0 {
			fmt.Fprintln(g.stdout)
			report.WriteSummary(g.stdout, g.verbose)
		}
		fmt.Fprintf(g.stdout, "\n%s\n", report.Summary.AppliedLine())
		if note := host.PathNote(h.Platform, g.getenv("PATH"), len(r.Interpreters)+len(r.Services) > 0); note != "" && applyErr == nil {
			fmt.Fprintln(g.stdout, note)
		}
	}
	if applyErr != nil {
		return failure(failed, len(outcomes), opts.failFast, g.output == "json")
	}
	if recordErr != nil {
		return recordErr
	}
	return checkErr
}

// failure is apply's error when resources failed: short, since each
// failure's full error was said as it happened (text) or is in the report
// (json), and the summary says it in one line.
func failure(failed []string, total int, failFast, json bool) error {
	where := "above"
	if json {
		where = "in the report"
	}
	if failFast {
		return fmt.Errorf("%s failed and --fail-fast stopped the apply there (see %s)", failed[0], where)
	}
	return fmt.Errorf("%d of %d resources failed: %s (see %s)", len(failed), total, strings.Join(failed, ", "), where)
}

// textProgress says what apply is doing, one line a change, a resource
// skipped for a failure, and one found as the recipe wants after an
// earlier change, on the command's writer, and a failure with its full
// error on stderr (never in JSON mode).
type textProgress struct {
	g    *globals
	home string
}

func (p *textProgress) Start(o *plan.Outcome) {
	if p.g.output == "text" {
		fmt.Fprintf(p.g.stdout, "applying %s ...\n", plan.Tilde(o.Resource.ID().String(), p.home))
	}
}

func (p *textProgress) Done(o *plan.Outcome) {
	if p.g.output != "text" {
		return
	}
	res := plan.NewReport("", "", p.home, []*plan.Outcome{o}).Resources[0]
	switch o.Status {
	case plan.Applied:
		fmt.Fprintf(p.g.stdout, "applied %s in %s\n", res.ID, o.Took.Round(time.Millisecond))
	case plan.Failed:
		took := ""
		if o.Took > 0 {
			took = " after " + o.Took.Round(time.Millisecond).String()
		}
		// On stderr, where a failure's words belong; the summary on
		// stdout says it in one line and points here.
		fmt.Fprintf(p.g.stderr, "failed %s%s: %s\n", res.ID, took, res.Error)
	case plan.Skipped:
		fmt.Fprintf(p.g.stdout, "skipped %s: %s\n", res.ID, res.Reason)
	case plan.Unchanged:
		fmt.Fprintf(p.g.stdout, "unchanged %s: %s\n", res.ID, res.Reason)
	}
}
