// Command envup makes developer machines alike: it applies a recipe.
package main

import (
	"os"

	"github.com/envup/envup/internal/cli"
	"github.com/envup/envup/internal/shim"
)

func main() {
	// A Windows bin entry (python3.exe beside python3.shim) is envup's own
	// executable under another name: it starts its program and exits.
	if code, ok := shim.Run(); ok {
		os.Exit(code)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
