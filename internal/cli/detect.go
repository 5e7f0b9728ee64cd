package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/detect"
)

func newDetectCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "detect",
		Short: "Show what envup sees of this host",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return runDetect(g)
		},
	}
}

func runDetect(g *globals) error {
	p, err := g.detectPlatform()
	if err != nil {
		return err
	}
	if g.output == "json" {
		return g.emit("detect", p)
	}
	writePlatform(g.stdout, p)
	return nil
}

// writePlatform prints a platform as aligned "key: value" lines, leaving
// out what the host does not have.
func writePlatform(w io.Writer, p detect.Platform) {
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-10s %s\n", k+":", v)
		}
	}
	line("platform", p.String())
	line("os", p.OS)
	line("version", p.Version)
	line("name", p.Name)
	line("edition", p.Edition)
	line("build", p.Build)
	line("arch", p.Arch)
	if p.Rosetta {
		line("rosetta", "yes (an amd64 process on Apple silicon)")
	}
	if p.Libc.Name != "" {
		line("libc", strings.TrimSpace(p.Libc.Name+" "+p.Libc.Version))
	}
	if p.Distro.ID != "" {
		d := p.Distro.ID
		if len(p.Distro.IDLike) > 0 {
			d += " (like " + strings.Join(p.Distro.IDLike, ", ") + ")"
		}
		line("distro", d)
	}
	line("kernel", p.Kernel)
	if p.WSL > 0 {
		line("wsl", fmt.Sprint(p.WSL))
	}
	line("container", p.Container)
	if p.Server {
		line("server", "yes")
	}
	managers := strings.Join(p.Managers, ", ")
	if managers == "" {
		managers = "none found"
	}
	line("managers", managers)
	user := p.User
	if p.Admin {
		user = strings.TrimSpace(user + " (admin)")
	}
	line("user", user)
	line("home", p.Home)
	// Each folder with what decided it (detect.DirsFor).
	dir := func(k, v, from string) {
		if v != "" && from != "" {
			v += " (" + from + ")"
		}
		line(k, v)
	}
	dir("data", p.Dirs.Data, p.Dirs.From.Data)
	dir("cache", p.Dirs.Cache, p.Dirs.From.Cache)
	dir("state", p.Dirs.State, p.Dirs.From.State)
	dir("bin", p.Dirs.Bin, p.Dirs.From.Bin)
	dir("config", p.Dirs.Config, p.Dirs.From.Config)
	if len(p.Dirs.Ignored) > 0 {
		line("ignored", strings.Join(p.Dirs.Ignored, ", ")+": not an absolute path")
	}
	if p.Foreign {
		line("observed", "no: given with --platform, so envup can plan for it but not look at it")
	}
}
