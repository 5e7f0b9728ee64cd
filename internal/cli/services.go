package cli

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/host"
	"github.com/envup/envup/internal/install/service"
)

func newServicesCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "services [status|start|stop] [RECIPE]",
		Short: "Show, start or stop the recipe's services (RECIPE defaults to the last one applied)",
		Args:  cobra.RangeArgs(0, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			action, path := "status", ""
			if len(args) > 0 {
				action = args[0]
			}
			if len(args) > 1 {
				path = args[1]
			}
			switch action {
			case "status", "start", "stop":
			default:
				return usagef("want status, start or stop, got %q", action)
			}
			return runServices(cmd.Context(), g, action, path)
		},
	}
	return cmd
}

func runServices(ctx context.Context, g *globals, action, path string) error {
	if g.elsewhere() {
		return usage(errors.New("services works on this host only"))
	}
	if path == "" {
		p, err := g.detectPlatform()
		if err != nil {
			return err
		}
		if path, err = host.LastRecipe(p.Dirs.State); err != nil {
			if errors.Is(err, host.ErrNeverApplied) {
				err = usage(err)
			}
			return err
		}
	}
	h, _, pl, err := g.load(path, &installFlags{})
	if err != nil {
		return err
	}
	services, statuses, err := h.Control(ctx, pl.Resources, action)
	if err != nil {
		return err
	}
	if len(services) == 0 {
		return fmt.Errorf("%s has no services for %s", path, h.Platform)
	}
	if g.output == "json" {
		return g.emit("services", servicesJS{Action: action, Recipe: path, Platform: h.Platform.String(), Services: statuses})
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SERVICE\tVERSION\tPORT\tSTATE")
	for i, st := range statuses {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", services[i].ID(), orDash(st.Version), st.Port, statusText(st))
	}
	return tw.Flush()
}

// servicesJS is services' --output json document.
type servicesJS struct {
	Action   string           `json:"action"` // status, start or stop
	Recipe   string           `json:"recipe"`
	Platform string           `json:"platform"`
	Services []service.Status `json:"services"`
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// statusText says in a few words where a service stands.
func statusText(st service.Status) string {
	switch {
	case st.Path == "":
		return "not installed"
	case st.Running && st.Answering:
		return fmt.Sprintf("running (pid %d, %s), answers PING", st.PID, st.Manager)
	case st.Running:
		return fmt.Sprintf("running (pid %d, %s), does not answer PING; log %s", st.PID, st.Manager, st.Log)
	}
	return "stopped"
}
