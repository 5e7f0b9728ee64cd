package snapshot

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// HereOptions say what a snapshot of this machine (Here) looks at beyond
// envup's state, and whether it keeps what it learned.
type HereOptions struct {
	// State is envup's state, when the caller has read it; nil: Here
	// reads it from the platform's state folder.
	State   *state.State
	Recipes []string    // recipes whose virtualenvs are recorded too
	Venvs   []KnownVenv // more virtualenvs known by name
	Options             // Take's: VenvRoots, Root, Version, and Memo when the run has one (Venvs are Here's)
	// Keep saves the versions it learned in the state (not for check,
	// which changes nothing).
	Keep bool
}

// Here takes a snapshot of this machine, p, through sys: the venvs of
// envup's state, of the recipes named and the ones given, and those under
// the venv roots.
func Here(ctx context.Context, sys system.System, p detect.Platform, o HereOptions) (*Snapshot, error) {
	st := o.State
	if st == nil {
		var err error
		if st, err = state.Load(sys, p.Dirs.State); err != nil {
			return nil, err
		}
	}
	known := StateVenvs(st)
	for _, path := range o.Recipes {
		r, err := recipe.Load(path, p)
		if err != nil {
			return nil, err
		}
		known = append(known, RecipeVenvs(r)...)
	}
	opts := o.Options
	opts.Venvs = append(known, o.Venvs...)
	if opts.Memo == nil { // the run's own, with what its plan learned, else the state's
		opts.Memo = state.NewMemo(st.Memo)
	}
	s, err := Take(ctx, sys, p, opts)
	if err == nil && o.Keep && opts.Memo.Changed() {
		keepMemo(ctx, sys, p.Dirs.State, opts.Memo)
	}
	return s, err
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

// RecipeVenvs are the virtualenvs a recipe names.
func RecipeVenvs(r *recipe.Recipe) []KnownVenv {
	var out []KnownVenv
	for key, v := range r.Virtualenvs {
		out = append(out, KnownVenv{Name: key, Path: v.Path, FoundBy: "recipe"})
	}
	return out
}

// readSide reads a side of diff given as a file: a recipe, whose path
// it returns for loading later, or a snapshot, which it reads (Read's
// bounds). A .json file is a snapshot and a .yml or .yaml one a recipe;
// any other is a snapshot when it starts with "{". The file is opened
// once, so a named pipe (diff <(ssh lab-7 envup snapshot) here) is read
// whole, its first bytes included.
func readSide(path string) (recipePath string, snap *Snapshot, err error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".yml" || ext == ".yaml" {
		return path, nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	var size int64
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	var r io.Reader = f
	if ext != ".json" {
		head := make([]byte, 512)
		n, err := io.ReadFull(f, head)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return "", nil, err
		}
		if !bytes.HasPrefix(bytes.TrimSpace(head[:n]), []byte("{")) {
			return path, nil, nil
		}
		r = io.MultiReader(bytes.NewReader(head[:n]), f)
	}
	snap, err = readSized(r, path, size)
	return "", snap, err
}
