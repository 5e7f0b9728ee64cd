package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
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
			s, err := g.snapshotHere(cmd.Context(), flags, nil, true)
			if err != nil {
				return err
			}
			if out == "" || out == "-" {
				return s.Write(g.stdout)
			}
			var buf bytes.Buffer
			if err := s.Write(&buf); err != nil {
				return err
			}
			if err := system.NewReal().WriteFile(out, buf.Bytes(), 0o644); err != nil {
				return err
			}
			fmt.Fprintf(g.stderr, "snapshot of %s written to %s (%d interpreters, %d virtualenvs, %d services, %d fonts, %d editors)\n",
				s.Platform.String(), out, len(s.Interpreters), len(s.Virtualenvs), len(s.Services), len(s.Fonts), len(s.Editors))
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "write the snapshot to FILE (default: standard output)")
	addSnapshotFlags(cmd, &flags)
	return cmd
}

// snapshotHere takes a snapshot of this machine. extra are venvs known
// by name beyond the state's and the --recipe flags'. keep saves the
// versions it learned in the state (not for check, which changes
// nothing).
func (g *globals) snapshotHere(ctx context.Context, flags snapshotFlags, extra []snapshot.KnownVenv, keep bool) (*snapshot.Snapshot, error) {
	s, _, err := g.snapshotWith(ctx, flags, extra, keep)
	return s, err
}

// snapshotWith is snapshotHere, also giving the platform it detected
// (the snapshot's own has ~ for home).
func (g *globals) snapshotWith(ctx context.Context, flags snapshotFlags, extra []snapshot.KnownVenv, keep bool) (*snapshot.Snapshot, detect.Platform, error) {
	if g.elsewhere() {
		return nil, detect.Platform{}, &exitError{code: exitUsage, err: errors.New("a snapshot is of this machine only: --platform does not apply")}
	}
	p, err := detect.Detect()
	if err != nil {
		return nil, p, err
	}
	sys := system.NewReal()
	st, err := state.Load(sys, p.Dirs.State)
	if err != nil {
		return nil, p, err
	}
	known := snapshot.StateVenvs(st)
	for _, path := range flags.recipes {
		r, err := recipe.Load(path, p)
		if err != nil {
			return nil, p, err
		}
		known = append(known, recipeVenvs(r)...)
	}
	known = append(known, extra...)
	memo := state.NewMemo(st.Memo)
	s, err := snapshot.Take(ctx, sys, p, snapshot.Options{
		Memo:      memo,
		Venvs:     known,
		VenvRoots: flags.venvRoots,
		Root:      os.Getenv("ENVUP_ROOT"),
		Version:   Version(),
	})
	if err == nil && keep && memo.Changed() {
		keepMemo(ctx, sys, p.Dirs.State, memo)
	}
	return s, p, err
}

// keepMemo saves the versions a snapshot learned, so the next one runs
// no interpreter again; it gives up at once when an apply holds the lock.
func keepMemo(ctx context.Context, sys system.System, dir string, memo *state.Memo) {
	lock, err := state.Acquire(ctx, dir, time.Nanosecond, io.Discard)
	if err != nil {
		return
	}
	defer lock.Unlock()
	st, err := state.Load(sys, dir)
	if err != nil {
		return
	}
	st.Memo = memo.Values()
	_ = st.Save(sys, dir)
}

func recipeVenvs(r *recipe.Recipe) []snapshot.KnownVenv {
	var out []snapshot.KnownVenv
	for key, v := range r.Virtualenvs {
		out = append(out, snapshot.KnownVenv{Name: key, Path: v.Path, FoundBy: "recipe"})
	}
	return out
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

// side is one argument of diff, read as far as it can be without the
// other: a recipe waits for the platform to load it for.
type side struct {
	arg    string
	snap   *snapshot.Snapshot
	kind   string // snapshot, here or recipe
	recipe string // the recipe's path
}

func runDiff(ctx context.Context, g *globals, argA, argB string, ignore []string, flags snapshotFlags) error {
	sides := make([]*side, 2)
	stdinUsed := false
	for i, arg := range []string{argA, argB} {
		s := &side{arg: arg}
		switch {
		case arg == "here" || (arg == "-" && g.stdinIsTerminal()):
			s.kind = "here"
		case arg == "-":
			if stdinUsed {
				return &exitError{code: exitUsage, err: errors.New("only one side can be read from standard input")}
			}
			stdinUsed = true
			snap, err := snapshot.Read(g.stdin, "standard input")
			if err != nil {
				return err
			}
			s.kind, s.snap = "snapshot", snap
		default:
			kind, err := fileKind(arg)
			if err != nil {
				return err
			}
			s.kind = kind
			if kind == "recipe" {
				s.recipe = arg
				break
			}
			f, err := os.Open(arg)
			if err != nil {
				return err
			}
			snap, err := snapshot.Read(f, arg)
			f.Close()
			if err != nil {
				return err
			}
			s.snap = snap
		}
		sides[i] = s
	}

	// A recipe is loaded for the other side's platform; this machine's
	// when the other side is this machine or a recipe too.
	var here *detect.Platform
	hostPlatform := func() (detect.Platform, error) {
		if here == nil {
			p, err := g.detectPlatform()
			if err != nil {
				return p, err
			}
			here = &p
		}
		return *here, nil
	}
	loaded := make([]*recipe.Recipe, 2)
	platforms := make([]detect.Platform, 2)
	for i, s := range sides {
		if s.kind != "recipe" {
			continue
		}
		other := sides[1-i]
		var p detect.Platform
		if other.snap != nil {
			p = other.snap.Platform
			p.Foreign = true
		} else {
			var err error
			if p, err = hostPlatform(); err != nil {
				return err
			}
		}
		r, err := recipe.Load(s.recipe, p)
		if err != nil {
			return err
		}
		loaded[i], platforms[i] = r, p
	}
	for i, s := range sides {
		if s.kind != "here" {
			continue
		}
		var extra []snapshot.KnownVenv
		if r := loaded[1-i]; r != nil {
			extra = recipeVenvs(r)
		}
		snap, err := g.snapshotHere(ctx, flags, extra, true)
		if err != nil {
			return err
		}
		s.snap = snap
	}
	built := make([]*snapshot.Side, 2)
	for i, s := range sides {
		if s.kind == "recipe" {
			rs, err := snapshot.RecipeSide(loaded[i], platforms[i])
			if err != nil {
				return err
			}
			built[i] = rs
			continue
		}
		name := s.arg
		if name == "-" && s.kind == "snapshot" {
			name = "standard input"
		}
		built[i] = snapshot.SnapshotSide(name, s.kind, s.snap)
	}
	res, err := snapshot.Diff(built[0], built[1], ignore)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if g.output == "json" {
		if err := res.WriteJSON(g.stdout); err != nil {
			return err
		}
	} else {
		res.WriteText(g.stdout)
	}
	if !res.Equal {
		return &exitError{code: exitUsage}
	}
	return nil
}

// fileKind tells a snapshot file from a recipe: by extension, else by
// its first character.
func fileKind(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return "snapshot", nil
	case ".yml", ".yaml":
		return "recipe", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	if bytes.HasPrefix(bytes.TrimSpace(head[:n]), []byte("{")) {
		return "snapshot", nil
	}
	return "recipe", nil
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
	s, p, err := g.snapshotWith(ctx, flags, nil, true)
	if err != nil {
		return err
	}
	name := "captured"
	if out != "" && out != "-" {
		name = strings.TrimSuffix(filepath.Base(out), filepath.Ext(out))
	}
	c := s.Capture(snapshot.CaptureOptions{Name: name, Packages: packages, Home: p.Home})
	data, err := c.Recipe.YAML()
	if err != nil {
		return err
	}
	head := "# yaml-language-server: $schema=https://envup.dev/envup.schema.json\n# " + c.Recipe.Description + "\n"
	for _, left := range c.Left {
		head += "# left out: " + left + "\n"
	}
	data = append([]byte(head), data...)
	if out == "" || out == "-" {
		if len(c.Fonts) > 0 {
			fmt.Fprintf(g.stderr, "envup: %d font files are not copied without -o; the recipe names them under fonts/\n", len(c.Fonts))
		}
		_, err := g.stdout.Write(data)
		return err
	}
	sys := system.NewReal()
	dir := filepath.Dir(out)
	var written []string
	undo := func() {
		for _, name := range written {
			_ = os.Remove(name)
		}
	}
	for from, to := range c.Fonts {
		font, err := os.ReadFile(from)
		if err != nil {
			undo()
			return fmt.Errorf("copy font: %w", err)
		}
		dst := filepath.Join(dir, filepath.FromSlash(to))
		if err := sys.WriteFile(dst, font, 0o644); err != nil {
			undo()
			return fmt.Errorf("copy font: %w", err)
		}
		written = append(written, dst)
	}
	if err := sys.WriteFile(out, data, 0o644); err != nil {
		undo()
		return err
	}
	written = append(written, out)
	// What capture writes must load: a recipe envup itself refuses would
	// be no capture at all.
	if _, err := recipe.Load(out, p); err != nil {
		undo()
		return fmt.Errorf("the captured recipe does not load (a bug in envup capture): %w", err)
	}
	fmt.Fprintf(g.stderr, "recipe written to %s (%d interpreters, %d virtualenvs, %d services, %d fonts, %d editors)\n",
		out, len(c.Recipe.Interpreters), len(c.Recipe.Virtualenvs), len(c.Recipe.Services), len(c.Recipe.Fonts), len(c.Recipe.Editors))
	return nil
}
