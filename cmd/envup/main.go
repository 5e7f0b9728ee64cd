// Command envup makes developer machines alike: it applies a recipe.
package main

import (
	"os"

	"github.com/envup/envup/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
