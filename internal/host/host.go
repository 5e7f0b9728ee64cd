// Package host is the machine a command works on: this one, seen through
// system.Real, or another one named with --platform or --facts, which
// can only be planned for (seen through system.Absent: nothing is there
// yet). Open reads the recipe for it, pinned to its lock; Plan reads its
// state and builds the plan; Record keeps what an apply changed.
package host

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"

	"github.com/envup/envup/internal/bundle"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/lock"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/progress"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// Options are what the commands that observe and install are told: where
// downloads come from, how strict to be, and where to say things.
type Options struct {
	Mirrors         []string // --mirror
	Offline         bool     // never download from the origin
	SourceStrict    bool     // fail instead of falling back to a later source
	AllowUnverified bool     // take catalog downloads whose sha256 comes from weak sources
	Locked          bool     // resolve nothing the recipe's lock lacks

	Log  io.Writer // notes, download progress and build logs (stderr)
	Live io.Writer // builds' output as it comes; nil: kept for errors only
}

// Host is the machine a command works on, and what it knows of it.
type Host struct {
	Platform detect.Platform
	Sys      system.System
	Memo     *state.Memo
	State    *state.State   // read by Plan, once a run (nil for another host)
	Lock     *lock.Platform // the recipe's lock for this host, when it has a fresh one
	Mirrors  []string       // where downloads are looked for first (see Mirrors)

	opts    Options        // as Open took them: a bundle's mirror first, offline
	fetcher *fetch.Fetcher // this host's downloads (nil for another host)
}

// Open reads the recipe at path once for the host p (the one inside a
// bundle when path is one: its mirror goes first and the run is offline),
// pins it to its lock and picks the system to work through. The state is
// read later, by Plan: apply reads it under its lock.
func Open(path string, p detect.Platform, opts Options) (*Host, *recipe.Recipe, error) {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if bundle.Is(path) {
		b, err := bundle.Open(path, p.Dirs.Cache, p.Foreign)
		if err != nil {
			return nil, nil, err
		}
		opts.Mirrors = append([]string{b.Mirror}, opts.Mirrors...)
		opts.Offline = true
		fmt.Fprintf(opts.Log, "envup: applying %s from bundle %s (made for %s), offline\n", b.Manifest.Recipe, path, strings.Join(b.Manifest.Platforms, ", "))
		path = b.Recipe
	}
	r, err := recipe.Load(path, p)
	if err != nil {
		return nil, nil, err
	}
	h := &Host{Platform: p, Sys: system.Absent{}, opts: opts}
	if h.Lock, err = readLock(r, p, opts); err != nil {
		return nil, nil, err
	}
	h.Mirrors = Mirrors(r, opts.Mirrors)
	if !p.Foreign {
		h.fetcher = fetch.New(fetch.Options{
			CacheDir: p.Dirs.Cache,
			Mirrors:  h.Mirrors,
			Offline:  opts.Offline,
			For:      p.String(),
			Progress: opts.Log,
			Log:      slog.Default(),
		})
		h.Sys = system.NewRealWith(h.fetcher, progress.New(opts.Log, os.Getenv))
	}
	return h, r, nil
}

// Plan reads the state, on this host, and builds the recipe's plan.
func (h *Host) Plan(r *recipe.Recipe) (*plan.Plan, error) {
	if !h.Platform.Foreign {
		st, err := state.Load(h.Sys, h.Platform.Dirs.State)
		if err != nil {
			return nil, err
		}
		h.State, h.Memo = st, state.NewMemo(st.Memo)
	}
	return plan.Build(r, h.Platform, h.PlanOptions())
}

// PlanOptions are what plan.Build needs, as Open settled them (a
// bundle's mirror first, offline).
func (h *Host) PlanOptions() install.Options { return PlanOptions(h.Memo, h.Mirrors, h.opts) }

// Offline says whether the run must not download from the origin.
func (h *Host) Offline() bool { return h.opts.Offline }

// PlanOptions are what plan.Build needs from the options.
func PlanOptions(memo *state.Memo, mirrors []string, opts Options) install.Options {
	self, _ := os.Executable() // Windows bin entries are copies of envup itself
	return install.Options{
		Memo:            memo,
		SourceStrict:    opts.SourceStrict,
		AllowUnverified: opts.AllowUnverified,
		Root:            os.Getenv("ENVUP_ROOT"),
		Jobs:            runtime.NumCPU(),
		Log:             opts.Log,
		Live:            opts.Live,
		Launcher:        self,
		Mirrors:         mirrors,
		Offline:         opts.Offline,
		Locked:          opts.Locked,
	}
}

// Mirrors are where downloads are looked for first: the flags' (--mirror),
// then ENVUP_MIRROR, then the recipe's mirror: (relative to the recipe).
func Mirrors(r *recipe.Recipe, flags []string) []string {
	mirrors := append(append([]string(nil), flags...), fetch.MirrorsFromEnv(os.Getenv)...)
	if r.Mirror != "" {
		m := r.Mirror
		if !strings.Contains(m, "://") {
			m = r.Abs(m)
		}
		mirrors = append(mirrors, m)
	}
	return mirrors
}
