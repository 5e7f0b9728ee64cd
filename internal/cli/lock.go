package cli

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/host"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/lock"
	"github.com/envup/envup/internal/system"
)

type lockOptions struct {
	platforms []string
	all       bool
	install   installFlags
}

func newLockCmd(g *globals) *cobra.Command {
	opts := &lockOptions{}
	cmd := &cobra.Command{
		Use:   "lock RECIPE",
		Short: "Write RECIPE.lock: each resource's version and files, for every platform asked",
		Long: `lock resolves the recipe for each platform (this host by default) as for a
fresh machine of that kind, and writes RECIPE.lock beside it: every
interpreter's and service's exact version, and every file they, the fonts
and the wheelhouse need, with URL, size (when known) and sha256. apply pins
what it resolves to the lock; apply --locked refuses anything it lacks.
Entries for platforms not asked this time are kept; a re-lock with nothing
new writes the same bytes.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLock(cmd.Context(), g, args[0], opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.platforms, "platform", nil, "lock for this platform (repeatable): windows/5.1/386, macos/10.7/amd64, linux/debian/12/amd64")
	cmd.Flags().BoolVar(&opts.all, "all-platforms", false, "lock for every platform of a mixed lab: "+strings.Join(lock.AllPlatforms, ", "))
	cmd.Flags().BoolVar(&opts.install.allowUnverified, "allow-unverified", false, "take catalog downloads whose sha256 comes from weak sources")
	return cmd
}

// lockPlatforms are the platforms asked: --platform, --all-platforms, or
// this host.
func (g *globals) lockPlatforms(asked []string, all bool) ([]detect.Platform, error) {
	names := slices.Clone(asked)
	if all {
		names = append(names, lock.AllPlatforms...)
	}
	if len(names) == 0 {
		p, err := detect.Detect()
		if err != nil {
			return nil, err
		}
		return []detect.Platform{p}, nil
	}
	var out []detect.Platform
	seen := map[string]bool{}
	for _, n := range names {
		p, err := detect.ParsePlatform(n)
		if err != nil {
			return nil, usagef("--platform: %w", err)
		}
		if !seen[p.String()] {
			seen[p.String()] = true
			out = append(out, p)
		}
	}
	return out, nil
}

func runLock(ctx context.Context, g *globals, path string, opts *lockOptions) error {
	platforms, err := g.lockPlatforms(opts.platforms, opts.all)
	if err != nil {
		return err
	}
	lockPath := lock.PathFor(path)
	old, err := lock.Read(lockPath)
	if err != nil {
		return err
	}
	f := &lock.File{Schema: lock.Schema, Recipe: detect.LocalPath(path).Base(), Platforms: map[string]*lock.Platform{}}
	if old != nil {
		maps.Copy(f.Platforms, old.Platforms)
	}
	here, err := detect.Detect()
	if err != nil {
		return err
	}
	sizes := lock.Sizes(old, here.Dirs.Cache)
	var (
		failed []string
		js     = lockJS{File: lockPath, Locked: []lockedJS{}, NotLocked: []notLockedJS{}}
	)
	for _, p := range platforms {
		lp, err := lock.ResolvePath(ctx, path, p, host.PlanOptions(nil, nil, g.hostOptions(&opts.install)), system.NewReal(), sizes)
		if err != nil {
			if opts.all && !slices.Contains(opts.platforms, p.String()) {
				failed = append(failed, fmt.Sprintf("%s: %v", p, err))
				js.NotLocked = append(js.NotLocked, notLockedJS{Platform: p.String(), Error: err.Error()})
				continue
			}
			return fmt.Errorf("%s: %w", p, err)
		}
		f.Platforms[p.String()] = lp
		js.Locked = append(js.Locked, lockedJS{Platform: p.String(), Files: lp.Files(), Optional: lp.OptionalFiles(), Resources: lp.Resources})
		if g.output == "text" {
			fmt.Fprintf(g.stdout, "%s: %s\n", p, lp.Summary())
		}
	}
	if len(f.Platforms) == 0 {
		return errors.New("no platform could be locked:\n  " + strings.Join(failed, "\n  "))
	}
	wrote, err := f.WriteChanged(lockPath)
	if err != nil {
		return err
	}
	for _, why := range failed {
		fmt.Fprintf(g.stderr, "envup: not locked: %s\n", why)
	}
	if g.output == "json" {
		js.Written, js.Platforms = wrote, f.Keys()
		return g.emit("lock", js)
	}
	if wrote {
		fmt.Fprintf(g.stdout, "wrote %s (%d platforms)\n", lockPath, len(f.Platforms))
	} else {
		fmt.Fprintf(g.stdout, "%s is up to date\n", lockPath)
	}
	return nil
}

// lockJS is lock's --output json document.
type lockJS struct {
	File      string        `json:"file"`      // the lock
	Written   bool          `json:"written"`   // false: it already held these bytes
	Platforms []string      `json:"platforms"` // every platform the lock holds now, asked or kept
	Locked    []lockedJS    `json:"locked"`    // the platforms resolved this time
	NotLocked []notLockedJS `json:"not_locked"`
}

// lockedJS is one platform lock resolved.
type lockedJS struct {
	Platform  string                    `json:"platform"`
	Files     int                       `json:"files"`    // files the resources need
	Optional  int                       `json:"optional"` // files they do without (install.Artifact.Optional)
	Resources map[string]install.Pinned `json:"resources"`
}

// notLockedJS is a platform --all-platforms could not lock, and why.
type notLockedJS struct {
	Platform string `json:"platform"`
	Error    string `json:"error"`
}
