package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/catalog"
)

// flagValues are the values a flag of this name takes, on any command,
// offered by shell completion. --platform offers examples of each form;
// any other platform is typed.
var flagValues = map[string][]string{
	"output": {"text", "json"},
	"color":  colourModes,
	"format": {"cmd", "ps1", "sh"},
	"shell":  {"bash", "zsh", "fish", "powershell", "cmd"},
	"platform": {
		"linux/debian/12/amd64", "linux/ubuntu/24.04/amd64", "linux/ubuntu/22.04/arm64", "linux/fedora/41/amd64",
		"macos/15/arm64", "macos/10.7/amd64",
		"windows/10.0.22631/amd64", "windows/10.0.19045/amd64", "windows/6.1/amd64", "windows/5.1/386",
	},
}

// recipeExts are the files a RECIPE argument may be: a recipe, or a
// bundle (envup bundle's .tar).
var recipeExts = []string{"yml", "yaml", "tar"}

// addCompletions gives every command of root what shell completion
// offers: each flag with a known set of values its values (flagValues),
// a RECIPE argument only recipe and bundle files, and the commands whose
// first argument is a known word (catalog's tools, services' verbs) those
// words.
func addCompletions(root *cobra.Command) {
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		for name, values := range flagValues {
			// A persistent flag is registered once, on the command that
			// has it; cobra finds it from every command below.
			if cmd.LocalFlags().Lookup(name) != nil {
				_ = cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
			}
		}
		if cmd.ValidArgsFunction == nil {
			cmd.ValidArgsFunction = argCompletion(cmd)
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// argCompletion is what cmd's arguments complete to, read from its Use.
func argCompletion(cmd *cobra.Command) cobra.CompletionFunc {
	use := strings.Fields(cmd.Use)
	if len(use) < 2 {
		return cobra.NoFileCompletions
	}
	switch {
	case use[1] == "RECIPE":
		return func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return recipeExts, cobra.ShellCompDirectiveFilterFileExt
		}
	case use[1] == "[TOOL]":
		return func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return catalog.Builtin().Tools(), cobra.ShellCompDirectiveNoFileComp
		}
	case use[1] == "DIR":
		return func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveFilterDirs
		}
	case strings.HasPrefix(use[1], "[") && strings.Contains(use[1], "|"):
		// services [status|start|stop] [RECIPE]: a verb, then a recipe.
		verbs := strings.Split(strings.Trim(use[1], "[]"), "|")
		return func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return verbs, cobra.ShellCompDirectiveNoFileComp
			}
			return recipeExts, cobra.ShellCompDirectiveFilterFileExt
		}
	case strings.HasPrefix(strings.TrimPrefix(use[1], "["), "-"):
		return cobra.NoFileCompletions // flags only: snapshot [-o FILE], capture [-o …]
	}
	return nil // cobra's default: file names
}
