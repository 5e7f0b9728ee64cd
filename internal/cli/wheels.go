package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/wheels"
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
	var log io.Writer
	if g.output == "text" {
		log = g.stdout
	}
	n, err := wheels.Download(ctx, h.Sys, p.Resources, opts.to, wheels.Options{Log: log, Live: g.live(), Managers: h.Platform.Managers})
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s has no virtualenvs for %s", opts.recipe, h.Platform)
	}
	entries, _ := os.ReadDir(opts.to)
	if g.output == "json" {
		return g.emit("wheels", map[string]any{"recipe": opts.recipe, "dir": opts.to, "files": len(entries), "virtualenvs": n})
	}
	fmt.Fprintf(g.stdout, "%s holds %d files: apply with --mirror %s --offline, or list it under find_links\n", opts.to, len(entries), opts.to)
	return nil
}
