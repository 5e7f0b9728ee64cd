package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// partialAge is how old a .part file must be before a Fetcher removes it:
// a younger one may be another envup's download in progress.
const partialAge = 24 * time.Hour

// emptySum is the sha256 of no bytes: the one digest an empty entry matches.
const emptySum = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// Path is where the file with digest sum is kept in the cache, whether or
// not it is there yet: what a plan can show without downloading.
func (f *Fetcher) Path(sum string) string {
	want, err := normalizeSum(sum)
	if err != nil {
		want = sum
	}
	return filepath.Join(f.opts.CacheDir, "sha256", want)
}

// Lookup returns the cached file with digest sum, if the cache holds a
// file with those bytes. The entry is checked as Fetch checks it (once per
// Fetcher), and a bad one is removed and said.
func (f *Fetcher) Lookup(sum string) (string, bool) {
	want, err := normalizeSum(sum)
	if err != nil || f.opts.CacheDir == "" {
		return "", false
	}
	f.sweepOnce.Do(f.sweep)
	if p, ok := f.hit(want); ok {
		return p, true
	}
	// With no context the wait cannot fail: it lasts as long as another
	// Get of the same file.
	unlock, _ := f.locks.lock(context.Background(), want)
	defer unlock()
	c := f.entry(want, 0, nil)
	return c.path, c.ok
}

// cached is what the cache holds for a digest.
type cached struct {
	path string
	ok   bool   // path holds the pinned bytes
	bad  string // what was wrong with the entry that was there, removed; "" none
	err  error  // a bad entry that could not be removed
}

// note is how the cache appears among the places a file was sought.
func (c cached) note() string {
	if c.bad == "" {
		return c.path
	}
	return c.path + " (" + c.bad + "; removed)"
}

// hit returns the entry for want when this Fetcher verified it before and
// it is still there: the bytes are not read twice in a run.
func (f *Fetcher) hit(want string) (string, bool) {
	p := f.Path(want)
	fi, err := os.Lstat(p)
	return p, err == nil && f.known(want, fi)
}

// known reports whether this Fetcher verified the entry for want, and fi
// (its Lstat) is still a regular file of the size it had then.
func (f *Fetcher) known(want string, fi fs.FileInfo) bool {
	f.verifiedMu.Lock()
	size, ok := f.verified[want]
	f.verifiedMu.Unlock()
	return ok && fi.Mode().IsRegular() && fi.Size() == size
}

// remember records that the entry for want, of size bytes, was verified.
func (f *Fetcher) remember(want string, size int64) {
	f.verifiedMu.Lock()
	defer f.verifiedMu.Unlock()
	if f.verified == nil {
		f.verified = map[string]int64{}
	}
	f.verified[want] = size
}

// entry checks the cache entry for want, of size bytes when size > 0: the
// caller holds want's lock. A bad entry is removed and said on w (or the
// Fetcher's progress writer or log), so the file is fetched again.
func (f *Fetcher) entry(want string, size int64, w watcher) cached {
	c := cached{path: f.Path(want)}
	fi, err := os.Lstat(c.path)
	if errors.Is(err, fs.ErrNotExist) {
		return c
	}
	if err != nil {
		c.err = fmt.Errorf("cache entry %s: %w", c.path, err)
		return c
	}
	if f.known(want, fi) {
		c.ok = true
		return c
	}
	c.bad = badEntry(c.path, fi, want, size)
	if c.bad == "" {
		f.remember(want, fi.Size())
		c.ok = true
		return c
	}
	if err := removeEntry(c.path, fi); err != nil {
		c.err = fmt.Errorf("cache entry %s %s, and could not be removed: %w", c.path, c.bad, err)
		return c
	}
	f.say(w, "cache entry "+c.path+" "+c.bad+"; removed, fetching again")
	return c
}

// badEntry says what is wrong with the cache entry at p (fi from Lstat),
// or "" when it is a regular file holding want's bytes. The size is
// judged before any byte is read; a file that is not regular is never
// opened.
func badEntry(p string, fi fs.FileInfo, want string, size int64) string {
	switch m := fi.Mode(); {
	case m&fs.ModeSymlink != 0:
		return "is a symlink, not a file"
	case m.IsDir():
		return "is a directory, not a file"
	case !m.IsRegular():
		return "is " + special(m) + ", not a file"
	case fi.Size() == 0 && want != emptySum:
		return "is empty"
	case size > 0 && fi.Size() != size:
		return fmt.Sprintf("did not match its sha256: %d bytes, want %d", fi.Size(), size)
	}
	got, err := entrySum(p, fi)
	switch {
	case err != nil:
		return "could not be read: " + err.Error()
	case got != want:
		return "did not match its sha256: got " + got
	}
	return ""
}

// special names a file type that is neither a file, a folder nor a link.
func special(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file (" + strings.TrimRight(m.Type().String(), "-") + ")"
}

// entrySum hashes the regular file at p that Lstat found as fi. It opens
// without blocking and checks that what it opened is that same file, so
// a FIFO put there after the Lstat cannot hang it.
func entrySum(p string, fi fs.FileInfo) (string, error) {
	file, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return "", err
	}
	defer file.Close()
	if now, err := file.Stat(); err != nil || !now.Mode().IsRegular() || !os.SameFile(fi, now) {
		return "", errors.New("changed while it was checked")
	}
	h := sha256.New()
	if _, err := io.Copy(h, file); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// removeEntry removes a bad cache entry: a folder with what it holds (p is
// always inside the cache), anything else by its own name, a symlink
// without following it.
func removeEntry(p string, fi fs.FileInfo) error {
	if fi.IsDir() {
		return os.RemoveAll(p)
	}
	return os.Remove(p)
}

// sweep removes the .part files that downloads cut short (by a kill or a
// power cut) left in the cache over partialAge ago: one read of the
// folder, the first time a Fetcher uses the cache.
func (f *Fetcher) sweep() {
	dir := filepath.Join(f.opts.CacheDir, "sha256")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), ".") || !strings.HasSuffix(e.Name(), ".part") {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > partialAge {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
