package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/host"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/recipe"
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
	if err == nil && !g.hostWarned {
		g.hostWarned = true
		if msg := detect.Unsupported(p); msg != "" {
			fmt.Fprintf(g.stderr, "envup: warning: %s\n", msg)
		}
		if len(p.Dirs.Ignored) > 0 {
			fmt.Fprintf(g.stderr, "envup: warning: %s ignored: not an absolute path\n", strings.Join(p.Dirs.Ignored, ", "))
		}
	}
	return p, err
}

// load reads a recipe for the host and builds its plan.
func (g *globals) load(path string, flags *installFlags) (*host.Host, *recipe.Recipe, *plan.Plan, error) {
	h, r, err := g.open(path, flags)
	if err != nil {
		return nil, nil, nil, err
	}
	pl, err := h.Plan(r)
	if err != nil {
		return nil, nil, nil, err
	}
	return h, r, pl, nil
}

// open reads the recipe once for the host the flags name (see host.Open).
func (g *globals) open(path string, flags *installFlags) (*host.Host, *recipe.Recipe, error) {
	p, err := g.detectPlatform()
	if err != nil {
		return nil, nil, err
	}
	return host.Open(path, p, g.hostOptions(flags))
}

// hostOptions are the flags as host.Open and host.PlanOptions take them.
func (g *globals) hostOptions(flags *installFlags) host.Options {
	return host.Options{
		Mirrors:         flags.mirrors,
		Offline:         flags.offline,
		SourceStrict:    flags.sourceStrict,
		AllowUnverified: flags.allowUnverified,
		Locked:          flags.locked,
		Log:             g.info,
		Live:            g.live(),
	}
}

// live is where long commands (builds) show their output as it comes:
// the terminal with -v, else nowhere (the tail is in any error).
func (g *globals) live() io.Writer {
	if g.verbose && g.output == "text" {
		return g.stderr
	}
	return nil
}

// elsewhere says the command was pointed at another host (--platform or
// --facts): what only works on this one refuses.
func (g *globals) elsewhere() bool { return g.platform != "" || g.facts != "" }
