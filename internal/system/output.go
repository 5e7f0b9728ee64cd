package system

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Output is a file a command writes because the user named it: a
// snapshot's, capture's or bundle's -o FILE, a lock. It writes where the
// name leads, as a shell's > would, and never leaves half a file:
//
//   - A regular file, or none yet, is written to a temporary file beside
//     it and renamed over it on Commit, so a crash or an error leaves the
//     old file whole. A file that was there keeps its permissions.
//   - A symbolic link is followed (links to links too, relative to the
//     link's own folder) and its target written the same way, beside the
//     target; the link stays a link.
//   - Anything else that is not a folder — a device such as /dev/null or
//     NUL, a named pipe, a terminal — is opened for writing and written
//     through: a device cannot be replaced, and must not be (root's
//     `-o /dev/null` would make /dev/null a regular file). Opening a
//     named pipe waits for its reader, as the shell's does.
//   - A regular file reached through a link whose text names no file
//     (/proc's: /dev/stdout, /dev/fd/1 of a deleted file) is opened,
//     truncated and written in place.
type Output struct {
	name   string // as given, for messages
	target string // name with its symbolic links followed
	f      *os.File
	tmp    string // the temporary file renamed over target; "" writing through
	perm   fs.FileMode
	closed bool
}

// maxLinks is how many symbolic links CreateOutput follows before it
// gives up, as Linux's ELOOP (40).
const maxLinks = 40

// CreateOutput opens name for writing; perm is the mode of a file it
// creates. The caller writes, then calls Commit, or Abort to leave
// everything as it was (a device or pipe keeps what it was sent).
func CreateOutput(name string, perm fs.FileMode) (*Output, error) {
	// Where the kernel says name leads: it follows /proc's links too
	// (/dev/stdout, /dev/fd/63), whose text names no file.
	fi, err := os.Stat(name)
	switch {
	case err == nil && fi.IsDir():
		return nil, fmt.Errorf("write %s: it is a folder", name)
	case err == nil && !fi.Mode().IsRegular():
		return writeThrough(name, os.O_WRONLY)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	target, err := followLinks(name)
	if err != nil {
		return nil, err
	}
	if fi != nil {
		perm = fi.Mode().Perm()
		if now, err := os.Stat(target); err != nil || !os.SameFile(fi, now) {
			// The links' text does not lead to the file the kernel
			// found (/proc/self/fd/1 of a deleted file): that file is
			// written in place, as > would.
			return writeThrough(name, os.O_WRONLY|os.O_TRUNC)
		}
	}
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+tempInfix+"*")
	if err != nil {
		return nil, err
	}
	return &Output{name: name, target: target, f: tmp, tmp: tmp.Name(), perm: perm}, nil
}

// writeThrough opens name itself for writing.
func writeThrough(name string, flag int) (*Output, error) {
	f, err := os.OpenFile(name, flag, 0)
	if err != nil {
		return nil, err
	}
	return &Output{name: name, target: name, f: f}, nil
}

// followLinks returns the file name leads to: name itself unless it is a
// symbolic link, else what the links lead to, which need not exist yet.
func followLinks(name string) (string, error) {
	at := name
	for range maxLinks {
		fi, err := os.Lstat(at)
		if errors.Is(err, fs.ErrNotExist) || err == nil && fi.Mode()&fs.ModeSymlink == 0 {
			return at, nil
		}
		if err != nil {
			return "", err
		}
		to, err := os.Readlink(at)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(to) {
			// Relative to the folder the link is in, as that folder
			// really is (it may be reached through links itself).
			dir, err := filepath.EvalSymlinks(filepath.Dir(at))
			if err != nil {
				return "", err
			}
			to = filepath.Join(dir, to)
		}
		at = to
	}
	return "", fmt.Errorf("write %s: more than %d symbolic links in a row", name, maxLinks)
}

// Write writes to the temporary file, or through to the device or pipe.
func (o *Output) Write(p []byte) (int, error) {
	n, err := o.f.Write(p)
	if err != nil {
		err = fmt.Errorf("write %s: %w", o.name, err)
	}
	return n, err
}

// Target is the file written: the name given, with its symbolic links
// followed.
func (o *Output) Target() string { return o.target }

// Staged is the temporary file being written, for a caller that reads
// what it wrote back before it commits (bundle checks its tar); "" when
// the output is written through to a device or pipe.
func (o *Output) Staged() string { return o.tmp }

// Commit finishes the output: the temporary file is synced, given its
// mode and renamed over the target; a device or pipe is closed.
func (o *Output) Commit() error {
	if o.closed {
		return fmt.Errorf("write %s: already finished", o.name)
	}
	o.closed = true
	if o.tmp == "" {
		if err := o.f.Close(); err != nil {
			return fmt.Errorf("write %s: %w", o.name, err)
		}
		return nil
	}
	err := o.f.Sync()
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(o.tmp, o.perm)
	}
	if err == nil {
		err = os.Rename(o.tmp, o.target)
	}
	if err != nil {
		_ = os.Remove(o.tmp)
		return fmt.Errorf("write %s: %w", o.name, err)
	}
	return nil
}

// Abort gives the output up: the temporary file is removed and the
// target left as it was. After Commit it does nothing, so a caller may
// defer it.
func (o *Output) Abort() {
	if o.closed {
		return
	}
	o.closed = true
	_ = o.f.Close()
	if o.tmp != "" {
		_ = os.Remove(o.tmp)
	}
}

// WriteOutput writes data to the output name (CreateOutput, Write,
// Commit).
func WriteOutput(name string, data []byte, perm fs.FileMode) error {
	o, err := CreateOutput(name, perm)
	if err != nil {
		return err
	}
	defer o.Abort()
	if _, err := o.Write(data); err != nil {
		return err
	}
	return o.Commit()
}
