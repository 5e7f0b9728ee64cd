package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at release time: -ldflags "-X github.com/envup/envup/internal/cli.version=1.2.3".
var version = "dev"

// Version is envup's version, with the VCS revision when built from a checkout.
func Version() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok && v == "dev" {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
	}
	return v
}

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print envup's version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if g.output == "json" {
				return g.emit("version", map[string]string{"version": Version(), "go": runtime.Version()})
			}
			fmt.Fprintf(g.stdout, "envup %s (%s)\n", Version(), runtime.Version())
			return nil
		},
	}
}
