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
	"slices"
	"syscall"

	"github.com/spf13/cobra"
)

// Exit codes, each with one meaning (docs/cli.md lists them).
const (
	exitOK      = 0
	exitFailure = 1  // the command ran and failed
	exitDiffers = 2  // changes pending (--detailed-exitcode), two sides differ (diff)
	exitUsage   = 64 // a command line envup cannot take (sysexits' EX_USAGE): never 2, which callers read as "changes pending"
)

// usageError is a command line envup cannot take: a wrong flag, argument
// or combination of them. Main prints it and exits 64.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usage makes err a usage error; usagef makes one from a message.
func usage(err error) error { return &usageError{err: err} }

func usagef(format string, args ...any) error { return usage(fmt.Errorf(format, args...)) }

// errDiffers is the quiet exit 2 of a command that ran and found
// differences: changes pending with --detailed-exitcode, two sides of
// diff not equal. Nothing more is printed.
var errDiffers = errors.New("differences found")

// Main runs envup with args and returns the process exit code. It prints
// an error once, as "envup: <error>", and nowhere else.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// A terminal's Ctrl-C, a hang-up (the terminal or ssh session gone)
	// and a polite kill (timeout, docker stop, a CI cancel) all cancel the
	// run the same way: apply rolls back what it can and the commands it
	// started are killed with their children.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	g := &globals{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRootCmd(g)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if c, ok := g.stdout.(*colourMarks); ok {
		_ = c.Flush()
	}
	if err != nil && !g.started {
		// cobra refused the command line before any command ran: an
		// unknown command, or the wrong number of arguments.
		err = usage(err)
	}
	code := exitCode(err)
	if g.wantsJSON(args) {
		g.writeDocument(stdout, err, code)
	}
	// The error is on stderr under --output json too: the person at the
	// terminal sees it while a program reads stdout.
	if err != nil && !errors.Is(err, errDiffers) {
		fmt.Fprintf(stderr, "envup: %v\n", err)
	}
	return code
}

// exitCode is the one place errors become exit codes.
func exitCode(err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case errors.Is(err, errDiffers):
		return exitDiffers
	}
	return exitFailure
}

// globals are the flags every command has, and the streams.
type globals struct {
	output   string // text or json
	color    string // --color: auto, always or never
	quiet    bool   // -q: no progress, no notes
	verbose  bool
	platform string // --platform: plan for another host
	facts    string // --facts: plan for the host a probe described

	stdin          io.Reader
	stdout, stderr io.Writer
	info           io.Writer // progress and notes: stderr, or nowhere with -q

	hostWarned bool // the warnings about this host (below envup's floor, a folder variable ignored), said once a run
	started    bool // cobra took the command line and a command began to run

	doc   []byte // --output json: the command's document (emit), printed by Main
	lines bool   // --output json: the command printed JSON Lines (event), so an error is one line too
}

func (g *globals) getenv(key string) string { return os.Getenv(key) }

// hostCommands take --platform and --facts: those that work for another
// host, and those that refuse one with a reason (apply works on this host
// only). The rest (version, schema, serve…) do not have them, so
// `version --platform x` is the usage error it is. lock, fetch and bundle
// have a --platform of their own, repeatable.
var hostCommands = []string{"plan", "render", "detect", "catalog", "env", "export", "apply", "check", "services", "snapshot", "wheels"}

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
				return usagef("--output: want text or json, got %q", g.output)
			}
			if !slices.Contains(colourModes, g.color) {
				return usagef("--color: want auto, always or never, got %q", g.color)
			}
			if wantColour(g.color, g.stdout, g) {
				g.stdout = &colourMarks{w: g.stdout}
			}
			if g.quiet && g.verbose {
				return usagef("--quiet and --verbose: give one")
			}
			g.info = g.stderr
			if g.quiet {
				g.info = io.Discard
			}
			g.started = true
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
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "say only the result, warnings and errors: no progress, no step lines, no notes")
	pf.StringVar(&g.color, "color", "auto", "colour the marks of plan, apply, check and diff: auto (on a terminal, unless NO_COLOR is set), always or never")

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
		newReportCmd(g),
		newExportCmd(g),
		newCompletionCmd(g),
	)
	root.SetHelpCommand(newHelpCmd())
	jsonHelp(g, root)
	for _, cmd := range root.Commands() {
		if slices.Contains(hostCommands, cmd.Name()) {
			fl := cmd.Flags()
			fl.StringVar(&g.facts, "facts", "", "plan for the host a probe described: the JSON `FILE` that envup export --probe's script printed there")
			fl.StringVar(&g.platform, "platform", "", "plan for another host: os/version/arch or linux/distro/version/arch (windows/5.1/386, macos/10.7/amd64, linux/ubuntu/22.04/arm64)")
		}
	}
	addVersionFlag(root, g)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usage(err)
	})
	addCompletions(root)
	return root
}
