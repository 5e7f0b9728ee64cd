package inventory

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// versionTimeout bounds one interpreter's version run. A healthy python
// or node answers in tens of milliseconds; a cold disk, or a virus
// scanner looking at a fresh python.exe, can take seconds.
const versionTimeout = 10 * time.Second

// pythonVersion prints "3.11.2". It runs on Python 2.6 and every 3.x;
// -E ignores PYTHONHOME and PYTHONPATH, which could break or redirect the
// interpreter and make the remembered answer depend on the environment,
// and -S skips site, which the version does not need.
const pythonVersion = "import sys; print('%d.%d.%d' % sys.version_info[:3])"

// failed marks a remembered value as a failure: "!" and the reason.
const failed = "!"

var versionRE = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)

// binary is one interpreter found on disk: where it was found, the file
// it really is, and that file's size and mtime, which key its version in
// the memo.
type binary struct {
	tool   string
	path   string // as found (a link, perhaps): what Interpreter.Path says
	real   string // with every link resolved
	origin string
	size   int64
	mtime  time.Time
}

// memoKey names a binary's version in the memo: its real path, size and
// mtime, so a link to it shares the entry and a replaced file does not.
func (b binary) memoKey() string {
	return fmt.Sprintf("inventory/version %s %d %d", b.real, b.size, b.mtime.UnixNano())
}

// argv is the command that prints the binary's version.
func (b binary) argv() []string {
	if b.tool == "node" {
		return []string{b.path, "--version"}
	}
	return []string{b.path, "-E", "-S", "-c", pythonVersion}
}

// version returns the binary's version from the memo or, when the memo
// does not know this file, by running it once. The answer is
// remembered, and so is a definite failure (the binary ran and exited
// non-zero, or printed something else than a version), so a broken
// interpreter is not run again until its file changes. A failure to
// start, a timeout or a cancelled context is not remembered.
func version(ctx context.Context, sys system.System, b binary, memo *state.Memo) (string, error) {
	key := b.memoKey()
	if v, ok := memo.Get(key); ok {
		if reason, bad := strings.CutPrefix(v, failed); bad {
			return "", fmt.Errorf("%s: %s (remembered until the file changes)", b.path, reason)
		}
		return v, nil
	}
	runCtx, cancel := context.WithTimeout(ctx, versionTimeout)
	defer cancel()
	cmd := system.Cmd{Argv: b.argv()}
	if b.tool == "node" {
		// NODE_OPTIONS with a flag this node does not know stops it
		// before it prints anything.
		cmd.Env = []string{"NODE_OPTIONS="}
	}
	res, err := sys.Query(runCtx, cmd)
	if err != nil {
		if runCtx.Err() != nil {
			if ctx.Err() != nil {
				return "", ctx.Err()
			}
			return "", fmt.Errorf("%s: no answer within %s", b.path, versionTimeout)
		}
		var exitErr *system.ExitError
		if errors.As(err, &exitErr) {
			memo.Put(key, failed+oneLine(exitErr.Error()))
		}
		return "", err
	}
	v, ok := parseVersion(b.tool, res.Stdout)
	if !ok {
		reason := fmt.Sprintf("%s: printed %q, not a version", system.Quote(cmd.Argv), oneLine(string(res.Stdout)))
		memo.Put(key, failed+reason)
		return "", errors.New(reason)
	}
	memo.Put(key, v)
	return v, nil
}

// parseVersion reads the version from what the binary printed: the last
// non-empty line, "3.11.2" from python, "v20.20.2" from node.
func parseVersion(tool string, out []byte) (string, bool) {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	v := strings.TrimSpace(lines[len(lines)-1])
	if tool == "node" {
		v = strings.TrimPrefix(v, "v")
	}
	return v, versionRE.MatchString(v)
}

// oneLine shortens a message to one line of at most 200 characters.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// compareVersions orders "3.9.18" before "3.10.13": numerically, part by
// part. Both are known to match versionRE.
func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return len(pa) - len(pb)
}

// FindVersion returns the version of one known interpreter binary (a
// python or a node, told apart by its name), from the memo when its real
// path, size and mtime are remembered, else by running it once. It is
// how a resource re-checks the interpreter it chose on an earlier run.
func FindVersion(ctx context.Context, sys system.System, path string, memo *state.Memo) (string, error) {
	tool, ok := toolOf(base(path))
	if !ok {
		return "", fmt.Errorf("%s: not a python or node binary", path)
	}
	r := newResolver(sys, isWindowsAbs(path))
	real, err := r.path(path)
	if err != nil {
		return "", err
	}
	fi, err := statBinary(sys, real, r.win)
	if err != nil {
		return "", err
	}
	return version(ctx, sys, binary{tool: tool, path: path, real: real, size: fi.Size(), mtime: fi.ModTime()}, memo)
}

// toolOf tells which tool a binary's name belongs to.
func toolOf(name string) (string, bool) {
	name = strings.ToLower(name)
	switch {
	case strings.HasPrefix(name, "node"):
		return "node", true
	case strings.HasPrefix(name, "python"):
		return "python", true
	}
	return "", false
}

// errNotExecutable is a file that cannot be an interpreter: a directory,
// or a file without execute permission.
var errNotExecutable = errors.New("not an executable file")

// statBinary stats a real path and checks that it can be run. An app
// execution alias on Windows cannot be followed by Stat, so Lstat stands
// in for it there.
func statBinary(sys system.System, real string, win bool) (fs.FileInfo, error) {
	fi, err := sys.Stat(real)
	if err != nil && win {
		fi, err = sys.Lstat(real)
	}
	if err != nil {
		return nil, err
	}
	if fi.IsDir() || (!win && (!fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0)) {
		return nil, &fs.PathError{Op: "stat", Path: real, Err: errNotExecutable}
	}
	return fi, nil
}
