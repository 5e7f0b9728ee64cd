package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/host"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/verify"
)

type applyOptions struct {
	recipe      string
	dryRun      bool
	lockTimeout time.Duration
	failFast    bool
	report      string // --report URL: tell the lab the result
	token       string
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
			if opts.dryRun && opts.report != "" {
				return usagef("--report sends what an apply did, and --dry-run does nothing: envup report URL RECIPE tells the lab how this seat stands")
			}
			if opts.dryRun {
				return runPlan(cmd.Context(), g, &planOptions{recipe: opts.recipe, install: opts.install})
			}
			return runApply(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "show what would change and change nothing (the same as plan)")
	cmd.Flags().BoolVar(&opts.failFast, "fail-fast", false, "stop at the first resource that fails (by default the others still apply, all but what needs it)")
	cmd.Flags().DurationVar(&opts.lockTimeout, "lock-timeout", 5*time.Minute, "how long to wait for another apply on this account to finish")
	cmd.Flags().StringVar(&opts.report, "report", "", "then tell the lab at this `URL` (envup serve --lab) how this seat stands; a report that cannot be sent is kept and sent next time, never failing the apply")
	addTokenFlag(cmd, &opts.token)
	addInstallFlags(cmd, &opts.install)
	return cmd
}

func runApply(ctx context.Context, g *globals, opts *applyOptions) error {
	if g.elsewhere() {
		return usage(errors.New("apply works on this host only; use plan --platform to see what another host needs"))
	}
	token := ""
	if opts.report != "" {
		var err error
		if token, err = g.labToken("--report ", opts.report, opts.token); err != nil {
			return err
		}
	}
	start := time.Now()
	h, r, err := g.open(opts.recipe, &opts.install)
	if err != nil {
		return err
	}
	lock, err := state.Acquire(ctx, h.Platform.Dirs.State, opts.lockTimeout, g.info)
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
		tellLab(ctx, g, opts, token, h, r, report)
		if g.output == "json" {
			if err := g.emit("apply", report); err != nil {
				return err
			}
		} else {
			report.WriteText(g.stdout, g.verbose)
		}
		return planExit(report.Summary, false)
	}
	var progress plan.Progress = plan.NoProgress{}
	switch {
	case g.output == "text" && g.quiet: // failures only, then the summary
		progress = &plan.TextProgress{Out: io.Discard, Err: g.stderr, Home: h.Platform.Home}
	case g.output == "text":
		progress = &plan.TextProgress{Out: g.stdout, Err: g.stderr, Home: h.Platform.Home}
		fmt.Fprintf(g.stdout, "envup apply %s on %s\n", r.Path, h.Platform)
		writeResources(g, report)
	}
	applyErr := plan.Apply(ctx, h.Sys, outcomes, progress, plan.ApplyOptions{FailFast: opts.failFast})
	report = plan.NewReport(r.Path, h.Platform.String(), h.Platform.Home, outcomes)
	failed := plan.IDs(outcomes, plan.Failed)

	var checkErr error
	switch {
	case len(p.Checks) == 0:
	case ctx.Err() != nil:
		report.ChecksSkipped = "the apply was interrupted"
	case len(failed) > 0:
		report.ChecksSkipped = "need every resource, and " + strings.Join(failed, ", ") + " failed"
	default:
		report.Checks, checkErr = runChecks(ctx, g, h.Sys, verify.Recipe(h.Platform, p.Checks))
	}
	changed := report.Summary.Create+report.Summary.Update > 0
	recordErr := h.Record(r.Path, outcomes, changed)
	tellLab(ctx, g, opts, token, h, r, report)
	if g.output == "json" {
		if err := g.emit("apply", report); err != nil {
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
		return plan.Failure(applyErr, failed, len(outcomes), opts.failFast, g.output == "json")
	}
	if recordErr != nil {
		return recordErr
	}
	return checkErr
}

// tellLab sends what apply found to the lab of --report, if given. A
// report that cannot be sent is said, and kept to send next time: it
// never fails the apply.
func tellLab(ctx context.Context, g *globals, opts *applyOptions, token string, h *host.Host, r *recipe.Recipe, report plan.Report) {
	if opts.report == "" || ctx.Err() != nil {
		return
	}
	sent, err := sendReport(ctx, g, "apply", opts.report, token, h, r, report)
	if err != nil {
		fmt.Fprintf(g.stderr, "envup: warning: %v\n", err)
		return
	}
	writeSent(g, opts.report, sent)
}
