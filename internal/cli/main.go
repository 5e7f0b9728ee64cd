// Package cli is envup's command line: one file per command, each parsing
// its flags into an options struct and calling a run function.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2 // bad flags or arguments; also "changes pending" with --detailed-exitcode
)

// exitError carries an exit code up to Main. A nil err exits quietly.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// Main runs envup with args and returns the process exit code. It prints
// an error once, as "envup: <error>", and nowhere else.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	g := &globals{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRootCmd(g)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "envup: %v\n", ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "envup: %v\n", err)
	if isUsage(err) {
		return exitUsage
	}
	return exitFailure
}

// isUsage tells cobra's argument and flag errors from failures.
func isUsage(err error) bool {
	msg := err.Error()
	for _, s := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires ", "invalid argument", "flag needs"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// globals are the flags every command has, and the streams.
type globals struct {
	output   string // text or json
	verbose  bool
	platform string // --platform: plan for another host
	facts    string // --facts: plan for the host a probe described

	stdin          io.Reader
	stdout, stderr io.Writer

	unsupportedSaid bool // the warning for a host below envup's floor, said once a run
}

func (g *globals) getenv(key string) string { return os.Getenv(key) }

func newRootCmd(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "envup",
		Short: "Make developer machines alike, from one YAML recipe",
		Long: `envup makes this machine match a recipe: interpreters, virtualenvs,
services, editor settings, fonts, OS packages and files.

  envup plan recipe.yml    show what would change
  envup apply recipe.yml   make it so (a second apply changes nothing)
  envup check recipe.yml   run the recipe's checks, change nothing`,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if g.output != "text" && g.output != "json" {
				return &exitError{code: exitUsage, err: fmt.Errorf("--output: want text or json, got %q", g.output)}
			}
			level := slog.LevelWarn
			if g.verbose {
				level = slog.LevelDebug
			}
			slog.SetDefault(slog.New(slog.NewTextHandler(g.stderr, &slog.HandlerOptions{Level: level})))
			return nil
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.output, "output", "text", "output format: text or json")
	pf.BoolVarP(&g.verbose, "verbose", "v", false, "show unchanged resources, exact commands and files, and debug logs")
	pf.StringVar(&g.facts, "facts", "", "plan for the host whose platform `envup export --probe` printed there (a JSON file)")
	pf.StringVar(&g.platform, "platform", "", "plan for another host: os/version/arch or linux/distro/version/arch (windows/5.1/386, macos/10.7/amd64, linux/ubuntu/22.04/arm64)")

	root.AddCommand(
		newDetectCmd(g),
		newPlanCmd(g),
		newApplyCmd(g),
		newCheckCmd(g),
		newRenderCmd(g),
		newSchemaCmd(g),
		newVersionCmd(g),
		newCatalogCmd(g),
		newEnvCmd(g),
		newWheelsCmd(g),
		newServicesCmd(g),
		newSnapshotCmd(g),
		newDiffCmd(g),
		newCaptureCmd(g),
		newLockCmd(g),
		newFetchCmd(g),
		newBundleCmd(g),
		newServeCmd(g),
		newExportCmd(g),
	)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: err}
	})
	return root
}
