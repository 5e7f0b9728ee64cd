package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/snapshot"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/verify"
)

type checkOptions struct {
	recipe           string
	detailedExitcode bool
	install          installFlags
}

func newCheckCmd(g *globals) *cobra.Command {
	opts := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check RECIPE",
		Short: "Say whether this host matches the recipe and run its checks; change nothing",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.recipe = args[0]
			return runCheck(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.detailedExitcode, "detailed-exitcode", false, "exit 0 when the host matches and every check passes, 2 when changes are pending, 1 on error or a failed check")
	addInstallFlags(cmd, &opts.install)
	return cmd
}

func runCheck(ctx context.Context, g *globals, opts *checkOptions) error {
	if g.elsewhere() {
		return usagef("check looks at this host only; use plan --platform to see what another host needs")
	}
	h, r, p, err := g.load(opts.recipe, &opts.install)
	if err != nil {
		return err
	}
	ro := system.NewReadOnly(h.Sys)
	outcomes := plan.Observe(ctx, ro, p.Resources)
	if err := h.CheckLocked(outcomes); err != nil {
		return err
	}
	report := plan.NewReport(r.Path, h.Platform.String(), h.Platform.Home, outcomes)
	if g.output == "text" {
		fmt.Fprintf(g.stdout, "envup check %s on %s\n", r.Path, h.Platform)
		writeResources(g, report)
		if err := writeDrift(ctx, g, r, h.Platform, h.State, h.Memo, outcomes); err != nil {
			return err
		}
	}
	var checkErr error
	report.Checks, checkErr = runChecks(ctx, g, ro, append(verify.Resources(outcomes), verify.Recipe(h.Platform, p.Checks)...))
	if g.output == "json" {
		if err := g.emit("check", report); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(g.stdout, "\n%s\n", report.Summary.Line())
	}
	if checkErr != nil {
		return checkErr
	}
	return planExit(report.Summary, opts.detailedExitcode)
}

// runChecks runs the checks and prints each result in text mode, in
// order. Checks only read, so they run side by side: a no-op apply waits
// for the slowest check, not for the sum of them. It returns an error
// when any failed.
func runChecks(ctx context.Context, g *globals, sys system.System, checks []verify.Item) ([]plan.CheckJS, error) {
	out, err := checkResults(ctx, sys, checks)
	if g.output != "text" || len(out) == 0 {
		return out, err
	}
	fmt.Fprintln(g.stdout, "\nchecks:")
	for _, c := range out {
		line := "  ok   " + c.Name
		if !*c.Passed {
			line = "  FAIL " + c.Name
			if c.Reason != "" {
				line += ": " + c.Reason
			}
		}
		fmt.Fprintln(g.stdout, line)
	}
	return out, err
}

// checkResults runs the checks side by side and returns their results,
// in order, and an error when any failed.
func checkResults(ctx context.Context, sys system.System, checks []verify.Item) ([]plan.CheckJS, error) {
	if len(checks) == 0 {
		return nil, nil
	}
	results := verify.Run(ctx, sys, checks)
	out := make([]plan.CheckJS, len(checks))
	failed := 0
	for i, c := range checks {
		res := results[i]
		out[i] = plan.CheckJS{Name: c.Name, Run: c.Argv, Passed: &res.Passed, Reason: res.Reason}
		if !res.Passed {
			failed++
		}
	}
	if failed > 0 {
		return out, fmt.Errorf("%d of %d checks failed", failed, len(checks))
	}
	return out, nil
}

// writeDrift prints how this host differs from the recipe in the words of
// `envup diff here RECIPE`, for what the plan finds not yet as the recipe
// wants (snapshot.Pending, snapshot.DriftText).
func writeDrift(ctx context.Context, g *globals, r *recipe.Recipe, p detect.Platform, st *state.State, memo *state.Memo, outcomes []*plan.Outcome) error {
	pending := snapshot.PendingIn(outcomes, p.Home)
	var res *snapshot.Result
	if len(pending.Sections) > 0 {
		here, _, err := g.snapshotHere(ctx, snapshotFlags{}, snapshot.RecipeVenvs(r), st, memo, false)
		if err != nil {
			return err
		}
		if res, err = snapshot.Drift(here, r, p, pending.Sections); err != nil {
			return err
		}
	}
	if text := pending.Text(res); text != "" {
		fmt.Fprintf(g.stdout, "\ndrift:\n%s", text)
	}
	return nil
}
