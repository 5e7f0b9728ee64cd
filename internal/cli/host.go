package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/bundle"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/install/interpreter"
	"github.com/envup/envup/internal/lock"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// installFlags are the flags of the commands that observe and install
// (plan, apply, check): where downloads come from and how strict to be.
type installFlags struct {
	mirrors         []string
	offline         bool
	sourceStrict    bool
	allowUnverified bool
	locked          bool // resolve nothing the recipe's lock lacks
}

func addInstallFlags(cmd *cobra.Command, f *installFlags) {
	addDownloadFlags(cmd, f)
	fl := cmd.Flags()
	fl.BoolVar(&f.sourceStrict, "source-strict", false, "fail instead of falling back to a later source")
	fl.BoolVar(&f.locked, "locked", false, "fail instead of resolving anything the recipe's lock (RECIPE.lock) does not hold")
}

// addDownloadFlags are the flags of every command that brings files:
// where they come from, and whether weakly pinned ones are taken.
func addDownloadFlags(cmd *cobra.Command, f *installFlags) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.mirrors, "mirror", nil, "look for downloads by file name in this folder or URL first (repeatable; also ENVUP_MIRROR and the recipe's mirror:)")
	fl.BoolVar(&f.offline, "offline", false, "never download from the origin: only the cache and the mirrors")
	fl.BoolVar(&f.allowUnverified, "allow-unverified", false, "take catalog downloads whose sha256 comes from weak sources")
}

// host is the machine a command works on: this one, detected and seen
// through system.Real, or another one named with --platform, which can
// only be planned for (seen through system.Absent: nothing is there yet).
type host struct {
	platform detect.Platform
	sys      system.System
	memo     *state.Memo
	state    *state.State   // read once a run (nil for another host)
	lock     *lock.Platform // the recipe's lock for this host, when it has a fresh one
	mirrors  []string
}

func (g *globals) detectPlatform() (detect.Platform, error) {
	if g.facts != "" {
		if g.platform != "" {
			return detect.Platform{}, usage(errors.New("--facts and --platform both name the host: give one"))
		}
		return factsPlatform(g.facts)
	}
	if g.platform != "" {
		p, err := detect.ParsePlatform(g.platform)
		if err != nil {
			return p, usagef("--platform: %w", err)
		}
		return p, nil
	}
	p, err := detect.Detect()
	if msg := detect.Unsupported(p); err == nil && msg != "" && !g.unsupportedSaid {
		g.unsupportedSaid = true
		fmt.Fprintf(g.stderr, "envup: warning: %s\n", msg)
	}
	return p, err
}

// load reads a recipe for the host and builds its plan.
func (g *globals) load(path string, flags *installFlags) (*host, *recipe.Recipe, *plan.Plan, error) {
	h, r, err := g.open(path, flags)
	if err != nil {
		return nil, nil, nil, err
	}
	pl, err := g.build(h, r, flags)
	if err != nil {
		return nil, nil, nil, err
	}
	return h, r, pl, nil
}

// open reads the recipe once for the host (the one inside a bundle when
// path is one), pins it to its lock and picks the system to work
// through. The state is read later, by build: apply reads it under its
// lock.
func (g *globals) open(path string, flags *installFlags) (*host, *recipe.Recipe, error) {
	p, err := g.detectPlatform()
	if err != nil {
		return nil, nil, err
	}
	if bundle.Is(path) {
		b, err := bundle.Open(path, p.Dirs.Cache, p.Foreign)
		if err != nil {
			return nil, nil, err
		}
		flags.mirrors = append([]string{b.Mirror}, flags.mirrors...)
		flags.offline = true
		fmt.Fprintf(g.stderr, "envup: applying %s from bundle %s (made for %s), offline\n", b.Manifest.Recipe, path, strings.Join(b.Manifest.Platforms, ", "))
		path = b.Recipe
	}
	r, err := recipe.Load(path, p)
	if err != nil {
		return nil, nil, err
	}
	h := &host{platform: p, sys: system.Absent{}}
	if h.lock, err = g.readLock(r, p, flags); err != nil {
		return nil, nil, err
	}
	h.mirrors = g.mirrors(r, flags)
	if !p.Foreign {
		h.sys = system.NewRealWith(fetch.New(fetch.Options{
			CacheDir: p.Dirs.Cache,
			Mirrors:  h.mirrors,
			Offline:  flags.offline,
			For:      p.String(),
			Progress: g.stderr,
			Log:      slog.Default(),
		}))
	}
	return h, r, nil
}

// build reads the state, on this host, and builds the plan.
func (g *globals) build(h *host, r *recipe.Recipe, flags *installFlags) (*plan.Plan, error) {
	if !h.platform.Foreign {
		st, err := state.Load(h.sys, h.platform.Dirs.State)
		if err != nil {
			return nil, err
		}
		h.state, h.memo = st, state.NewMemo(st.Memo)
	}
	return plan.Build(r, h.platform, g.buildOptions(h.memo, h.mirrors, flags))
}

// buildOptions are what plan.Build needs from the flags.
func (g *globals) buildOptions(memo *state.Memo, mirrors []string, flags *installFlags) plan.Options {
	self, _ := os.Executable() // Windows bin entries are copies of envup itself
	return plan.Options{
		Root:    os.Getenv("ENVUP_ROOT"),
		Mirrors: mirrors,
		Offline: flags.offline,
		Interpreter: interpreter.Options{
			Memo:            memo,
			SourceStrict:    flags.sourceStrict,
			AllowUnverified: flags.allowUnverified,
			Root:            os.Getenv("ENVUP_ROOT"),
			Jobs:            runtime.NumCPU(),
			Log:             g.stderr,
			Live:            g.live(),
			Launcher:        self,
		},
	}
}

// readLock pins the recipe to this host's entry in its lock. A lock
// made for an older recipe is said and left aside; with --locked, a
// missing, stale or foreign lock is an error.
func (g *globals) readLock(r *recipe.Recipe, p detect.Platform, flags *installFlags) (*lock.Platform, error) {
	lp, why, found, err := lock.Fresh(r, p)
	switch {
	case err != nil:
		return nil, err
	case why != "" && flags.locked:
		return nil, fmt.Errorf("--locked: %s", why)
	case why != "" && found:
		fmt.Fprintf(g.stderr, "envup: %s; resolving afresh\n", why)
	}
	return lp, nil
}

// checkLocked refuses, with --locked, a plan that would fetch what the
// lock does not name.
func checkLocked(h *host, flags *installFlags, outcomes []*plan.Outcome) error {
	if !flags.locked || h.lock == nil {
		return nil
	}
	if lacks := h.lock.Lacks(outcomes, system.NewReal()); len(lacks) > 0 {
		return fmt.Errorf("--locked: the plan needs what the lock does not hold:\n  %s", strings.Join(lacks, "\n  "))
	}
	return nil
}

// live is where long commands (builds) show their output as it comes:
// the terminal with -v, else nowhere (the tail is in any error).
func (g *globals) live() io.Writer {
	if g.verbose && g.output == "text" {
		return g.stderr
	}
	return nil
}

// mirrors are where downloads are looked for first: --mirror, then
// ENVUP_MIRROR, then the recipe's mirror: (relative to the recipe).
func (g *globals) mirrors(r *recipe.Recipe, flags *installFlags) []string {
	mirrors := append(append([]string(nil), flags.mirrors...), fetch.MirrorsFromEnv(os.Getenv)...)
	if r.Mirror != "" {
		m := r.Mirror
		if !strings.Contains(m, "://") {
			m = r.Abs(m)
		}
		mirrors = append(mirrors, m)
	}
	return mirrors
}

// writeJSON prints v indented, for --output json.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// lastRecipe is the recipe of the most recent apply on this account.
func lastRecipe(stateDir string) (string, error) {
	st, err := state.Load(system.NewReal(), stateDir)
	if err != nil {
		return "", err
	}
	if len(st.Applies) == 0 {
		return "", usage(errors.New("no recipe given and none applied yet on this account"))
	}
	return st.Applies[len(st.Applies)-1].Recipe, nil
}

// elsewhere says the command was pointed at another host (--platform or
// --facts): what only works on this one refuses.
func (g *globals) elsewhere() bool { return g.platform != "" || g.facts != "" }
