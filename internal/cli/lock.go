package cli

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/lock"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// AllPlatforms are what `envup lock --all-platforms` locks for: the
// machines of a mixed lab, old and new.
var AllPlatforms = []string{
	"linux/debian/12/amd64", "linux/debian/12/arm64", "linux/ubuntu/22.04/amd64", "linux/ubuntu/24.04/amd64",
	"macos/10.7/amd64", "macos/13/amd64", "macos/14/arm64",
	"windows/5.1/386", "windows/6.1/amd64", "windows/10.0.19045/amd64",
}

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
	cmd.Flags().BoolVar(&opts.all, "all-platforms", false, "lock for every platform of a mixed lab: "+strings.Join(AllPlatforms, ", "))
	cmd.Flags().BoolVar(&opts.install.allowUnverified, "allow-unverified", false, "take catalog downloads whose sha256 comes from weak sources")
	return cmd
}

// lockPlatforms are the platforms asked: --platform, --all-platforms, or
// this host.
func (g *globals) lockPlatforms(asked []string, all bool) ([]detect.Platform, error) {
	names := slices.Clone(asked)
	if all {
		names = append(names, AllPlatforms...)
	}
	if len(names) == 0 && g.platform != "" {
		names = []string{g.platform}
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
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("--platform: %w", err)}
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
	f := &lock.File{Schema: lock.Schema, Recipe: detect.Base(path), Platforms: map[string]*lock.Platform{}}
	if old != nil {
		maps.Copy(f.Platforms, old.Platforms)
	}
	host, err := detect.Detect()
	if err != nil {
		return err
	}
	sizes := knownSizes(old, host.Dirs.Cache)
	var failed []string
	for _, p := range platforms {
		lp, err := resolveFor(ctx, g, path, p, &opts.install, sizes)
		if err != nil {
			if opts.all && !slices.Contains(opts.platforms, p.String()) {
				failed = append(failed, fmt.Sprintf("%s: %v", p, err))
				continue
			}
			return fmt.Errorf("%s: %w", p, err)
		}
		f.Platforms[p.String()] = lp
		if g.output == "text" {
			fmt.Fprintf(g.stdout, "%s: %s\n", p, lockSummary(lp))
		}
	}
	if len(f.Platforms) == 0 {
		return errors.New("no platform could be locked:\n  " + strings.Join(failed, "\n  "))
	}
	data, err := f.Bytes()
	if err != nil {
		return err
	}
	if prev, err := os.ReadFile(lockPath); err == nil && string(prev) == string(data) {
		fmt.Fprintf(g.stdout, "%s is up to date\n", lockPath)
	} else {
		if err := system.NewReal().WriteFile(lockPath, data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(g.stdout, "wrote %s (%d platforms)\n", lockPath, len(f.Platforms))
	}
	for _, why := range failed {
		fmt.Fprintf(g.stderr, "envup: not locked: %s\n", why)
	}
	return nil
}

// resolveFor loads the recipe for p and resolves it as a fresh host.
func resolveFor(ctx context.Context, g *globals, path string, p detect.Platform, flags *installFlags, sizes func(string) int64) (*lock.Platform, error) {
	r, err := recipe.Load(path, p)
	if err != nil {
		return nil, err
	}
	return lock.Resolve(ctx, r, p, g.buildOptions(nil, nil, flags), system.NewReal(), sizes)
}

// knownSizes finds a file's size by its sha256: in the old lock, else in
// this machine's download cache.
func knownSizes(old *lock.File, cacheDir string) func(string) int64 {
	bySum := map[string]int64{}
	if old != nil {
		for _, p := range old.Platforms {
			for _, r := range p.Resources {
				for _, a := range r.Artifacts {
					if a.Size > 0 {
						bySum[a.SHA256] = a.Size
					}
				}
			}
		}
	}
	cache := fetch.New(fetch.Options{CacheDir: cacheDir, Offline: true})
	return func(sum string) int64 {
		if n, ok := bySum[sum]; ok {
			return n
		}
		if name, ok := cache.Lookup(sum); ok {
			if fi, err := os.Stat(name); err == nil {
				return fi.Size()
			}
		}
		return 0
	}
}

func lockSummary(lp *lock.Platform) string {
	var parts []string
	files := 0
	for _, id := range slices.Sorted(maps.Keys(lp.Resources)) {
		r := lp.Resources[id]
		files += len(r.Artifacts)
		if r.Version != "" {
			parts = append(parts, id+" "+r.Version)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing to resolve")
	}
	return fmt.Sprintf("%s; %d files", strings.Join(parts, ", "), files)
}
