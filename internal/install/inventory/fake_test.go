package inventory

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

// fakeHost is a systemtest host laid out under a temp dir, as a chroot
// would be: "/usr/bin/python3.11" is root/usr/bin/python3.11, and a
// Windows "C:\Users\x" is root/C/Users/x. Files are real; the
// environment, the PATH lookups and, for Windows, the commands are the
// test's (a Unix command runs the file the test wrote). It counts what
// costs: processes spawned and directories read.
type fakeHost struct {
	*systemtest.System
	t testing.TB

	spawns   atomic.Int64
	readDirs atomic.Int64
	mu       sync.Mutex
	seen     int // commands has returned the commands before this one
}

func newFakeHost(t testing.TB, win bool) *fakeHost {
	t.Helper()
	sys := systemtest.NewChroot(t)
	if win {
		sys = systemtest.NewWindows(t)
	}
	f := &fakeHost{System: sys, t: t}
	sys.Hook(func(v systemtest.Verb, _ string) error {
		if v == systemtest.ReadDir {
			f.readDirs.Add(1)
		}
		return nil
	})
	if !win {
		sys.AllowAny(systemtest.Query).Func(func(ctx context.Context, cmd system.Cmd) (*system.Result, error) {
			f.spawns.Add(1)
			local := cmd
			local.Argv = append([]string{f.chroot(cmd.Argv[0])}, cmd.Argv[1:]...)
			return systemtest.Exec(ctx, local)
		})
	}
	return f
}

// answer makes the command argv print stdout, wherever it runs.
func (f *fakeHost) answer(stdout string, argv ...string) {
	f.Allow(systemtest.Query, argv...).Stdout(stdout).Do(func(system.Cmd) { f.spawns.Add(1) })
}

// chroot follows the links of a host path's last element inside the
// temp dir, as the kernel would inside a chroot: an absolute target is a
// host path, not this machine's.
func (f *fakeHost) chroot(name string) string {
	local := f.Local(name)
	for range 40 {
		target, err := os.Readlink(local)
		if err != nil {
			return local
		}
		if filepath.IsAbs(target) {
			local = f.Local(target)
		} else {
			local = filepath.Join(filepath.Dir(local), target)
		}
	}
	return local
}

// commands returns the commands run since it was last called, each as
// its argv joined by spaces, sorted.
func (f *fakeHost) commands() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	cmds := f.Cmds(systemtest.Query)
	var out []string
	for _, c := range cmds[f.seen:] {
		out = append(out, strings.Join(c.Argv, " "))
	}
	f.seen = len(cmds)
	slices.Sort(out)
	return out
}

// file writes a host file (an executable when mode says so).
func (f *fakeHost) file(name, content string, mode fs.FileMode) {
	f.t.Helper()
	p := f.Local(name)
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
	p := f.Local(name)
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
	err := filepath.WalkDir(f.Root(), func(p string, d fs.DirEntry, err error) error {
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
