package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/install/venv"
)

type wheelsOptions struct {
	recipe string
	to     string
}

func newWheelsCmd(g *globals) *cobra.Command {
	opts := &wheelsOptions{}
	cmd := &cobra.Command{
		Use:   "wheels RECIPE --to DIR",
		Short: "Download the wheels of every virtualenv in the recipe into DIR (pip download), for a later apply --mirror DIR --offline",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.recipe = args[0]
			return runWheels(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.to, "to", "", "the wheelhouse folder to fill (created if missing)")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

func runWheels(ctx context.Context, g *globals, opts *wheelsOptions) error {
	if g.elsewhere() {
		return usagef("wheels runs pip on this host; --platform is not supported yet")
	}
	h, _, p, err := g.load(opts.recipe, &installFlags{})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(opts.to, 0o755); err != nil {
		return err
	}
	n := 0
	for _, res := range p.Resources {
		v, ok := res.(*venv.Venv)
		if !ok {
			continue
		}
		python, _, ok, err := v.Base().Current(ctx, h.sys)
		if err != nil {
			return fmt.Errorf("%s: %w", v.ID(), err)
		}
		if !ok {
			return fmt.Errorf("%s: %s is not installed yet: run envup apply first", v.ID(), v.Base().ID())
		}
		cmd, err := v.DownloadCmd(python, opts.to)
		if err != nil {
			return fmt.Errorf("%s: %w", v.ID(), err)
		}
		cmd.Live = g.live()
		if g.output == "text" {
			fmt.Fprintf(g.stdout, "downloading the wheels of %s into %s\n", v.ID(), opts.to)
		}
		if _, err := h.sys.Run(ctx, cmd); err != nil {
			return fmt.Errorf("%s: %w", v.ID(), err)
		}
		n++
	}
	if n == 0 {
		return fmt.Errorf("%s has no virtualenvs for %s", opts.recipe, h.platform)
	}
	entries, _ := os.ReadDir(opts.to)
	if g.output == "json" {
		return writeJSON(g.stdout, map[string]any{"dir": opts.to, "files": len(entries)})
	}
	fmt.Fprintf(g.stdout, "%s holds %d files: apply with --mirror %s --offline, or list it under find_links\n", opts.to, len(entries), opts.to)
	return nil
}
