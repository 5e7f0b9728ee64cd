package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// entryKind is what an archive entry makes.
type entryKind int

const (
	kindFile entryKind = iota
	kindDir
	kindSymlink
	kindHardlink
)

// entry is one archive member, whatever the format.
type entry struct {
	name  string // as written in the archive, slash-separated
	kind  entryKind
	mode  fs.FileMode
	link  string // symlink target, or the hard link's original (an archive name)
	mtime time.Time
	size  int64     // as the header claims; only a hint, the bytes are counted
	body  io.Reader // a file's content
}

// tree writes entries into a staging directory, refusing any that would
// reach outside it: names are checked by entryPath and linkTarget, and
// nothing is ever written through a symlink, so a link made by an earlier
// entry cannot carry a later one elsewhere.
type tree struct {
	ctx        context.Context // ends the extraction between entries
	root       string          // the staging directory
	strip      int
	left       int64 // bytes still allowed
	maxEntries int
	entries    int
	dirs       []dirMeta
}

type dirMeta struct {
	path  string
	mode  fs.FileMode
	mtime time.Time
}

func (t *tree) add(e entry) error {
	if err := t.ctx.Err(); err != nil {
		return err
	}
	rel, skip, err := entryPath(e.name, t.strip)
	if err != nil || skip {
		return err
	}
	t.entries++
	if t.entries > t.maxEntries {
		return fmt.Errorf("%w: more than %d entries", ErrTooLarge, t.maxEntries)
	}
	switch e.kind {
	case kindDir:
		return t.dir(rel, e)
	case kindSymlink:
		return t.symlink(rel, e)
	case kindHardlink:
		return t.hardlink(rel, e)
	default:
		return t.file(rel, e)
	}
}

func (t *tree) native(rel string) string { return filepath.Join(t.root, filepath.FromSlash(rel)) }

func (t *tree) dir(rel string, e entry) error {
	if err := t.mkdirs(rel); err != nil {
		return err
	}
	t.dirs = append(t.dirs, dirMeta{path: t.native(rel), mode: e.mode, mtime: e.mtime})
	return nil
}

func (t *tree) file(rel string, e entry) error {
	if e.size > t.left {
		return fmt.Errorf("%w: %d bytes claimed, %d left of the limit", ErrTooLarge, e.size, t.left)
	}
	if err := t.mkdirs(path.Dir(rel)); err != nil {
		return err
	}
	name := t.native(rel)
	if err := makeRoom(name); err != nil {
		return err
	}
	if err := t.write(name, e.body); err != nil {
		return err
	}
	if err := os.Chmod(name, filePerm(e.mode)); err != nil {
		return err
	}
	return touch(name, e.mtime)
}

// write copies body into a new file, counting the bytes against the limit
// as they come, whatever the header claimed.
func (t *tree) write(name string, body io.Reader) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, io.LimitReader(body, t.left+1))
	t.left -= n
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if t.left < 0 {
		return fmt.Errorf("%w: the content is larger than its header says or than the limit", ErrTooLarge)
	}
	return nil
}

func (t *tree) symlink(rel string, e entry) error {
	if err := linkTarget(rel, e.link); err != nil {
		return err
	}
	if err := t.mkdirs(path.Dir(rel)); err != nil {
		return err
	}
	name := t.native(rel)
	if err := makeRoom(name); err != nil {
		return err
	}
	return os.Symlink(filepath.FromSlash(e.link), name)
}

// hardlink links rel to an earlier regular file of the archive; where the
// file system cannot link, it copies.
func (t *tree) hardlink(rel string, e entry) error {
	orig, skip, err := entryPath(e.link, t.strip)
	if err != nil {
		return fmt.Errorf("%w: hard link to %q: %v", ErrUnsafeLink, e.link, err)
	}
	if skip {
		return fmt.Errorf("%w: hard link to %q, outside the extracted tree", ErrUnsafeLink, e.link)
	}
	if err := t.noLinks(path.Dir(orig)); err != nil {
		return err
	}
	src := t.native(orig)
	fi, err := os.Lstat(src)
	if err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("%w: hard link to %q, which is not a file extracted before it", ErrUnsafeLink, e.link)
	}
	if err := t.mkdirs(path.Dir(rel)); err != nil {
		return err
	}
	name := t.native(rel)
	if err := makeRoom(name); err != nil {
		return err
	}
	if err := os.Link(src, name); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := t.write(name, in); err != nil {
		return err
	}
	return os.Chmod(name, fi.Mode().Perm())
}

// mkdirs makes rel and its parents inside the root, one component at a
// time, refusing to pass through a symlink or a file.
func (t *tree) mkdirs(rel string) error {
	if rel == "." || rel == "" {
		return nil
	}
	cur := t.root
	for _, part := range strings.Split(rel, "/") {
		cur = filepath.Join(cur, part)
		fi, err := os.Lstat(cur)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := os.Mkdir(cur, 0o755); err != nil {
				return err
			}
		case err != nil:
			return err
		case fi.Mode()&fs.ModeSymlink != 0:
			return fmt.Errorf("%w: goes through the symlink %s", ErrUnsafePath, t.relName(cur))
		case !fi.IsDir():
			return fmt.Errorf("%s is a file, not a folder", t.relName(cur))
		}
	}
	return nil
}

// noLinks checks that rel exists inside the root without passing through a
// symlink.
func (t *tree) noLinks(rel string) error {
	if rel == "." || rel == "" {
		return nil
	}
	cur := t.root
	for _, part := range strings.Split(rel, "/") {
		cur = filepath.Join(cur, part)
		fi, err := os.Lstat(cur)
		if err != nil {
			return err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%w: goes through the symlink %s", ErrUnsafePath, t.relName(cur))
		}
	}
	return nil
}

func (t *tree) relName(p string) string {
	r, err := filepath.Rel(t.root, p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(r)
}

// finish gives folders their modes and times, once nothing more is
// written into them.
func (t *tree) finish() error {
	for i := len(t.dirs) - 1; i >= 0; i-- {
		d := t.dirs[i]
		if err := os.Chmod(d.path, dirPerm(d.mode)); err != nil {
			return err
		}
		if err := touch(d.path, d.mtime); err != nil {
			return err
		}
	}
	return nil
}

// makeRoom makes room for a new file, link or hard link: a later entry of the
// same name replaces an earlier one, as tar does, but never a folder.
func makeRoom(name string) error {
	fi, err := os.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case fi.IsDir():
		return fmt.Errorf("would replace the folder %s", filepath.Base(name))
	}
	return os.Remove(name)
}

// filePerm keeps an entry's permission bits, executable bits included, but
// never setuid, setgid or sticky, never group or world write, and always
// lets the owner read and write.
func filePerm(m fs.FileMode) fs.FileMode { return m.Perm()&^0o022 | 0o600 }

// dirPerm is filePerm for folders: the owner can always enter and change
// them, so a failed or replaced install can be removed.
func dirPerm(m fs.FileMode) fs.FileMode { return m.Perm()&^0o022 | 0o700 }

func touch(name string, mtime time.Time) error {
	if mtime.IsZero() {
		return nil
	}
	return os.Chtimes(name, mtime, mtime)
}
