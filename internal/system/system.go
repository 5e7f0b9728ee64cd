// Package system is envup's only door to the operating system: files,
// commands (as argv, never a shell string), the network, the environment
// and locks.
//
// Resources speak to a System, never to package os. Real does the work;
// DryRun records each change as a Step and keeps an overlay of what it
// "wrote" so later reads in the same run see it; ReadOnly refuses every
// change; Absent stands for a host that cannot be observed (planning for
// another platform). The wrappers do not embed the interface, so a new
// method fails to compile until each of them handles it.
//
// A resource never asks which System it runs on: what a step proves or
// produces comes back from the System.
//
//   - A proof that needs a change to have happened (a health check of a
//     program just installed, a PING of a server just started, a version
//     read back after a build or an OS package install) goes through
//     Prove: Real and ReadOnly run it; DryRun records it as a "check"
//     step and succeeds, so the resource keeps what it expected (the
//     version it chose); Absent cannot prove anything (ErrNotObserved).
//   - What a System cannot see answers as missing and as ErrNotObserved
//     at once: every file, program, registry value and address of Absent
//     (another host), and the bytes of a download DryRun only recorded.
//     A resource that must tell "not there" from "cannot be seen" asks
//     errors.Is(err, ErrNotObserved); one that need not reads it as
//     missing (fs.ErrNotExist, exec.ErrNotFound), as before.
//   - What a change means beyond its verb (it needs an administrator, its
//     result says the resource is done, it finishes installing an
//     interpreter at a path, its argv[0] is an interpreter) goes with the
//     change: the resource makes it through Intend(sys, Intent{…}), which
//     DryRun records on the Step (envup export writes its script from
//     them, never from argv or paths) and every other System ignores.
package system

import (
	"context"
	"io"
	"io/fs"
	"net"
	"time"
)

// System is the set of verbs resources use to observe and change a host.
// Paths are absolute and native to the host.
type System interface {
	// Stat, Lstat, ReadFile, ReadDir and Readlink read the file system.
	Stat(name string) (fs.FileInfo, error)
	Lstat(name string) (fs.FileInfo, error)
	ReadFile(name string) ([]byte, error)
	ReadDir(name string) ([]fs.DirEntry, error)
	Readlink(name string) (string, error)
	// LookPath finds an executable in the PATH, as exec.LookPath.
	LookPath(file string) (string, error)
	// Getenv reads one environment variable.
	Getenv(key string) string
	// Query runs a command that only reads (dpkg-query, rpm -q, a check).
	// Every System runs it, DryRun and ReadOnly included.
	Query(ctx context.Context, cmd Cmd) (*Result, error)
	// Dial opens a connection to a server of the host (a PING, whether a
	// port is taken), as net.Dialer.DialContext with a one-second
	// connect timeout. It only reads: DryRun and ReadOnly dial too.
	Dial(ctx context.Context, network, addr string) (net.Conn, error)
	// Prove runs check, a proof that needs a change to have happened (a
	// health check of a program just installed, a PING of a server just
	// started), and returns its error. what says it as a plan line. DryRun
	// made no change: it records Step{Verb: "check", Target: what} and
	// returns nil without running check.
	Prove(ctx context.Context, what string, check func(context.Context) error) error

	// Run runs a command that changes the host (an install, a build).
	Run(ctx context.Context, cmd Cmd) (*Result, error)
	// Spawn starts a command that keeps running after envup exits (a
	// server run as the user's own process): detached from envup's
	// console and session, its output discarded. It does not wait.
	Spawn(cmd Cmd) error
	// WriteFile writes data atomically: a temporary file beside name,
	// then a rename. Missing parent directories are created.
	WriteFile(name string, data []byte, perm fs.FileMode) error
	// MkdirAll creates a directory and its parents.
	MkdirAll(name string, perm fs.FileMode) error
	// Rename moves a file or directory.
	Rename(oldpath, newpath string) error
	// Remove removes one file or empty directory; RemoveAll a tree.
	Remove(name string) error
	RemoveAll(name string) error
	// Symlink makes newname a link to oldname.
	Symlink(oldname, newname string) error
	// Chmod changes a file's mode.
	Chmod(name string, mode fs.FileMode) error
	// Download fetches url into the download cache, verified against its
	// sha256 (mirrors first, as configured), and returns the cached path.
	Download(ctx context.Context, url, sha256 string) (string, error)
	// Extract unpacks an archive into dest, which must not exist yet,
	// dropping strip leading path components. It is all or nothing.
	Extract(ctx context.Context, archive, dest string, strip int) error
	// Link makes newname a hard link to oldname (one file, two names).
	Link(oldname, newname string) error
	// LinkTree gives the folder dst (made as needed) src's tree: its
	// folders, its files as hard links to src's, or, where the file
	// system makes none (another volume), as copies keeping each file's
	// mode and modification time. A file already in dst is an error.
	LinkTree(src, dst string) error

	// Registry reads a string value of the Windows registry; key is
	// written as reg.exe takes it (`HKCU\Environment`). A missing key or
	// value is fs.ErrNotExist; off Windows every value is missing.
	Registry(key, name string) (RegValue, error)
	// SetRegistry writes a string value, creating the key.
	SetRegistry(key, name string, v RegValue) error
}

// RegValue is a string value of the Windows registry: REG_SZ, or
// REG_EXPAND_SZ when Expand (a value naming %USERPROFILE% and such, as
// the user's Path is).
type RegValue struct {
	Data   string
	Expand bool
}

// Fetcher is what Real downloads and unpacks with (package fetch).
type Fetcher interface {
	Get(ctx context.Context, url, sha256 string) (string, error)
	// Warm brings many files into the cache, a few at a time (fetch's
	// GetAll), for Real.Warm.
	Warm(ctx context.Context, files []Want) error
	Path(sha256 string) string // where Get keeps the file with this digest
	Extract(ctx context.Context, archive, dest string, strip int) error
	// GetExtract is Get and Extract overlapped: the archive is unpacked
	// into a staging folder while it arrives, and renamed to dest once
	// its digest is verified.
	GetExtract(ctx context.Context, url, sha256, dest string, strip int) (string, error)
}

// Streamer is a System that unpacks an archive while it downloads (Real,
// through its fetcher's GetExtract): what an archive install is mostly
// waiting for. DryRun, ReadOnly and Absent are none: a plan records a
// Download and an Extract, as the archive install does without it.
type Streamer interface {
	// DownloadExtract returns the cached file's path; "" when the file
	// could not be had (the error is the download's).
	DownloadExtract(ctx context.Context, url, sha256, dest string, strip int) (string, error)
}

// Warmer is a System that keeps a download cache it can fill ahead of the
// resources that ask for the files: Real, through its fetcher's GetAll.
// DryRun, ReadOnly and Absent are none, so a plan brings nothing. An
// apply warms the cache with every file its pending resources pin.
type Warmer interface {
	Warm(ctx context.Context, files []Want) error
}

// Want is one file to bring into the download cache: its URL, pinned
// sha256, a name for messages and its size when known (0 unknown).
type Want struct {
	URL, SHA256, Name string
	Size              int64
}

// Cmd is one command to run, as argv.
type Cmd struct {
	Argv    []string
	Dir     string        // working directory; empty means the current one
	Env     []string      // KEY=value pairs added to the inherited environment
	Stdin   io.Reader     // nil means no input
	Timeout time.Duration // zero means no limit beyond the context's
	// Live, when set, also receives the command's output as it comes
	// (a long build shown on a terminal). Result still holds all of it.
	Live io.Writer
}

// Result is what a finished command left behind.
type Result struct {
	Stdout   []byte
	Stderr   []byte
	ExitCode int
}

// Each implementation handles every verb: none embeds the interface.
var (
	_ System = (*Real)(nil)
	_ System = (*DryRun)(nil)
	_ System = (*ReadOnly)(nil)
	_ System = Absent{}
)
