package system

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os/exec"
)

// ErrNotObserved is what a System answers about what it cannot see:
// every command, proof and connection of Absent (the host is another
// machine, `--platform`), and, alongside "missing", its files, programs
// and registry values and the bytes of a download DryRun only recorded.
var ErrNotObserved = errors.New("host not observed: planning for another platform")

// unseen is "missing" said by a System that cannot see: it reads as its
// missing error (fs.ErrNotExist, exec.ErrNotFound), word for word, and is
// ErrNotObserved too.
type unseen struct{ missing error }

func (e unseen) Error() string        { return e.missing.Error() }
func (e unseen) Unwrap() error        { return e.missing }
func (e unseen) Is(target error) bool { return target == ErrNotObserved }

// Absent is a host that cannot be seen: every file is missing, no program
// is on the PATH, no address answers and commands cannot be asked; each
// of these answers is also ErrNotObserved. Plans for `--platform` run
// against DryRun over Absent, so they show everything a fresh host of
// that kind would need.
type Absent struct{}

func notExist(op, name string) error { return &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist} }

func notSeen(op, name string) error {
	return &fs.PathError{Op: op, Path: name, Err: unseen{fs.ErrNotExist}}
}

// Stat says the file is missing.
func (Absent) Stat(name string) (fs.FileInfo, error) { return nil, notSeen("stat", name) }

// Lstat says the file is missing.
func (Absent) Lstat(name string) (fs.FileInfo, error) { return nil, notSeen("lstat", name) }

// ReadFile says the file is missing.
func (Absent) ReadFile(name string) ([]byte, error) { return nil, notSeen("open", name) }

// ReadDir says the directory is missing.
func (Absent) ReadDir(name string) ([]fs.DirEntry, error) { return nil, notSeen("open", name) }

// Readlink says the link is missing.
func (Absent) Readlink(name string) (string, error) { return "", notSeen("readlink", name) }

// LookPath finds nothing.
func (Absent) LookPath(file string) (string, error) {
	return "", &exec.Error{Name: file, Err: unseen{exec.ErrNotFound}}
}

// Getenv knows no variables.
func (Absent) Getenv(string) string { return "" }

// Query cannot ask the host.
func (Absent) Query(_ context.Context, cmd Cmd) (*Result, error) {
	return nil, fmt.Errorf("%s: %w", Quote(cmd.Argv), ErrNotObserved)
}

// Dial reaches nothing.
func (Absent) Dial(_ context.Context, network, addr string) (net.Conn, error) {
	return nil, fmt.Errorf("dial %s %s: %w", network, addr, ErrNotObserved)
}

// Prove cannot ask the host.
func (Absent) Prove(_ context.Context, what string, _ func(context.Context) error) error {
	return fmt.Errorf("check %s: %w", what, ErrNotObserved)
}

// Run cannot change the host.
func (Absent) Run(_ context.Context, cmd Cmd) (*Result, error) {
	return nil, fmt.Errorf("%s: %w", Quote(cmd.Argv), ErrNotObserved)
}

// WriteFile cannot change the host.
func (Absent) WriteFile(name string, _ []byte, _ fs.FileMode) error {
	return fmt.Errorf("write %s: %w", name, ErrNotObserved)
}

// MkdirAll cannot change the host.
func (Absent) MkdirAll(name string, _ fs.FileMode) error {
	return fmt.Errorf("mkdir %s: %w", name, ErrNotObserved)
}

// Rename cannot change the host.
func (Absent) Rename(oldpath, _ string) error {
	return fmt.Errorf("rename %s: %w", oldpath, ErrNotObserved)
}

// Remove cannot change the host.
func (Absent) Remove(name string) error { return fmt.Errorf("remove %s: %w", name, ErrNotObserved) }

// RemoveAll cannot change the host.
func (Absent) RemoveAll(name string) error {
	return fmt.Errorf("remove %s: %w", name, ErrNotObserved)
}

// Symlink cannot change the host.
func (Absent) Symlink(_, newname string) error {
	return fmt.Errorf("link %s: %w", newname, ErrNotObserved)
}

// Chmod cannot change the host.
func (Absent) Chmod(name string, _ fs.FileMode) error {
	return fmt.Errorf("chmod %s: %w", name, ErrNotObserved)
}

// Download cannot change the host.
func (Absent) Download(_ context.Context, url, _ string) (string, error) {
	return "", fmt.Errorf("download %s: %w", url, ErrNotObserved)
}

// Extract cannot change the host.
func (Absent) Extract(_ context.Context, archive, _ string, _ int) error {
	return fmt.Errorf("extract %s: %w", archive, ErrNotObserved)
}

// Link cannot change the host.
func (Absent) Link(_, newname string) error {
	return fmt.Errorf("link %s: %w", newname, ErrNotObserved)
}

// LinkTree cannot change the host.
func (Absent) LinkTree(_, dst string) error {
	return fmt.Errorf("link into %s: %w", dst, ErrNotObserved)
}

// Registry finds nothing.
func (Absent) Registry(key, name string) (RegValue, error) {
	return RegValue{}, notSeen("registry", key+`\`+name)
}

// SetRegistry cannot change the host.
func (Absent) SetRegistry(key, name string, _ RegValue) error {
	return fmt.Errorf("registry %s\\%s: %w", key, name, ErrNotObserved)
}
