package cli

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

func newEnvCmd(g *globals) *cobra.Command {
	var shell string
	cmd := &cobra.Command{
		Use:   "env",
		Short: "Print how to put envup's bin dir on PATH (eval \"$(envup env)\")",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return runEnv(g, shell)
		},
	}
	cmd.Flags().StringVar(&shell, "shell", "", "bash, zsh, fish, powershell or cmd (default: from $SHELL, powershell on Windows)")
	return cmd
}

// shells are the shells env writes for: --shell's values, and what $SHELL
// may name.
var shells = []string{"bash", "zsh", "sh", "dash", "ksh", "fish", "powershell", "pwsh", "cmd"}

func runEnv(g *globals, shell string) error {
	p, err := g.detectPlatform()
	if err != nil {
		return err
	}
	bin := p.Dirs.Bin
	if shell == "" {
		shell = "bash"
		if sh := g.getenv("SHELL"); sh != "" {
			shell = filepath.Base(sh)
		}
		if p.OS == "windows" {
			shell = "powershell"
		}
	}
	if !slices.Contains(shells, shell) {
		return usagef("--shell: want bash, zsh, fish, powershell or cmd, got %q", shell)
	}
	if g.output == "json" {
		return g.emit("env", map[string]string{"bin": bin, "shell": shell})
	}
	switch shell {
	case "bash", "zsh", "sh", "dash", "ksh":
		fmt.Fprintf(g.stdout, "export PATH=%s:\"$PATH\"\n", shQuote(bin))
	case "fish":
		fmt.Fprintf(g.stdout, "fish_add_path --path %s\n", shQuote(bin))
	case "powershell", "pwsh":
		fmt.Fprintf(g.stdout, "$env:Path = '%s;' + $env:Path\n", strings.ReplaceAll(bin, "'", "''"))
	case "cmd":
		fmt.Fprintf(g.stdout, "set \"PATH=%s;%%PATH%%\"\n", bin)
	}
	return nil
}

func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
