// Package bindir keeps envup's entries in the user's bin dir: a symlink
// per program (a .cmd shim on Windows) pointing into an install under the
// data dir. It never replaces an entry envup did not make.
package bindir

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// Link is one entry: Name in the bin dir (with .cmd on Windows) pointing
// at Target, a program inside an install.
type Link struct {
	Name   string
	Target string
}

// Entry is the link for program (a bare name such as "python3.12") on p.
func Entry(p detect.Platform, program, target string) Link {
	name := detect.Join(p.Dirs.Bin, program)
	if p.OS == "windows" {
		name += ".cmd"
	}
	return Link{Name: name, Target: target}
}

// shim is a Windows entry's content: run the target with every argument.
func shim(l Link) []byte {
	return []byte("@\"" + l.Target + "\" %*\r\n")
}

// Missing are the links that are absent or point elsewhere.
func Missing(sys system.System, p detect.Platform, links []Link) []Link {
	var out []Link
	for _, l := range links {
		if p.OS == "windows" {
			if data, err := sys.ReadFile(l.Name); err == nil && string(data) == string(shim(l)) {
				continue
			}
		} else if got, err := sys.Readlink(l.Name); err == nil && got == l.Target {
			continue
		}
		out = append(out, l)
	}
	return out
}

// Make makes the missing links. An entry that envup did not make (a file,
// or a link outside envup's data dir) is left alone and is an error
// ending with hint ("set default: false").
func Make(sys system.System, p detect.Platform, links []Link, hint string) error {
	for _, l := range Missing(sys, p, links) {
		if err := ownOrAbsent(sys, p, l, hint); err != nil {
			return err
		}
		if p.OS == "windows" {
			if err := sys.WriteFile(l.Name, shim(l), 0o644); err != nil {
				return err
			}
			continue
		}
		if err := sys.MkdirAll(p.Dirs.Bin, 0o755); err != nil {
			return err
		}
		if err := sys.Remove(l.Name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := sys.Symlink(l.Target, l.Name); err != nil {
			return err
		}
	}
	return nil
}

func ownOrAbsent(sys system.System, p detect.Platform, l Link, hint string) error {
	fi, err := sys.Lstat(l.Name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		if got, err := sys.Readlink(l.Name); err == nil && strings.HasPrefix(got, p.Dirs.Data) {
			return nil
		}
	} else if p.OS == "windows" {
		if data, err := sys.ReadFile(l.Name); err == nil && strings.Contains(string(data), p.Dirs.Data) {
			return nil
		}
	}
	msg := fmt.Sprintf("%s exists and envup did not make it: move it away", l.Name)
	if hint != "" {
		msg += ", or " + hint
	}
	return errors.New(msg)
}
