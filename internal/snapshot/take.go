package snapshot

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// Options say where Take looks beyond what it finds by itself.
type Options struct {
	Memo *state.Memo // remembered interpreter and server versions; nil remembers nothing
	// Venvs are virtualenvs known by name: those in envup's state and
	// those a recipe names. FoundBy says which.
	Venvs []KnownVenv
	// VenvRoots are folders whose subfolders holding a pyvenv.cfg are
	// venvs too (~/.virtualenvs, a project folder).
	VenvRoots []string
	// Root is where the OS package databases are read (ENVUP_ROOT); "" is /.
	Root    string
	Version string           // envup's version, written in the snapshot
	Now     func() time.Time // nil: time.Now
}

// KnownVenv is a venv envup knows by name.
type KnownVenv = install.KnownVenv

// Take records the machine p describes, read through sys: each kind of
// the registry that has a Part, side by side. A part that fails is named
// in Skipped and the rest is still taken.
func Take(ctx context.Context, sys system.System, p detect.Platform, opts Options) (*Snapshot, error) {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	s := &Snapshot{Schema: Schema, Taken: now().UTC().Truncate(time.Second), Envup: opts.Version, Platform: p, Parts: map[string]any{}}
	if h, err := os.Hostname(); err == nil && !p.Foreign {
		s.Host = h
	}
	look := install.Look{Platform: p, Memo: opts.Memo, Venvs: opts.Venvs, VenvRoots: opts.VenvRoots, Root: opts.Root}
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		skipped = []string{}
	)
	for _, part := range parts() {
		wg.Go(func() {
			seen, errs := part.Inspect(ctx, sys, look)
			mu.Lock()
			defer mu.Unlock()
			s.Parts[part.Section()] = seen
			for _, err := range errs {
				skipped = append(skipped, fmt.Sprintf("%s: %v", part.Section(), err))
			}
		})
	}
	wg.Wait()
	slices.Sort(skipped)
	s.Skipped = skipped
	// Paths under the home folder are written ~/….
	home := p.HomePath()
	for _, part := range parts() {
		part.Tilde(s.Parts[part.Section()], home)
	}
	d := &s.Platform.Dirs
	for _, p := range []*string{&d.Data, &d.Cache, &d.State, &d.Bin, &d.Config} {
		*p = home.Collapse(*p)
	}
	s.Platform.Home = home.Collapse(p.Home)
	return s, ctx.Err()
}

// StateVenvs are the venvs the applies in st made, newest first, each name once.
func StateVenvs(st *state.State) []KnownVenv {
	var out []KnownVenv
	seen := map[string]bool{}
	for i := len(st.Applies) - 1; i >= 0; i-- {
		a := st.Applies[i]
		for _, name := range slices.Sorted(maps.Keys(a.Virtualenvs)) {
			if !seen[name] {
				seen[name] = true
				out = append(out, KnownVenv{Name: name, Path: a.Virtualenvs[name], FoundBy: "state"})
			}
		}
	}
	return out
}
