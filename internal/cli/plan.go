package cli

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/host"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/system"
)

type planOptions struct {
	recipe           string
	detailedExitcode bool
	install          installFlags
}

func newPlanCmd(g *globals) *cobra.Command {
	opts := &planOptions{}
	cmd := &cobra.Command{
		Use:   "plan RECIPE",
		Short: "Show what apply would change on this host, and why",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.recipe = args[0]
			return runPlan(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.detailedExitcode, "detailed-exitcode", false, "exit 0 when nothing would change, 2 when changes are pending, 1 on error")
	addInstallFlags(cmd, &opts.install)
	return cmd
}

func runPlan(ctx context.Context, g *globals, opts *planOptions) error {
	h, r, p, err := g.load(opts.recipe, &opts.install)
	if err != nil {
		return err
	}
	outcomes := plan.Observe(ctx, h.Sys, p.Resources)
	if err := h.CheckLocked(outcomes); err != nil {
		return err
	}
	// The preview's own failures are on the outcomes, shown in the report.
	_ = plan.Preview(ctx, h.Sys, outcomes)
	report := plan.NewReport(r.Path, h.Platform.String(), h.Platform.Home, outcomes)
	report.Checks = checksToRun(p)
	report.Unfetchable = h.Unfetchable(ctx, outcomes)
	if g.output == "json" {
		if err := g.emit("plan", report); err != nil {
			return err
		}
	} else {
		writePlanText(g, report, h)
	}
	if n := len(report.Unfetchable); n > 0 {
		return fmt.Errorf("offline: no mirror holds %d of the files the plan would download (see above)", n)
	}
	return planExit(report.Summary, opts.detailedExitcode)
}

func writePlanText(g *globals, report plan.Report, h *host.Host) {
	fmt.Fprintf(g.stdout, "envup plan %s for %s\n", report.Recipe, report.Platform)
	writeResources(g, report)
	if len(report.Unfetchable) > 0 {
		fmt.Fprintln(g.stdout)
		for _, line := range report.Unfetchable {
			fmt.Fprintf(g.stdout, "! %s\n", line)
		}
	}
	if len(report.Checks) > 0 {
		names := make([]string, len(report.Checks))
		for i, c := range report.Checks {
			names[i] = c.Name
		}
		fmt.Fprintf(g.stdout, "\nchecks after apply: %s\n", strings.Join(names, "; "))
	}
	fmt.Fprintf(g.stdout, "\n%s\n", report.Summary.Line())
	if h.Platform.Foreign {
		fmt.Fprintf(g.stdout, "(planned for %s, which this machine cannot look at: everything is shown as new)\n", h.Platform)
	}
}

// planExit picks the exit code: failures are 1; with --detailed-exitcode,
// pending changes are 2.
func planExit(c plan.Counts, detailed bool) error {
	if c.Failed > 0 {
		what := "resources"
		if c.Failed == 1 {
			what = "resource"
		}
		return fmt.Errorf("%d %s could not be planned (see above)", c.Failed, what)
	}
	if detailed && c.Create+c.Update > 0 {
		return errDiffers
	}
	return nil
}

func checksToRun(p *plan.Plan) []plan.CheckJS {
	var out []plan.CheckJS
	for _, c := range p.Checks {
		out = append(out, plan.CheckJS{Name: c.Name, Run: system.Quote(c.Run)})
	}
	return out
}

// writeResources prints the report's resource lines after a blank line,
// or nothing when no line is worth showing.
func writeResources(g *globals, report plan.Report) {
	var buf bytes.Buffer
	report.WriteText(&buf, g.verbose)
	if buf.Len() > 0 {
		fmt.Fprintf(g.stdout, "\n%s", buf.Bytes())
	}
}
