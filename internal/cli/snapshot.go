package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/snapshot"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// snapshotFlags say where a snapshot of this machine looks for venvs
// beyond envup's state.
type snapshotFlags struct {
	venvRoots []string
	recipes   []string
}

func addSnapshotFlags(cmd *cobra.Command, f *snapshotFlags) {
	cmd.Flags().StringArrayVar(&f.venvRoots, "venv-root", nil, "also record the virtualenvs in this folder's subfolders (repeatable)")
	cmd.Flags().StringArrayVar(&f.recipes, "recipe", nil, "also record the virtualenvs this recipe names (repeatable)")
}

func newSnapshotCmd(g *globals) *cobra.Command {
	var (
		out   string
		flags snapshotFlags
	)
	cmd := &cobra.Command{
		Use:   "snapshot [-o FILE]",
		Short: "Record what envup sees on this machine, as JSON (for envup diff and capture)",
		Long: `snapshot records this machine: platform, every python and node found,
virtualenvs (those envup made, those --recipe names, those under
--venv-root) with their packages, Redis and Valkey, user fonts, the editor
settings envup knows, and the OS packages installed on purpose. Paths under
the home folder are written ~/…, so two users' snapshots compare.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, _, err := g.snapshotHere(cmd.Context(), flags, nil, nil, nil, true)
			if err != nil {
				return err
			}
			return writeSnapshot(g, s, out)
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "write the snapshot to FILE (default: standard output)")
	addSnapshotFlags(cmd, &flags)
	return cmd
}

// writeSnapshot prints the snapshot, or writes it to out. Under --output
// json the document is the snapshot itself with the envelope's keys (so
// diff still reads it), and "file" when it went to out.
func writeSnapshot(g *globals, s *snapshot.Snapshot, out string) error {
	toStdout := out == "" || out == "-"
	if toStdout && g.output == "text" {
		return s.Write(g.stdout)
	}
	if !toStdout {
		o, err := system.CreateOutput(out, 0o644)
		if err != nil {
			return err
		}
		defer o.Abort()
		if err := s.Write(o); err != nil {
			return err
		}
		if err := o.Commit(); err != nil {
			return err
		}
		fmt.Fprintf(g.info, "snapshot of %s written to %s (%s)\n", s.Platform.String(), out, s.Summary())
		if g.output == "text" {
			return nil
		}
	}
	var buf bytes.Buffer
	if err := s.Write(&buf); err != nil {
		return err
	}
	doc := buf.Bytes()
	if !toStdout {
		file, err := marshal(out)
		if err != nil {
			return err
		}
		doc = slices.Concat([]byte(`{"file":`), file, []byte(","), bytes.TrimPrefix(bytes.TrimSpace(doc), []byte("{")))
	}
	return g.emit("snapshot", json.RawMessage(doc))
}

// snapshotHere takes a snapshot of this machine. extra are venvs known
// by name beyond the state's and the --recipe flags'; st is the state
// when the caller has read it, memo the run's versions when it has them
// (nil: the state's). keep saves the versions it learned in the
// state (not for check, which changes nothing).
func (g *globals) snapshotHere(ctx context.Context, flags snapshotFlags, extra []snapshot.KnownVenv, st *state.State, memo *state.Memo, keep bool) (*snapshot.Snapshot, detect.Platform, error) {
	if g.elsewhere() {
		return nil, detect.Platform{}, usage(errors.New("a snapshot is of this machine only: --platform does not apply"))
	}
	p, err := detect.Detect()
	if err != nil {
		return nil, p, err
	}
	s, err := snapshot.Here(ctx, system.NewReal(), p, snapshot.HereOptions{
		State:   st,
		Recipes: flags.recipes,
		Venvs:   extra,
		Options: snapshot.Options{VenvRoots: flags.venvRoots, Root: os.Getenv("ENVUP_ROOT"), Version: Version(), Memo: memo},
		Keep:    keep,
	})
	return s, p, err
}

func newDiffCmd(g *globals) *cobra.Command {
	var (
		ignore []string
		flags  snapshotFlags
	)
	cmd := &cobra.Command{
		Use:   "diff A B",
		Short: "Show how two machines, or a machine and a recipe, differ",
		Long: `diff compares A with B by meaning: what only one side has, and what differs.
Each of A and B is a snapshot file (from envup snapshot -o), "here" for this
machine now, "-" for a snapshot on standard input (this machine when standard
input is a terminal), or a recipe (what it wants, for the other side's platform).

  ssh lab-7 envup snapshot | envup diff - here

Exit 0 when they are equal, 2 when they differ, 1 on error.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(cmd.Context(), g, args[0], args[1], ignore, flags)
		},
	}
	cmd.Flags().StringArrayVar(&ignore, "ignore", nil, "leave out differences at paths matching this pattern, or under them (repeatable): packages, virtualenvs/*/packages/pip")
	addSnapshotFlags(cmd, &flags)
	return cmd
}

func runDiff(ctx context.Context, g *globals, argA, argB string, ignore []string, flags snapshotFlags) error {
	built, err := snapshot.Sides(argA, argB, snapshot.SideSource{
		Stdin:         g.stdin,
		StdinTerminal: g.stdinIsTerminal(),
		Host:          g.detectPlatform,
		Here: func(extra []snapshot.KnownVenv) (*snapshot.Snapshot, error) {
			s, _, err := g.snapshotHere(ctx, flags, extra, nil, nil, true)
			return s, err
		},
	})
	if errors.Is(err, snapshot.ErrStdinTwice) {
		return usage(err)
	}
	if err != nil {
		return err
	}
	res, err := snapshot.Diff(built[0], built[1], ignore)
	if err != nil {
		return usage(err)
	}
	if g.output == "json" {
		if err := g.emit("diff", res); err != nil {
			return err
		}
	} else {
		res.WriteText(g.stdout)
	}
	if !res.Equal {
		return errDiffers
	}
	return nil
}

// stdinIsTerminal says whether standard input is a terminal (or absent):
// then "-" is this machine rather than a snapshot piped in.
func (g *globals) stdinIsTerminal() bool {
	f, ok := g.stdin.(*os.File)
	if !ok {
		return g.stdin == nil
	}
	fi, err := f.Stat()
	return err != nil || fi.Mode()&os.ModeCharDevice != 0
}

func newCaptureCmd(g *globals) *cobra.Command {
	var (
		out      string
		packages bool
		flags    snapshotFlags
	)
	cmd := &cobra.Command{
		Use:   "capture [-o recipe.yml]",
		Short: "Write a recipe that reproduces this machine's envup-visible environment",
		Long: `capture writes a recipe from a snapshot of this machine: exact interpreter
versions, virtualenvs with pinned packages, the Redis or Valkey version and
config, user fonts (copied into fonts/ beside the recipe), and editor
settings. Apply it on another machine, then envup diff the two: what was
captured is equal.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCapture(cmd.Context(), g, out, packages, flags)
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "write the recipe to this file, and fonts into fonts/ beside it (default: standard output, fonts left out)")
	cmd.Flags().BoolVar(&packages, "packages", false, "also capture the OS packages installed on purpose, as one package group")
	addSnapshotFlags(cmd, &flags)
	return cmd
}

func runCapture(ctx context.Context, g *globals, out string, packages bool, flags snapshotFlags) error {
	s, p, err := g.snapshotHere(ctx, flags, nil, nil, nil, true)
	if err != nil {
		return err
	}
	name := "captured"
	if out != "" && out != "-" {
		name = strings.TrimSuffix(filepath.Base(out), filepath.Ext(out))
	}
	c := s.Capture(snapshot.CaptureOptions{Name: name, Packages: packages, Home: p.Home})
	data, err := c.Text()
	if err != nil {
		return err
	}
	js := captureJS{
		Recipe: string(data),
		Counts: captureCounts{
			Interpreters: len(c.Recipe.Interpreters), Virtualenvs: len(c.Recipe.Virtualenvs), Services: len(c.Recipe.Services),
			Fonts: len(c.Recipe.Fonts), Editors: len(c.Recipe.Editors), Packages: len(c.Recipe.Packages),
		},
	}
	if out == "" || out == "-" {
		if len(c.Fonts) > 0 {
			fmt.Fprintf(g.stderr, "envup: %d font files are not copied without -o; the recipe names them under fonts/\n", len(c.Fonts))
		}
		if g.output == "json" {
			return g.emit("capture", js)
		}
		_, err := g.stdout.Write(data)
		return err
	}
	fonts, err := c.Write(system.NewReal(), out, data, p)
	if err != nil {
		return err
	}
	if !fonts && len(c.Fonts) > 0 {
		fmt.Fprintf(g.stderr, "envup: %d font files are not copied beside %s, which is no file; the recipe names them under fonts/\n", len(c.Fonts), out)
	}
	if g.output == "json" {
		js.File = out
		if fonts {
			js.FontsCopied = len(c.Fonts)
		}
		return g.emit("capture", js)
	}
	fmt.Fprintf(g.info, "recipe written to %s (%d interpreters, %d virtualenvs, %d services, %d fonts, %d editors)\n",
		out, js.Counts.Interpreters, js.Counts.Virtualenvs, js.Counts.Services, js.Counts.Fonts, js.Counts.Editors)
	return nil
}

// captureJS is capture's --output json document: the recipe's text, and
// the file it went to with -o.
type captureJS struct {
	File        string        `json:"file,omitempty"`
	Recipe      string        `json:"recipe"` // the recipe, as YAML
	Counts      captureCounts `json:"counts"`
	FontsCopied int           `json:"fonts_copied"` // font files copied into fonts/ beside the file; none without -o
}

// captureCounts are how many entries of each section the recipe has.
type captureCounts struct {
	Interpreters int `json:"interpreters"`
	Virtualenvs  int `json:"virtualenvs"`
	Services     int `json:"services"`
	Fonts        int `json:"fonts"`
	Editors      int `json:"editors"`
	Packages     int `json:"packages"`
}
