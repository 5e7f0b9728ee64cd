// Package lock is a recipe's lockfile, RECIPE.lock beside the recipe:
// for each platform it was made for, every resource's resolved version
// and the files it needs (URL, name, size, sha256). `envup lock` writes
// it, `envup fetch` and `envup bundle` bring its files, and apply pins
// what it resolves to it.
//
// A lock is deterministic: maps are written with sorted keys, lists are
// sorted, and it holds no time, so a re-lock with nothing new is
// byte-identical.
package lock

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Schema is the lock format this envup writes and reads.
const Schema = 1

// File is a whole lockfile.
type File struct {
	Schema    int                  `json:"envup_lock"`
	Recipe    string               `json:"recipe"`    // the recipe's file name
	Platforms map[string]*Platform `json:"platforms"` // by platform, as --platform writes it
}

// Platform is what the recipe resolves to on one platform.
type Platform struct {
	// Recipe is the sha256 of the effective recipe for the platform (what
	// `envup render` prints): when the recipe changes, the lock is stale.
	Recipe    string                    `json:"recipe_sha256"`
	Resources map[string]install.Pinned `json:"resources"` // by resource ID
}

// PathFor is where the lock of the recipe at path lives: path + ".lock".
func PathFor(recipePath string) string { return recipePath + ".lock" }

// Read reads a lockfile. A missing one is (nil, nil).
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	f := &File{}
	if err := json.Unmarshal(data, f); err != nil {
		return nil, fmt.Errorf("%s: not a lock: %w", path, err)
	}
	if f.Schema != Schema {
		return nil, fmt.Errorf("%s: lock format %d is not supported (this envup reads %d)", path, f.Schema, Schema)
	}
	return f, nil
}

// Bytes is the lock as written: indented JSON, keys sorted, lists sorted.
func (f *File) Bytes() ([]byte, error) {
	for _, p := range f.Platforms {
		for id, r := range p.Resources {
			slices.SortFunc(r.Artifacts, func(a, b install.Artifact) int {
				return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.SHA256, b.SHA256))
			})
			p.Resources[id] = r
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Write writes the lock as system.WriteOutput does: atomically, and
// through a symbolic link to its target.
func (f *File) Write(path string) error {
	data, err := f.Bytes()
	if err != nil {
		return err
	}
	return system.WriteOutput(path, data, 0o644)
}

// Digest is the sha256 of the recipe at path in its effective form for
// platform p, read as for a user whose home is ~ (so another user, or the
// same recipe on a seat, reads the same), with the recipe's own folder
// written "." (so the recipe unpacked from a bundle elsewhere does too).
func Digest(path string, p detect.Platform) (string, error) {
	p.Home = "~"
	r, err := recipe.Load(path, p)
	if err != nil {
		return "", err
	}
	data, err := r.YAML()
	if err != nil {
		return "", err
	}
	text := string(data)
	if dir, err := filepath.Abs(r.Dir); err == nil && dir != string(filepath.Separator) {
		for _, sep := range []string{"/", `\`} {
			text = strings.ReplaceAll(text, dir+sep, "."+sep)
		}
	}
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:]), nil
}

// Resolve works out what r, loaded for p, resolves to on a fresh host of
// that kind: the plan is observed through system.Absent, as `plan
// --platform` does, and each resource that installs from downloads says
// its version and files. files reads what lies on this machine (a
// wheelhouse beside the recipe). Sizes are filled from sizes, by sha256,
// when known (an earlier lock, the download cache).
func Resolve(ctx context.Context, r *recipe.Recipe, p detect.Platform, opts install.Options, files system.System, sizes func(sha string) int64) (*Platform, error) {
	return resolveWith(ctx, r, p, opts, files, sizes, "")
}

// resolveWith is Resolve with the recipe's Digest when the caller has it
// already ("": work it out).
func resolveWith(ctx context.Context, r *recipe.Recipe, p detect.Platform, opts install.Options, files system.System, sizes func(sha string) int64, digest string) (*Platform, error) {
	p.Foreign = true
	pl, err := plan.Build(r, p, opts)
	if err != nil {
		return nil, err
	}
	if digest == "" {
		if digest, err = Digest(r.Path, p); err != nil {
			return nil, err
		}
	}
	out := &Platform{Recipe: digest, Resources: map[string]install.Pinned{}}
	var errs []error
	for _, o := range plan.Observe(ctx, system.Absent{}, pl.Resources) {
		pins := o.Resource.Optional().Pins
		if pins == nil {
			continue
		}
		if o.Err != nil {
			errs = append(errs, o.Err)
			continue
		}
		pinned := pins(files, o.Observed)
		if pinned.Version == "" && len(pinned.Artifacts) == 0 {
			continue
		}
		for i, a := range pinned.Artifacts {
			if a.Size == 0 && sizes != nil {
				pinned.Artifacts[i].Size = sizes(a.SHA256)
			}
		}
		out.Resources[o.Resource.ID().String()] = pinned
	}
	return out, errors.Join(errs...)
}

// For finds the lock's entry for host: the platform written the same way,
// else one of the same OS, arch, kind (server or not) and release —
// Windows by NT major.minor (10.0.22631 is a 10.0), macOS by major from 11
// on and by major.minor before (14.5 is a 14, 10.7.5 a 10.7), Linux by
// distro and version prefix (12 covers 12.5) — the most specific first.
// It returns the key too; nil when none.
func (f *File) For(host detect.Platform) (string, *Platform) {
	if f == nil {
		return "", nil
	}
	if p, ok := f.Platforms[host.String()]; ok {
		return host.String(), p
	}
	best, bestLen := "", -1
	for key := range f.Platforms {
		lp, err := detect.ParsePlatform(key)
		if err != nil || lp.OS != host.OS || lp.Arch != host.Arch || lp.Server != host.Server {
			continue
		}
		lv, hv := release(lp), release(host)
		if host.OS == "linux" {
			if lp.Distro.ID != host.Distro.ID {
				continue
			}
			lv, hv = lp.Distro.Version, host.Distro.Version
		}
		if !versionPrefix(lv, hv) {
			continue
		}
		if n := len(lv); n > bestLen || (n == bestLen && key < best) {
			best, bestLen = key, n
		}
	}
	if best == "" {
		return "", nil
	}
	return best, f.Platforms[best]
}

// release is the part of a Windows or macOS version that names the
// release: what envup's catalog and floors tell apart.
func release(p detect.Platform) string {
	parts := strings.Split(p.Version, ".")
	switch p.OS {
	case "windows":
		if len(parts) > 2 {
			parts = parts[:2]
		}
	case "macos":
		if len(parts) > 0 && parts[0] != "10" {
			parts = parts[:1]
		} else if len(parts) > 2 {
			parts = parts[:2]
		}
	}
	return strings.Join(parts, ".")
}

// versionPrefix says whether version want is host or a dotted prefix of it.
func versionPrefix(want, host string) bool {
	if want == "" || want == host {
		return true
	}
	return strings.HasPrefix(host, want+".")
}

// Pin writes the lock's versions into the recipe: each interpreter and
// service asks for exactly the version it resolved to when locked, and
// keeps the recipe's own (Unpinned) for when the pinned files cannot be
// fetched.
func (lp *Platform) Pin(r *recipe.Recipe) {
	for key, in := range r.Interpreters {
		if p, ok := lp.Resources["interpreter/"+key]; ok && p.Version != "" {
			in.Unpinned, in.Version = in.Version, p.Version
		}
	}
	for key, s := range r.Services {
		if p, ok := lp.Resources["service/"+key]; ok && p.Version != "" {
			s.Unpinned, s.Version = s.Version, p.Version
		}
	}
}

// Lacks lists what a plan would fetch that the lock does not name: a
// resource with no entry, or a file whose sha256 the entry does not have
// (an optional file aside).
// `apply --locked` refuses to go on when it is not empty.
func (lp *Platform) Lacks(outcomes []*plan.Outcome, files system.System) []string {
	var out []string
	for _, o := range outcomes {
		pins := o.Resource.Optional().Pins
		if pins == nil || o.Err != nil {
			continue
		}
		got := pins(files, o.Observed)
		id := o.Resource.ID().String()
		entry, locked := lp.Resources[id]
		if got.Open != "" {
			out = append(out, id+": "+got.Open)
		}
		// An optional file (a venv's seed) is not needed: a lock made
		// before it was pinned still holds.
		need := slices.DeleteFunc(slices.Clone(got.Artifacts), func(a install.Artifact) bool { return a.Optional })
		if len(need) == 0 {
			continue
		}
		if !locked {
			out = append(out, id+": not in the lock")
			continue
		}
		for _, a := range need {
			if !slices.ContainsFunc(entry.Artifacts, func(b install.Artifact) bool { return b.SHA256 == a.SHA256 }) {
				out = append(out, fmt.Sprintf("%s: %s (sha256 %s) is not in the lock", id, a.Name, a.SHA256[:12]))
			}
		}
	}
	return out
}

// Rel makes a pinned file's location absolute: a wheel named by its path
// relative to the recipe's folder.
func Rel(recipeDir, url string) string {
	if strings.Contains(url, "://") || filepath.IsAbs(url) {
		return url
	}
	return filepath.Join(recipeDir, filepath.FromSlash(url))
}
