package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version is set at release time: -ldflags "-X github.com/envup/envup/internal/cli.version=1.2.3".
var version string

// modulePath is envup's module, whose version the Go toolchain records.
const modulePath = "github.com/envup/envup"

// Version is envup's version: the release's when the linker set it, else
// the module version the Go toolchain recorded (`go install
// github.com/envup/envup/cmd/envup@v1.2.3` says 1.2.3), else "dev" with
// the VCS revision of the checkout it was built from.
func Version() string {
	info, _ := debug.ReadBuildInfo()
	return versionOf(version, info)
}

// versionOf is Version for a linker-set version and build info (nil when
// the binary carries none). A leading "v" is dropped, so a release and a
// `go install …@v1.2.3` of the same tag say the same.
func versionOf(linked string, info *debug.BuildInfo) string {
	if linked != "" {
		return strings.TrimPrefix(linked, "v")
	}
	if info == nil {
		return "dev"
	}
	if m := envupModule(info); m != nil && m.Version != "" && m.Version != "(devel)" {
		return strings.TrimPrefix(m.Version, "v")
	}
	v := "dev"
	var modified bool
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision" && len(s.Value) >= 12:
			v += "+" + s.Value[:12]
		case s.Key == "vcs.modified" && s.Value == "true":
			modified = true
		}
	}
	if modified {
		// Build metadata is dot-separated after the "+" (semver 2).
		if strings.Contains(v, "+") {
			v += ".dirty"
		} else {
			v += "+dirty"
		}
	}
	return v
}

// envupModule is envup's module in info: the main module, or a
// dependency when another program links envup in.
func envupModule(info *debug.BuildInfo) *debug.Module {
	if info.Main.Path == modulePath {
		return &info.Main
	}
	for _, m := range info.Deps {
		if m.Path == modulePath {
			if m.Replace != nil {
				return m.Replace
			}
			return m
		}
	}
	return nil
}

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print envup's version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return printVersion(g)
		},
	}
}

// printVersion writes what `envup version` and `envup --version` say.
func printVersion(g *globals) error {
	if g.output == "json" {
		return g.emit("version", map[string]string{"version": Version(), "go": runtime.Version()})
	}
	fmt.Fprintf(g.stdout, "envup %s (%s)\n", Version(), runtime.Version())
	return nil
}

// addVersionFlag gives the root command --version, which prints what
// `envup version` prints (--output json too); without it the root
// command prints its help, as before.
func addVersionFlag(root *cobra.Command, g *globals) {
	var show bool
	root.Flags().BoolVar(&show, "version", false, "print envup's version (as `envup version` does)")
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		if show {
			return printVersion(g)
		}
		return cmd.Help()
	}
}
