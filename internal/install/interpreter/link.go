package interpreter

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/envup/envup/internal/system"
)

// link is one entry envup keeps in the bin dir: a symlink, or on Windows a
// .cmd shim, pointing at a program inside an install.
type link struct {
	name   string // full path in the bin dir
	target string
}

// links are the bin entries an envup install gets: the versioned name
// always (python3.12), the plain ones (python3, python) with default: true.
func (r *Interpreter) links(f *Found) []link {
	if f.Origin != "envup" {
		return nil
	}
	always, dflt := r.tool.programs(f.Version, r.p.OS)
	names := always
	if r.spec.Default {
		names = append(append([]string(nil), always...), dflt...)
	}
	var out []link
	for i, n := range names {
		target := f.Path // the interpreter itself
		if r.tool.name == "node" && i > 0 {
			target = join(f.Prefix, "bin", n)
		}
		name := join(r.p.Dirs.Bin, n)
		if r.p.OS == "windows" {
			name += ".cmd"
		}
		out = append(out, link{name: name, target: target})
	}
	return out
}

func (r *Interpreter) shim(l link) []byte {
	return []byte("@\"" + l.target + "\" %*\r\n")
}

// missingLinks are the links that are absent or point elsewhere.
func (r *Interpreter) missingLinks(sys system.System, f *Found) []link {
	var out []link
	for _, l := range r.links(f) {
		if r.p.OS == "windows" {
			if data, err := sys.ReadFile(l.name); err == nil && string(data) == string(r.shim(l)) {
				continue
			}
		} else if got, err := sys.Readlink(l.name); err == nil && got == l.target {
			continue
		}
		out = append(out, l)
	}
	return out
}

// link makes the missing links. An entry in the bin dir that envup did not
// make (a file, or a link outside envup's data dir) is left alone and is
// an error: envup never takes over what the recipe does not own.
func (r *Interpreter) link(sys system.System, f *Found) error {
	for _, l := range r.missingLinks(sys, f) {
		if err := r.ownOrAbsent(sys, l); err != nil {
			return err
		}
		if r.p.OS == "windows" {
			if err := sys.WriteFile(l.name, r.shim(l), 0o644); err != nil {
				return err
			}
			continue
		}
		if err := sys.MkdirAll(r.p.Dirs.Bin, 0o755); err != nil {
			return err
		}
		if err := sys.Remove(l.name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := sys.Symlink(l.target, l.name); err != nil {
			return err
		}
	}
	return nil
}

func (r *Interpreter) ownOrAbsent(sys system.System, l link) error {
	fi, err := sys.Lstat(l.name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		if got, err := sys.Readlink(l.name); err == nil && strings.HasPrefix(got, r.p.Dirs.Data) {
			return nil
		}
	} else if r.p.OS == "windows" {
		if data, err := sys.ReadFile(l.name); err == nil && strings.Contains(string(data), r.p.Dirs.Data) {
			return nil
		}
	}
	return fmt.Errorf("%s exists and envup did not make it: move it away, or set default: false", l.name)
}
