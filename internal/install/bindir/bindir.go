// Package bindir keeps envup's entries in the user's bin dir, each
// standing for a program inside an install under the data dir. It never
// replaces an entry envup did not make. An entry is, by host:
//
//   - Linux and macOS: a symlink, BIN/python3 → DATA/python/3.12.7/bin/python3.12.
//   - Windows 10 and later: a launcher, BIN\python3.exe, a hard link to
//     DATA\shim\envup-shim.exe (a copy of envup's own executable), beside
//     BIN\python3.shim naming the program (package shim starts it with the
//     arguments untouched: no cmd.exe between).
//   - Windows XP to 8.1 (envup export only): a .cmd shim, ASCII only, its
//     target relative to the shim's own folder (%~dp0), since cmd.exe reads
//     it in the OEM code page.
package bindir

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// Link is one entry: Name in the bin dir (python3, python3.exe or
// python3.cmd, as the host takes them) standing for Target, a program
// inside an install, run with Args before the user's arguments (npm on
// Windows is node.exe running npm-cli.js). A symlink cannot carry Args.
type Link struct {
	Name   string
	Target string
	Args   []string
}

// form is what an entry is on a host.
type form int

const (
	symlink  form = iota
	launcher      // Windows 10+: NAME.exe and NAME.shim
	batch         // Windows before 10: NAME.cmd
)

func formFor(p detect.Platform) form {
	if p.OS != "windows" {
		return symlink
	}
	major, _, _ := strings.Cut(p.Version, ".")
	if n, err := strconv.Atoi(major); err == nil && n < 10 {
		return batch
	}
	return launcher // 10, 11, or a version not known: envup runs there
}

// Entry is the entry for program (a bare name such as "python3.12") on p,
// standing for target run with args.
func Entry(p detect.Platform, program, target string, args ...string) Link {
	name := p.Join(p.Dirs.Bin, program)
	switch formFor(p) {
	case launcher:
		name += ".exe"
	case batch:
		name += ".cmd"
	}
	return Link{Name: name, Target: target, Args: args}
}

// Missing are the links that are absent or stand for something else. It
// reads a small file or a link per entry, never an executable's bytes.
func Missing(sys system.System, p detect.Platform, links []Link) []Link {
	var out []Link
	for _, l := range links {
		var ok bool
		switch formFor(p) {
		case launcher:
			ok = launcherMade(sys, l)
		case batch:
			ok = batchMade(sys, p, l)
		default:
			got, err := sys.Readlink(l.Name)
			ok = err == nil && got == l.Target
		}
		if !ok {
			out = append(out, l)
		}
	}
	return out
}

// Make makes the missing links. self is envup's own executable, which
// Windows 10+ entries are copies of; it is read once, when the copy under
// the data dir is missing. An entry that envup did not make (a file, a
// link outside envup's data dir, a .shim naming another program) is left
// alone and is an error ending with hint ("set default: false").
func Make(sys system.System, p detect.Platform, self string, links []Link, hint string) error {
	f := formFor(p)
	for _, l := range Missing(sys, p, links) {
		if err := ownOrAbsent(sys, p, l, hint); err != nil {
			return err
		}
		var err error
		switch f {
		case launcher:
			err = makeLauncher(sys, p, self, l)
		case batch:
			err = makeBatch(sys, p, l)
		default:
			err = makeSymlink(sys, p, l)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func makeSymlink(sys system.System, p detect.Platform, l Link) error {
	if err := sys.MkdirAll(p.Dirs.Bin, 0o755); err != nil {
		return err
	}
	if err := sys.Remove(l.Name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return sys.Symlink(l.Target, l.Name)
}

// ownOrAbsent is nil when l's entry is not there or envup made it.
func ownOrAbsent(sys system.System, p detect.Platform, l Link, hint string) error {
	var (
		mine, there bool
		err         error
	)
	switch formFor(p) {
	case launcher:
		there, mine, err = launcherOwner(sys, p, l)
	default:
		there, mine, err = fileOwner(sys, p, l.Name)
	}
	if err != nil || !there || mine {
		return err
	}
	msg := fmt.Sprintf("%s exists and envup did not make it: move it away", l.Name)
	if hint != "" {
		msg += ", or " + hint
	}
	return errors.New(msg)
}

// fileOwner tells whether name is there and whether envup made it: a
// symlink into the data dir, or (on Windows) a .cmd shim that runs a
// program under it.
func fileOwner(sys system.System, p detect.Platform, name string) (there, mine bool, err error) {
	fi, err := sys.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, false, nil
	}
	if err != nil {
		return false, false, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		got, err := sys.Readlink(name)
		return true, err == nil && under(p, got, p.Dirs.Data), nil
	}
	if p.OS == "windows" && strings.EqualFold(extOf(name), ".cmd") {
		return true, batchMine(sys, p, name), nil
	}
	return true, false, nil
}

// under tells whether path is inside dir on p: either separator, and in
// any case on Windows, as NTFS compares names.
func under(p detect.Platform, path, dir string) bool {
	dir = strings.TrimRight(dir, `\/`)
	if dir == "" || len(path) <= len(dir) {
		return false
	}
	if head := path[:len(dir)]; head != dir && !(p.OS == "windows" && strings.EqualFold(head, dir)) {
		return false
	}
	return path[len(dir)] == '\\' || path[len(dir)] == '/'
}

// extOf is name's extension with its dot, or "".
func extOf(name string) string {
	if i := strings.LastIndexAny(name, `.\/`); i >= 0 && name[i] == '.' {
		return name[i:]
	}
	return ""
}

// parentOf is the folder that holds path, written with path's separator.
func parentOf(path string) string {
	path = strings.TrimRight(path, `\/`)
	return path[:max(strings.LastIndexAny(path, `\/`), 0)]
}
