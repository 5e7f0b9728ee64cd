package cli

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/recipe"
)

func newSchemaCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of recipe format 1 (for editors: yaml-language-server)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if g.output == "json" {
				return g.emit("schema", map[string]json.RawMessage{"schema": recipe.Schema()})
			}
			_, err := g.stdout.Write(recipe.Schema())
			return err
		},
	}
}
