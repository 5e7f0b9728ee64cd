package inventory

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/envup/envup/internal/system"
)

// fakeHost is a host laid out under a temp dir, as a chroot would be:
// "/usr/bin/python3.11" is root/usr/bin/python3.11, and a Windows
// "C:\Users\x" is root/C/Users/x. Files are real; the environment, the
// PATH lookups and, for Windows, the commands are the test's. It counts
// what costs: processes spawned and directories read. Anything it does
// not handle falls to system.Absent, so a stray change fails.
type fakeHost struct {
	system.Absent
	t    testing.TB
	root string
	win  bool

	env     map[string]string
	look    map[string]string // LookPath answers
	answers map[string]answer // Query answers by argv; unix runs the file when none

	spawns   atomic.Int64
	readDirs atomic.Int64
	mu       sync.Mutex
	ran      []string
}

// answer is what a faked command prints, or how it fails.
type answer struct {
	stdout string
	code   int
}

func newFakeHost(t testing.TB, win bool) *fakeHost {
	t.Helper()
	return &fakeHost{
		t: t, root: t.TempDir(), win: win,
		env: map[string]string{}, look: map[string]string{}, answers: map[string]answer{},
	}
}

// local is where a host path lives in the temp dir.
func (f *fakeHost) local(name string) string {
	if f.win {
		name = strings.ReplaceAll(name, `\`, "/")
		if len(name) >= 2 && name[1] == ':' {
			name = "/" + strings.ToUpper(name[:1]) + name[2:]
		}
	}
	return filepath.Join(f.root, filepath.FromSlash(name))
}

func (f *fakeHost) Stat(name string) (fs.FileInfo, error)  { return os.Stat(f.local(name)) }
func (f *fakeHost) Lstat(name string) (fs.FileInfo, error) { return os.Lstat(f.local(name)) }
func (f *fakeHost) ReadFile(name string) ([]byte, error)   { return os.ReadFile(f.local(name)) }
func (f *fakeHost) Readlink(name string) (string, error)   { return os.Readlink(f.local(name)) }
func (f *fakeHost) Getenv(key string) string               { return f.env[key] }

func (f *fakeHost) ReadDir(name string) ([]fs.DirEntry, error) {
	f.readDirs.Add(1)
	return os.ReadDir(f.local(name))
}

func (f *fakeHost) LookPath(file string) (string, error) {
	if p, ok := f.look[file]; ok {
		return p, nil
	}
	return "", &exec.Error{Name: file, Err: exec.ErrNotFound}
}

func (f *fakeHost) Query(ctx context.Context, cmd system.Cmd) (*system.Result, error) {
	f.spawns.Add(1)
	key := strings.Join(cmd.Argv, " ")
	f.mu.Lock()
	f.ran = append(f.ran, key)
	f.mu.Unlock()
	if a, ok := f.answers[key]; ok {
		res := &system.Result{Stdout: []byte(a.stdout), ExitCode: a.code}
		if a.code != 0 {
			return res, &system.ExitError{Argv: cmd.Argv, ExitCode: a.code}
		}
		return res, nil
	}
	if f.win {
		f.t.Errorf("unexpected command %s", system.Quote(cmd.Argv))
		return nil, fmt.Errorf("unexpected command %s", system.Quote(cmd.Argv))
	}
	local := cmd
	local.Argv = append([]string{f.chroot(cmd.Argv[0])}, cmd.Argv[1:]...)
	return runScript(ctx, local)
}

// runScript runs a script the test wrote. Parallel tests write scripts
// while others fork: a child forked while a script was open for writing
// holds it open until it execs, and running the script fails with "text
// file busy" (golang/go#22315) for that moment. It is tried again.
func runScript(ctx context.Context, cmd system.Cmd) (*system.Result, error) {
	for try := 0; ; try++ {
		res, err := system.NewReal().Query(ctx, cmd)
		if !errors.Is(err, syscall.ETXTBSY) || try == 20 {
			return res, err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// chroot follows the links of a host path's last element inside the
// temp dir, as the kernel would inside a chroot: an absolute target is a
// host path, not this machine's.
func (f *fakeHost) chroot(name string) string {
	local := f.local(name)
	for range 40 {
		target, err := os.Readlink(local)
		if err != nil {
			return local
		}
		if filepath.IsAbs(target) {
			local = f.local(target)
		} else {
			local = filepath.Join(filepath.Dir(local), target)
		}
	}
	return local
}

// commands returns the commands run so far, sorted, and forgets them.
func (f *fakeHost) commands() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := slices.Sorted(slices.Values(f.ran))
	f.ran = nil
	return out
}

// file writes a host file (an executable when mode says so).
func (f *fakeHost) file(name, content string, mode fs.FileMode) {
	f.t.Helper()
	p := f.local(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		f.t.Fatal(err)
	}
}

// link makes name a symbolic link holding target as written: an
// absolute target is a host path, resolved inside the fake host.
func (f *fakeHost) link(target, name string) {
	f.t.Helper()
	p := f.local(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		f.t.Fatal(err)
	}
}

// python writes a stand-in python that prints version when run with -c,
// as the real one prints sys.version_info.
func (f *fakeHost) python(name, version string) {
	f.t.Helper()
	f.file(name, "#!/bin/sh\nfor a in \"$@\"; do\n  if [ \"$a\" = -c ]; then echo "+version+"; exit 0; fi\ndone\nexit 2\n", 0o755)
}

// node writes a stand-in node that prints v<version> for --version.
func (f *fakeHost) node(name, version string) {
	f.t.Helper()
	f.file(name, "#!/bin/sh\n[ \"$1\" = --version ] && echo v"+version+" && exit 0\nexit 2\n", 0o755)
}

// age sets every directory's mtime an hour back, as on a host that has
// not changed for a while, so their listings may be remembered.
func (f *fakeHost) age() {
	f.t.Helper()
	old := time.Now().Add(-time.Hour)
	err := filepath.WalkDir(f.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chtimes(p, old, old)
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
}
