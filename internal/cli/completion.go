package cli

import (
	"bytes"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// completionShells are the shells completion writes a script for.
var completionShells = []string{"bash", "zsh", "fish", "powershell"}

// newCompletionCmd is envup's own completion command (in place of
// cobra's): one SHELL argument, and under --output json the script in a
// document like every other command's.
func newCompletionCmd(g *globals) *cobra.Command {
	var noDesc bool
	cmd := &cobra.Command{
		Use:   "completion SHELL",
		Short: "Print a shell's completion script (bash, zsh, fish or powershell)",
		Long: `completion prints the script that teaches a shell to complete envup's
commands, flags and their values. Load it once per session, or save it
where the shell looks:

  source <(envup completion bash)
  envup completion zsh > "${fpath[1]}/_envup"
  envup completion fish > ~/.config/fish/completions/envup.fish
  envup completion powershell | Out-String | Invoke-Expression`,
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return completionShells, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			shell := args[0]
			if !slices.Contains(completionShells, shell) {
				return usagef("want %s, got %q", strings.Join(completionShells, ", "), shell)
			}
			if g.output == "text" {
				return writeCompletion(cmd.Root(), g.stdout, shell, !noDesc)
			}
			var buf bytes.Buffer
			if err := writeCompletion(cmd.Root(), &buf, shell, !noDesc); err != nil {
				return err
			}
			return g.emit("completion", map[string]string{"shell": shell, "script": buf.String()})
		},
	}
	cmd.Flags().BoolVar(&noDesc, "no-descriptions", false, "complete without a description beside each word")
	return cmd
}

// writeCompletion writes shell's completion script for root to w.
func writeCompletion(root *cobra.Command, w io.Writer, shell string, desc bool) error {
	switch shell {
	case "bash":
		return root.GenBashCompletionV2(w, desc)
	case "zsh":
		if desc {
			return root.GenZshCompletion(w)
		}
		return root.GenZshCompletionNoDesc(w)
	case "fish":
		return root.GenFishCompletion(w, desc)
	}
	if desc {
		return root.GenPowerShellCompletionWithDesc(w)
	}
	return root.GenPowerShellCompletion(w)
}

// newHelpCmd is envup's help command (in place of cobra's, which prints
// usage and exits 0 for a command it does not know): a topic that is no
// command is a usage error.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]",
		Short: "Help about any command",
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			var out []string
			if len(args) == 0 {
				for _, sub := range cmd.Root().Commands() {
					if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
						out = append(out, sub.Name())
					}
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			topic, rest, err := cmd.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return usagef("help: no command %q", strings.Join(args, " "))
			}
			return topic.Help()
		},
	}
}

// jsonHelp makes help (help COMMAND, COMMAND --help) a document under
// --output json: the command and its help text.
func jsonHelp(g *globals, root *cobra.Command) {
	text := root.HelpFunc()
	root.SetHelpFunc(func(cmd *cobra.Command, args []string) {
		if g.output != "json" {
			text(cmd, args)
			return
		}
		var buf bytes.Buffer
		out := cmd.OutOrStdout()
		cmd.SetOut(&buf)
		text(cmd, args)
		cmd.SetOut(out)
		_ = g.emit("help", map[string]string{"command": cmd.CommandPath(), "text": buf.String()})
	})
}
