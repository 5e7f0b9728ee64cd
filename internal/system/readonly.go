package system

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
)

// ErrReadOnly is returned by ReadOnly for every change.
var ErrReadOnly = errors.New("read-only: envup would change the host here")

// ReadOnly reads through to another System and refuses every change
// (`envup check`, `envup snapshot`).
type ReadOnly struct{ inner System }

// NewReadOnly wraps inner so that nothing can change the host.
func NewReadOnly(inner System) *ReadOnly { return &ReadOnly{inner: inner} }

func refuse(verb, what string) error { return fmt.Errorf("%s %s: %w", verb, what, ErrReadOnly) }

// Stat reads through.
func (s *ReadOnly) Stat(name string) (fs.FileInfo, error) { return s.inner.Stat(name) }

// Lstat reads through.
func (s *ReadOnly) Lstat(name string) (fs.FileInfo, error) { return s.inner.Lstat(name) }

// ReadFile reads through.
func (s *ReadOnly) ReadFile(name string) ([]byte, error) { return s.inner.ReadFile(name) }

// ReadDir reads through.
func (s *ReadOnly) ReadDir(name string) ([]fs.DirEntry, error) { return s.inner.ReadDir(name) }

// Readlink reads through.
func (s *ReadOnly) Readlink(name string) (string, error) { return s.inner.Readlink(name) }

// LookPath reads through.
func (s *ReadOnly) LookPath(file string) (string, error) { return s.inner.LookPath(file) }

// Getenv reads through.
func (s *ReadOnly) Getenv(key string) string { return s.inner.Getenv(key) }

// Query runs the read-only command.
func (s *ReadOnly) Query(ctx context.Context, cmd Cmd) (*Result, error) {
	return s.inner.Query(ctx, cmd)
}

// Dial reads through.
func (s *ReadOnly) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	return s.inner.Dial(ctx, network, addr)
}

// Prove runs the check: a proof only reads, and what it reads goes
// through the System it was given.
func (s *ReadOnly) Prove(ctx context.Context, _ string, check func(context.Context) error) error {
	return check(ctx)
}

// Run refuses.
func (s *ReadOnly) Run(_ context.Context, cmd Cmd) (*Result, error) {
	return nil, refuse("run", Quote(cmd.Argv))
}

// WriteFile refuses.
func (s *ReadOnly) WriteFile(name string, _ []byte, _ fs.FileMode) error {
	return refuse("write", name)
}

// MkdirAll refuses.
func (s *ReadOnly) MkdirAll(name string, _ fs.FileMode) error { return refuse("mkdir", name) }

// Rename refuses.
func (s *ReadOnly) Rename(oldpath, _ string) error { return refuse("rename", oldpath) }

// Remove refuses.
func (s *ReadOnly) Remove(name string) error { return refuse("remove", name) }

// RemoveAll refuses.
func (s *ReadOnly) RemoveAll(name string) error { return refuse("remove", name) }

// Symlink refuses.
func (s *ReadOnly) Symlink(_, newname string) error { return refuse("link", newname) }

// Chmod refuses.
func (s *ReadOnly) Chmod(name string, _ fs.FileMode) error { return refuse("chmod", name) }

// Download refuses.
func (s *ReadOnly) Download(_ context.Context, url, _ string) (string, error) {
	return "", refuse("download", url)
}

// Extract refuses.
func (s *ReadOnly) Extract(_ context.Context, archive, _ string, _ int) error {
	return refuse("extract", archive)
}

// Link refuses.
func (s *ReadOnly) Link(_, newname string) error { return refuse("link", newname) }

// LinkTree refuses.
func (s *ReadOnly) LinkTree(_, dst string) error { return refuse("link into", dst) }

// Registry reads through.
func (s *ReadOnly) Registry(key, name string) (RegValue, error) { return s.inner.Registry(key, name) }

// SetRegistry refuses.
func (s *ReadOnly) SetRegistry(key, name string, _ RegValue) error {
	return refuse("set", key+`\`+name)
}
