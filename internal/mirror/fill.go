package mirror

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/lock"
)

// Needs are the files the lock's entries under keys name, once each by
// sha256, in the order of keys and of each entry's resources, with the
// platforms and the kinds of resource each is for; a URL relative to the
// recipe's folder (a wheel of its wheelhouse) is made a path. A file is
// Optional when every entry that names it says so.
func Needs(lf *lock.File, keys []string, recipeDir string) []IndexFile {
	var out []IndexFile
	at := map[string]int{} // by sha256
	for _, key := range keys {
		lp := lf.Platforms[key]
		for _, id := range slices.Sorted(maps.Keys(lp.Resources)) {
			for _, a := range lp.Resources[id].Artifacts {
				i, ok := at[a.SHA256]
				if !ok {
					i = len(out)
					at[a.SHA256] = i
					out = append(out, IndexFile{Name: a.Name, URL: lock.Rel(recipeDir, a.URL), SHA256: a.SHA256, Size: a.Size, Optional: true})
				}
				out[i].Optional = out[i].Optional && a.Optional
				if out[i].Instead == "" {
					out[i].Instead = a.Instead
				}
				if !slices.Contains(out[i].Platforms, key) {
					out[i].Platforms = append(out[i].Platforms, key)
				}
				if kind, _, _ := strings.Cut(id, "/"); !slices.Contains(out[i].Kinds, kind) {
					out[i].Kinds = append(out[i].Kinds, kind)
				}
			}
		}
	}
	return out
}

// Missed is an optional file Fill could not bring or place, and why.
type Missed struct {
	File IndexFile
	Err  error
}

// Fill brings the files into the mirror folder dir (made when missing)
// through get, which downloads them into the cache and gives each one's
// path there ("" for one it could not bring, named in its error), and
// lists them in dir's index.json. It returns how many files it put
// there; in missed the optional files it could not bring or place, each
// with its own error (the folder does without them); in failed what else
// it could not bring or place (the rest is in the folder and its index
// all the same); err is a folder or index that could not be read or
// written.
func Fill(ctx context.Context, dir string, needs []IndexFile, get func(context.Context, []fetch.Want) ([]string, error)) (added int, missed []Missed, failed, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, nil, nil, err
	}
	var required, optional []IndexFile
	for _, n := range needs {
		if n.Optional {
			optional = append(optional, n)
		} else {
			required = append(required, n)
		}
	}
	paths, getErr := get(ctx, wants(required))
	ix, err := ReadIndex(dir)
	if err != nil {
		return 0, nil, nil, err
	}
	var errs []error
	for i, n := range required {
		if paths[i] == "" {
			continue // get's error names it, with its URL
		}
		if err := ix.put(dir, n, paths[i]); err != nil {
			errs = append(errs, err)
			continue
		}
		added++
	}
	// One at a time, so that each missed file has its own error.
	for _, n := range optional {
		paths, err := get(ctx, wants([]IndexFile{n}))
		if err == nil {
			err = ix.put(dir, n, paths[0])
		}
		if err != nil {
			missed = append(missed, Missed{File: n, Err: err})
			continue
		}
		added++
	}
	if err := ix.Write(dir); err != nil {
		return 0, nil, nil, err
	}
	return added, missed, errors.Join(append([]error{getErr}, errs...)...), nil
}

func wants(needs []IndexFile) []fetch.Want {
	out := make([]fetch.Want, len(needs))
	for i, n := range needs {
		out[i] = fetch.Want{URL: n.URL, SHA256: n.SHA256, Name: n.Name, Size: n.Size}
	}
	return out
}

// put places the cached file as n in the folder dir and lists it.
func (ix *Index) put(dir string, n IndexFile, cached string) error {
	// The name comes from a lock, which anyone can edit: it must be a
	// plain file name in the folder.
	if !ValidName(n.Name) {
		return fmt.Errorf("%s (for %s): not a file name a mirror folder can hold", n.Name, strings.Join(n.Platforms, ", "))
	}
	ix.Drop(n.Name, n.SHA256) // a file of that name with other bytes is replaced
	size, err := place(cached, filepath.Join(dir, n.Name), n.SHA256)
	if err != nil {
		return fmt.Errorf("%s: %w", n.Name, err)
	}
	n.Size = size
	return ix.Add(n)
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
