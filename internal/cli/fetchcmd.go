package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/bundle"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/host"
	"github.com/envup/envup/internal/lock"
	"github.com/envup/envup/internal/mirror"
)

type fetchOptions struct {
	platforms []string
	all       bool
	to        string
	jobs      int
	quiet     bool // a bundle's own fetch: its temp folder is no news
	install   installFlags
}

func newFetchCmd(g *globals) *cobra.Command {
	opts := &fetchOptions{}
	cmd := &cobra.Command{
		Use:   "fetch RECIPE --to DIR",
		Short: "Fill a mirror folder with every file the recipe's lock names, for the platforms asked",
		Long: `fetch brings every file the lock (RECIPE.lock) names for each platform —
interpreters, Redis, fonts, the wheelhouse — into DIR, verified by sha256,
with an index.json, downloading at most --jobs at a time. A platform the
lock does not hold (or a stale lock) is resolved now, and said. Then any
machine of those platforms applies with no network:

  envup apply --mirror DIR --offline RECIPE

Without --platform, every platform in the lock (else this host).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.to == "" {
				return usage(errors.New("--to DIR is required: the mirror folder to fill"))
			}
			_, err := runFetch(cmd.Context(), g, args[0], opts)
			return err
		},
	}
	cmd.Flags().StringArrayVar(&opts.platforms, "platform", nil, "fetch for this platform (repeatable)")
	cmd.Flags().BoolVar(&opts.all, "all-platforms", false, "fetch for every platform of a mixed lab")
	cmd.Flags().StringVar(&opts.to, "to", "", "the mirror folder to fill (made when missing)")
	cmd.Flags().IntVar(&opts.jobs, "jobs", fetch.DefaultJobs, "downloads at a time")
	addDownloadFlags(cmd, &opts.install)
	return cmd
}

// fetched is what a fetch put in the mirror: the lock it followed (made
// afresh where needed) and the platforms.
type fetched struct {
	lock      *lock.File
	platforms []string
	files     int
}

func runFetch(ctx context.Context, g *globals, path string, opts *fetchOptions) (*fetched, error) {
	old, err := lock.Read(lock.PathFor(path))
	if err != nil {
		return nil, err
	}
	asked := slices.Clone(opts.platforms)
	if len(asked) == 0 && !opts.all && old != nil {
		asked = old.Keys()
	}
	platforms, err := g.lockPlatforms(asked, opts.all)
	if err != nil {
		return nil, err
	}
	here, err := detect.Detect()
	if err != nil {
		return nil, err
	}
	// Each platform's entry: the lock's when it is there and fresh, else
	// resolved now.
	lf, keys, err := lock.Entries(ctx, path, platforms, lock.EntriesOptions{
		Old:   old,
		Plan:  host.PlanOptions(nil, nil, g.hostOptions(&opts.install)),
		Sizes: lock.Sizes(old, here.Dirs.Cache),
		Log:   g.info,
		Skip: func(p detect.Platform, err error) bool {
			if opts.all && !slices.Contains(opts.platforms, p.String()) {
				fmt.Fprintf(g.stderr, "envup: not fetched for %s: %v\n", p, err)
				return true
			}
			return false
		},
	})
	if err != nil {
		return nil, err
	}
	fetcher := fetch.New(fetch.Options{
		CacheDir: here.Dirs.Cache,
		Mirrors:  opts.install.mirrors,
		Offline:  opts.install.offline,
		For:      strings.Join(lf.Keys(), ", "),
		Progress: g.info,
		Log:      slog.Default(),
	})
	getAll := func(ctx context.Context, wants []fetch.Want) ([]string, error) {
		return fetcher.GetAll(ctx, wants, opts.jobs)
	}
	added, missed, failed, err := mirror.Fill(ctx, opts.to, mirror.Needs(lf, keys, filepath.Dir(path)), getAll)
	if err != nil {
		return nil, err
	}
	for _, m := range missed {
		instead := m.File.Instead
		if instead == "" {
			instead = "they do without it"
		}
		fmt.Fprintf(g.stderr, "envup: warning: optional %s not fetched: %v; the seats apply without it: %s\n", m.File.Name, m.Err, instead)
	}
	switch {
	case opts.quiet:
	case g.output == "json":
		if err := g.emit("fetch", fetchJS{Dir: opts.to, Files: added, OptionalMissing: len(missed), Platforms: lf.Keys()}); err != nil {
			return nil, err
		}
	default:
		line := fmt.Sprintf("%s: %d files for %s", opts.to, added, strings.Join(lf.Keys(), ", "))
		if len(missed) > 0 {
			line += fmt.Sprintf(" (%d optional not fetched)", len(missed))
		}
		fmt.Fprintln(g.stdout, line)
	}
	if failed != nil {
		return nil, failed
	}
	return &fetched{lock: lf, platforms: lf.Keys(), files: added}, nil
}

// fetchJS is fetch's --output json document.
type fetchJS struct {
	Dir       string   `json:"dir"`       // the mirror folder
	Files     int      `json:"files"`     // files added to it this time
	Platforms []string `json:"platforms"` // the platforms they are for
	// OptionalMissing counts the optional files it could not have (each
	// said in a warning): the seats do without them.
	OptionalMissing int `json:"optional_missing"`
}

// bundleJS is bundle's --output json document.
type bundleJS struct {
	File      string   `json:"file"`      // the bundle written
	Bytes     int64    `json:"bytes"`     // its size
	Files     int      `json:"files"`     // files in its mirror
	Platforms []string `json:"platforms"` // the platforms it is for
}

type bundleOptions struct {
	fetchOptions
	out string
}

func newBundleCmd(g *globals) *cobra.Command {
	opts := &bundleOptions{}
	cmd := &cobra.Command{
		Use:   "bundle RECIPE --platform P -o lab.tar",
		Short: "Pack the recipe, its lock, its folder's files and every file it needs into one archive",
		Long: `bundle writes one tar for a USB stick: the recipe's folder (the recipe, what it
includes, its files, fonts and wheelhouse), the lock for the platforms asked,
and a mirror of every file the lock names. On a seat:

  envup apply lab.tar

unpacks it once into the cache and applies offline from its mirror.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !bundle.Is(opts.out) {
				return usage(errors.New("-o FILE.tar is required: the bundle to write (lab.tar; apply knows a bundle by .tar)"))
			}
			return runBundle(cmd.Context(), g, args[0], opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.platforms, "platform", nil, "bundle for this platform (repeatable; default: every platform in the lock, else this host)")
	cmd.Flags().BoolVar(&opts.all, "all-platforms", false, "bundle for every platform of a mixed lab")
	cmd.Flags().StringVarP(&opts.out, "out", "o", "", "the bundle to write")
	cmd.Flags().IntVar(&opts.jobs, "jobs", fetch.DefaultJobs, "downloads at a time")
	addDownloadFlags(cmd, &opts.install)
	return cmd
}

func runBundle(ctx context.Context, g *globals, path string, opts *bundleOptions) error {
	var res *fetched
	size, err := bundle.Create(opts.out, path, func(mirrorDir string) (*bundle.Filled, error) {
		fo := opts.fetchOptions
		fo.to, fo.quiet = mirrorDir, true
		var err error
		if res, err = runFetch(ctx, g, path, &fo); err != nil {
			return nil, err
		}
		data, err := res.lock.Bytes()
		if err != nil {
			return nil, err
		}
		return &bundle.Filled{Lock: data, Platforms: res.platforms}, nil
	})
	if err != nil {
		return err
	}
	if g.output == "json" {
		return g.emit("bundle", bundleJS{File: opts.out, Bytes: size, Files: res.files, Platforms: res.platforms})
	}
	fmt.Fprintf(g.stdout, "wrote %s (%.1f MB: the recipe's folder, its lock, %d files for %s); on a seat: envup apply %s\n",
		opts.out, float64(size)/1e6, res.files, strings.Join(res.platforms, ", "), detect.LocalPath(opts.out).Base())
	return nil
}
