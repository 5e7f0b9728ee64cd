package cli

import (
	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/recipe"
)

func newRenderCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "render RECIPE",
		Short: "Print the effective recipe for this host (or --platform): includes, vars, overrides and when filters applied",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return runRender(g, args[0])
		},
	}
}

// renderJS is render's --output json document: the effective recipe, in
// the recipe's own keys, for the platform.
type renderJS struct {
	Platform string         `json:"platform"`
	Recipe   *recipe.Recipe `json:"recipe"`
}

func runRender(g *globals, path string) error {
	p, err := g.detectPlatform()
	if err != nil {
		return err
	}
	r, err := recipe.Load(path, p)
	if err != nil {
		return err
	}
	if g.output == "json" {
		return g.emit("render", renderJS{Platform: p.String(), Recipe: r})
	}
	data, err := r.YAML()
	if err != nil {
		return err
	}
	_, err = g.stdout.Write(data)
	return err
}
