package cli

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/lock"
	"github.com/envup/envup/internal/mirror"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
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
				return &exitError{code: exitUsage, err: errors.New("--to DIR is required: the mirror folder to fill")}
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
	if len(asked) == 0 && !opts.all && old != nil && g.platform == "" {
		asked = slices.Sorted(maps.Keys(old.Platforms))
	}
	platforms, err := g.lockPlatforms(asked, opts.all)
	if err != nil {
		return nil, err
	}

	host, err := detect.Detect()
	if err != nil {
		return nil, err
	}
	sizes := knownSizes(old, host.Dirs.Cache)

	// Each platform's entry: the lock's when it is there and fresh, else
	// resolved now.
	lf := &lock.File{Schema: lock.Schema, Recipe: detect.Base(path), Platforms: map[string]*lock.Platform{}}
	type need struct {
		a         install.Artifact
		platforms []string
	}
	needs := map[string]*need{} // by sha256
	var order []string
	recipeDir := filepath.Dir(path)
	for _, p := range platforms {
		r, err := recipe.Load(path, p)
		if err != nil {
			return nil, err
		}
		key, lp := old.For(p)
		digest, err := lock.Digest(r.Path, p)
		if err != nil {
			return nil, err
		}
		switch {
		case lp == nil:
			fmt.Fprintf(g.stderr, "envup: %s is not in %s: resolved now (envup lock keeps it)\n", p, lock.PathFor(path))
		case lp.Recipe != digest:
			fmt.Fprintf(g.stderr, "envup: %s is older than the recipe for %s: resolved now (envup lock renews it)\n", lock.PathFor(path), key)
			lp = nil
		}
		if lp == nil {
			if lp, err = lock.Resolve(ctx, r, p, g.buildOptions(nil, nil, &opts.install), system.NewReal(), sizes); err != nil {
				if opts.all && !slices.Contains(opts.platforms, p.String()) {
					fmt.Fprintf(g.stderr, "envup: not fetched for %s: %v\n", p, err)
					continue
				}
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			key = p.String()
		}
		lf.Platforms[key] = lp
		for _, id := range slices.Sorted(maps.Keys(lp.Resources)) {
			for _, a := range lp.Resources[id].Artifacts {
				n, ok := needs[a.SHA256]
				if !ok {
					a.URL = lock.Rel(recipeDir, a.URL)
					n = &need{a: a}
					needs[a.SHA256] = n
					order = append(order, a.SHA256)
				}
				if !slices.Contains(n.platforms, key) {
					n.platforms = append(n.platforms, key)
				}
			}
		}
	}

	if err := os.MkdirAll(opts.to, 0o755); err != nil {
		return nil, err
	}
	fetcher := fetch.New(fetch.Options{
		CacheDir: host.Dirs.Cache,
		Mirrors:  opts.install.mirrors,
		Offline:  opts.install.offline,
		For:      strings.Join(slices.Sorted(maps.Keys(lf.Platforms)), ", "),
		Progress: g.stderr,
		Log:      slog.Default(),
	})
	wants := make([]fetch.Want, len(order))
	for i, sum := range order {
		a := needs[sum].a
		wants[i] = fetch.Want{URL: a.URL, SHA256: a.SHA256, Name: a.Name, Size: a.Size}
	}
	paths, getErr := fetcher.GetAll(ctx, wants, opts.jobs)
	ix, err := mirror.ReadIndex(opts.to)
	if err != nil {
		return nil, err
	}
	var errs []error
	added := 0
	for i, sum := range order {
		n := needs[sum]
		if paths[i] == "" {
			continue // GetAll's error names it, with its URL
		}
		// The name comes from a lock, which anyone can edit: it must be
		// a plain file name in the folder.
		if !mirror.ValidName(n.a.Name) {
			errs = append(errs, fmt.Errorf("%s (for %s): not a file name a mirror folder can hold", n.a.Name, strings.Join(n.platforms, ", ")))
			continue
		}
		ix.Drop(n.a.Name, sum) // a file of that name with other bytes is replaced
		dst := filepath.Join(opts.to, n.a.Name)
		size, err := place(paths[i], dst, sum)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", n.a.Name, err))
			continue
		}
		if err := ix.Add(mirror.IndexFile{Name: n.a.Name, URL: n.a.URL, SHA256: sum, Size: size, Platforms: n.platforms}); err != nil {
			errs = append(errs, err)
			continue
		}
		added++
	}
	if err := ix.Write(opts.to); err != nil {
		return nil, err
	}
	keys := slices.Sorted(maps.Keys(lf.Platforms))
	if g.output == "text" && !opts.quiet {
		fmt.Fprintf(g.stdout, "%s: %d files for %s\n", opts.to, added, strings.Join(keys, ", "))
	}
	if getErr != nil || len(errs) > 0 {
		return nil, errors.Join(append([]error{getErr}, errs...)...)
	}
	return &fetched{lock: lf, platforms: keys, files: added}, nil
}

// place puts the cached file at dst, unless dst already holds it; the
// copy is verified before it gets its name. It returns the size.
func place(cached, dst, sum string) (int64, error) {
	if fi, err := os.Stat(dst); err == nil && fetch.Verified(dst, sum) == nil {
		return fi.Size(), nil
	}
	in, err := os.Open(cached)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".envup-*.part")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, in)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	if err := fetch.Verified(tmp.Name(), sum); err != nil {
		return 0, err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil { // readable by the web server or file share that serves it
		return 0, err
	}
	return n, os.Rename(tmp.Name(), dst)
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
			if !strings.HasSuffix(strings.ToLower(opts.out), ".tar") {
				return &exitError{code: exitUsage, err: errors.New("-o FILE.tar is required: the bundle to write (lab.tar; apply knows a bundle by .tar)")}
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
	work, err := os.MkdirTemp("", "envup-bundle-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return err
	}
	if home, err := os.UserHomeDir(); err == nil && dir == filepath.Clean(home) {
		return fmt.Errorf("%s lies in your home folder itself: bundle packs the recipe's folder, so give the recipe a folder of its own", path)
	}
	fo := opts.fetchOptions
	fo.to = filepath.Join(work, "mirror")
	fo.quiet = true
	res, err := runFetch(ctx, g, path, &fo)
	if err != nil {
		return err
	}
	lockData, err := res.lock.Bytes()
	if err != nil {
		return err
	}
	manifest, err := json.MarshalIndent(bundleManifest{Envup: 1, Recipe: "recipe/" + detect.Base(path), Mirror: "mirror", Platforms: res.platforms}, "", "  ")
	if err != nil {
		return err
	}

	outAbs, _ := filepath.Abs(opts.out)
	tmp, err := os.CreateTemp(filepath.Dir(outAbs), ".envup-bundle-*.part")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	tw := tar.NewWriter(tmp)
	addBytes := func(name string, data []byte) error {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	if err := addBytes(bundleManifestName, append(manifest, '\n')); err != nil {
		return err
	}
	lockName := detect.Base(lock.PathFor(path))
	if err := addTree(tw, filepath.Dir(path), "recipe", func(rel string) bool {
		abs, _ := filepath.Abs(filepath.Join(filepath.Dir(path), rel))
		return rel == lockName || abs == outAbs || strings.HasSuffix(rel, ".tar")
	}); err != nil {
		return err
	}
	if err := addBytes("recipe/"+lockName, lockData); err != nil {
		return err
	}
	if err := addTree(tw, fo.to, "mirror", nil); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// The bundle must stand alone: its recipe loads from what it holds
	// (an include outside the recipe's folder would be left behind).
	if err := checkBundle(tmp.Name(), "recipe/"+detect.Base(path), res.platforms); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), opts.out); err != nil {
		return err
	}
	fi, _ := os.Stat(opts.out)
	fmt.Fprintf(g.stdout, "wrote %s (%.1f MB: the recipe's folder, its lock, %d files for %s); on a seat: envup apply %s\n",
		opts.out, float64(fi.Size())/1e6, res.files, strings.Join(res.platforms, ", "), detect.Base(opts.out))
	return nil
}

// checkBundle unpacks the bundle into a temporary folder and loads its
// recipe for each platform it was made for.
func checkBundle(tarPath, recipeRel string, platforms []string) error {
	dir, err := os.MkdirTemp("", "envup-bundle-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := fetch.Extract(tarPath, filepath.Join(dir, "b"), fetch.ExtractOptions{}); err != nil {
		return err
	}
	for _, key := range platforms {
		p, err := detect.ParsePlatform(key)
		if err != nil {
			return err
		}
		if _, err := recipe.Load(filepath.Join(dir, "b", filepath.FromSlash(recipeRel)), p); err != nil {
			return fmt.Errorf("the bundle's recipe does not load from the bundle alone for %s (does it include or name a file outside its folder?): %w", key, err)
		}
	}
	return nil
}

// addTree adds the regular files under dir to tw under prefix, in name
// order, leaving out hidden files, what skip says, and folders that are
// a mirror (an index.json) or a virtualenv (a pyvenv.cfg): a bundle
// carries its own mirror, and a venv is made on the seat.
func addTree(tw *tar.Writer, dir, prefix string, skip func(rel string) bool) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			for _, marker := range []string{"index.json", "pyvenv.cfg"} {
				if _, err := os.Stat(filepath.Join(p, marker)); err == nil {
					return filepath.SkipDir
				}
			}
		}
		if d.IsDir() || !d.Type().IsRegular() || (skip != nil && skip(filepath.ToSlash(rel))) {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		hdr := &tar.Header{Name: prefix + "/" + filepath.ToSlash(rel), Mode: int64(fi.Mode().Perm()), Size: fi.Size(), Typeflag: tar.TypeReg, ModTime: fi.ModTime()}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err = io.Copy(tw, f)
		return err
	})
}
