package lock

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/install"
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

// ResolvePath loads the recipe at path for p and resolves it as a fresh
// host of that kind (Resolve).
func ResolvePath(ctx context.Context, path string, p detect.Platform, opts install.Options, files system.System, sizes func(string) int64) (*Platform, error) {
	r, err := recipe.Load(path, p)
	if err != nil {
		return nil, err
	}
	return Resolve(ctx, r, p, opts, files, sizes)
}

// EntriesOptions say how Entries finds each platform's entry.
type EntriesOptions struct {
	Old   *File           // the lock as it is: its fresh entries are taken
	Plan  install.Options // for what is resolved now
	Sizes func(sha string) int64
	Log   io.Writer // told what is resolved now, and why
	// Skip says whether a platform that cannot be resolved is left out
	// (it has said so) rather than ending Entries with its error.
	Skip func(p detect.Platform, err error) bool
}

// Entries is the lock entry of the recipe at path for each platform: the
// old lock's when it holds a fresh one, else resolved now. It returns the
// entries' keys in the order of platforms.
func Entries(ctx context.Context, path string, platforms []detect.Platform, o EntriesOptions) (*File, []string, error) {
	lf := &File{Schema: Schema, Recipe: detect.LocalPath(path).Base(), Platforms: map[string]*Platform{}}
	var keys []string
	for _, p := range platforms {
		r, err := recipe.Load(path, p)
		if err != nil {
			return nil, nil, err
		}
		key, lp := o.Old.For(p)
		digest, err := Digest(r.Path, p)
		if err != nil {
			return nil, nil, err
		}
		switch {
		case lp == nil:
			fmt.Fprintf(o.Log, "envup: %s is not in %s: resolved now (envup lock keeps it)\n", p, PathFor(path))
		case lp.Recipe != digest:
			fmt.Fprintf(o.Log, "envup: %s is older than the recipe for %s: resolved now (envup lock renews it)\n", PathFor(path), key)
			lp = nil
		}
		if lp == nil {
			if lp, err = resolveWith(ctx, r, p, o.Plan, system.NewReal(), o.Sizes, digest); err != nil {
				if o.Skip != nil && o.Skip(p, err) {
					continue
				}
				return nil, nil, fmt.Errorf("%s: %w", p, err)
			}
			key = p.String()
		}
		lf.Platforms[key] = lp
		keys = append(keys, key)
	}
	return lf, keys, nil
}

// Sizes finds a file's size by its sha256: in the old lock, else in the
// download cache in cacheDir.
func Sizes(old *File, cacheDir string) func(string) int64 {
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

// Summary is the entry in one line: each resource's version, and how
// many files.
func (lp *Platform) Summary() string {
	var parts []string
	for _, id := range slices.Sorted(maps.Keys(lp.Resources)) {
		if r := lp.Resources[id]; r.Version != "" {
			parts = append(parts, id+" "+r.Version)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing to resolve")
	}
	s := fmt.Sprintf("%s; %d files", strings.Join(parts, ", "), lp.Files())
	if n := lp.OptionalFiles(); n > 0 {
		s += fmt.Sprintf(" and %d optional", n)
	}
	return s
}

// Files counts the files the platform's entry pins that its resources
// need (not the optional ones).
func (lp *Platform) Files() int { return lp.count(false) }

// OptionalFiles counts the optional files the platform's entry pins.
func (lp *Platform) OptionalFiles() int { return lp.count(true) }

func (lp *Platform) count(optional bool) int {
	n := 0
	for _, r := range lp.Resources {
		for _, a := range r.Artifacts {
			if a.Optional == optional {
				n++
			}
		}
	}
	return n
}

// Keys are the lock's platforms, sorted.
func (f *File) Keys() []string { return slices.Sorted(maps.Keys(f.Platforms)) }
