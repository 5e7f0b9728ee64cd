package bindir

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/shim"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/winargv"
)

// Launcher is where p keeps the copy of envup's executable that every
// Windows 10+ entry is a hard link to: a copy, so that envup.exe itself
// can be replaced or removed while a shimmed python runs.
func Launcher(p detect.Platform) string {
	return p.Join(p.Dirs.Data, "shim", "envup-shim.exe")
}

// shimFile is the .shim that goes with l.
func shimFile(l Link) shim.File {
	return shim.File{Path: l.Target, Args: winargv.Join(l.Args)}
}

// launcherMade tells whether l's .shim says what it should and its .exe
// is there: two small reads, never the executable's bytes.
func launcherMade(sys system.System, l Link) bool {
	data, err := sys.ReadFile(shim.For(l.Name))
	if err != nil || !bytes.Equal(data, shimFile(l).Format()) {
		return false
	}
	_, err = sys.Stat(l.Name)
	return err == nil
}

// launcherOwner tells whether l's .exe or .shim is there and whether envup
// made it: its .shim names a program under the data dir. An .exe with no
// such .shim beside it is someone else's.
func launcherOwner(sys system.System, p detect.Platform, l Link) (there, mine bool, err error) {
	data, err := sys.ReadFile(shim.For(l.Name))
	shimThere := err == nil
	if shimThere {
		f, perr := shim.Parse(data)
		mine = perr == nil && under(p, f.Path, p.Dirs.Data)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, false, err
	}
	_, err = sys.Lstat(l.Name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, false, err
	}
	return shimThere || err == nil, mine, nil
}

// makeLauncher writes l's .shim, then (when it is not there yet) its .exe,
// a hard link to the launcher copy, or a copy of it where no link can be
// made (another volume). An .exe already there is envup's launcher
// already: only the .shim changes, so a running one is never touched. An
// old .cmd shim envup made for the same name goes, so PATHEXT cannot pick
// a stale one.
func makeLauncher(sys system.System, p detect.Platform, self string, l Link) error {
	if err := sys.WriteFile(shim.For(l.Name), shimFile(l).Format(), 0o644); err != nil {
		return err
	}
	if _, err := sys.Lstat(l.Name); errors.Is(err, fs.ErrNotExist) {
		src, err := ensureLauncher(sys, p, self)
		if err != nil {
			return err
		}
		if err := linkOrCopy(sys, src, l.Name); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	old := trimExt(l.Name) + ".cmd"
	if _, mine, _ := fileOwner(sys, p, old); mine {
		return sys.Remove(old)
	}
	return nil
}

// ensureLauncher makes the launcher copy from self when it is missing. A
// plan for another host (--platform), which cannot see it, shows the step
// without the bytes: envup's executable for that host is not this one.
func ensureLauncher(sys system.System, p detect.Platform, self string) (string, error) {
	dst := Launcher(p)
	_, err := sys.Stat(dst)
	switch {
	case err == nil:
		return dst, nil
	case errors.Is(err, system.ErrNotObserved):
		return dst, sys.WriteFile(dst, nil, 0o755)
	case self == "":
		return "", fmt.Errorf("%s: envup's own executable is not known, so its launcher copy cannot be made", dst)
	}
	data, err := sys.ReadFile(self)
	if err != nil {
		return "", fmt.Errorf("%s: copy envup's own executable: %w", dst, err)
	}
	return dst, sys.WriteFile(dst, data, 0o755)
}

// linkOrCopy makes dst a hard link to src, or a copy of it where no link
// can be made (another volume, a file system without links).
func linkOrCopy(sys system.System, src, dst string) error {
	if sys.Link(src, dst) == nil {
		return nil
	}
	data, err := sys.ReadFile(src)
	if err != nil {
		return fmt.Errorf("copy %s to %s: %w", src, dst, err)
	}
	return sys.WriteFile(dst, data, 0o755)
}

// trimExt is name without its extension.
func trimExt(name string) string { return name[:len(name)-len(extOf(name))] }
