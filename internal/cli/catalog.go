package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/catalog"
)

type catalogOptions struct {
	tool            string
	all             bool
	allowUnverified bool
}

func newCatalogCmd(g *globals) *cobra.Command {
	opts := &catalogOptions{}
	cmd := &cobra.Command{
		Use:   "catalog [TOOL]",
		Short: "List the releases envup knows (python, node, redis, valkey) and how each installs on this host (or --platform)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.tool = args[0]
			}
			return runCatalog(g, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.all, "all", false, "also list releases that do not install on this platform")
	cmd.Flags().BoolVar(&opts.allowUnverified, "allow-unverified", false, "count downloads whose sha256 comes from weak sources")
	return cmd
}

func runCatalog(g *globals, opts *catalogOptions) error {
	p, err := g.detectPlatform()
	if err != nil {
		return err
	}
	var tools []string
	if opts.tool != "" {
		tools = []string{opts.tool}
	}
	rows, err := catalog.Builtin().Rows(tools, p, opts.all, catalog.AllowUnverified(opts.allowUnverified))
	if err != nil {
		return err
	}
	if g.output == "json" {
		return g.emit("catalog", catalogJS{Platform: p.String(), Releases: rows})
	}
	fmt.Fprintf(g.stdout, "releases that install on %s:\n\n", p)
	tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TOOL\tVERSION\tHOW")
	for _, row := range rows {
		how := strings.Join(row.Ways, ", ")
		if how == "" {
			how = "(not on this platform)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", row.Tool, row.Version, how)
	}
	return tw.Flush()
}

// catalogJS is catalog's --output json document.
type catalogJS struct {
	Platform string        `json:"platform"`
	Releases []catalog.Row `json:"releases"`
}
