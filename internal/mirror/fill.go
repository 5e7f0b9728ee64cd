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
// platforms and the kinds of resource each is for; a URL relative to the recipe's folder (a wheel
// of its wheelhouse) is made a path.
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
					out = append(out, IndexFile{Name: a.Name, URL: lock.Rel(recipeDir, a.URL), SHA256: a.SHA256, Size: a.Size})
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

// Fill brings the files into the mirror folder dir (made when missing)
// through get, which downloads them all into the cache and gives each
// one's path there ("" for one it could not bring, named in its error),
// and lists them in dir's index.json. It returns how many files it put
// there, and in failed what it could not bring or place (the rest is in
// the folder and its index all the same); err is a folder or index that
// could not be read or written.
func Fill(ctx context.Context, dir string, needs []IndexFile, get func(context.Context, []fetch.Want) ([]string, error)) (added int, failed, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, nil, err
	}
	wants := make([]fetch.Want, len(needs))
	for i, n := range needs {
		wants[i] = fetch.Want{URL: n.URL, SHA256: n.SHA256, Name: n.Name, Size: n.Size}
	}
	paths, getErr := get(ctx, wants)
	ix, err := ReadIndex(dir)
	if err != nil {
		return 0, nil, err
	}
	var errs []error
	for i, n := range needs {
		if paths[i] == "" {
			continue // get's error names it, with its URL
		}
		// The name comes from a lock, which anyone can edit: it must be
		// a plain file name in the folder.
		if !ValidName(n.Name) {
			errs = append(errs, fmt.Errorf("%s (for %s): not a file name a mirror folder can hold", n.Name, strings.Join(n.Platforms, ", ")))
			continue
		}
		ix.Drop(n.Name, n.SHA256) // a file of that name with other bytes is replaced
		size, err := place(paths[i], filepath.Join(dir, n.Name), n.SHA256)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", n.Name, err))
			continue
		}
		n.Size = size
		if err := ix.Add(n); err != nil {
			errs = append(errs, err)
			continue
		}
		added++
	}
	if err := ix.Write(dir); err != nil {
		return 0, nil, err
	}
	return added, errors.Join(append([]error{getErr}, errs...)...), nil
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
