package service

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/envup/envup/internal/system"
)

// link is one entry envup keeps in the bin dir: a symlink, or on Windows
// a .cmd shim, pointing at a program inside an install.
type link struct {
	name   string // full path in the bin dir
	target string
}

// links are the bin entries an envup install gets: the server and its
// cli. A system install gets none: its programs are on the PATH already.
func (s *Service) links(f *Found) []link {
	if f == nil || f.Origin != "envup" {
		return nil
	}
	var out []link
	for _, target := range []string{f.Path, f.CLI} {
		name := join(s.p.Dirs.Bin, strings.TrimSuffix(baseOf(target), ".exe"))
		if s.p.OS == "windows" {
			name += ".cmd"
		}
		out = append(out, link{name: name, target: target})
	}
	return out
}

func shim(l link) []byte {
	return []byte("@\"" + l.target + "\" %*\r\n")
}

// missingLinks are the links that are absent or point elsewhere.
func (s *Service) missingLinks(sys system.System, f *Found) []link {
	var out []link
	for _, l := range s.links(f) {
		if s.p.OS == "windows" {
			if data, err := sys.ReadFile(l.name); err == nil && string(data) == string(shim(l)) {
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
func (s *Service) link(sys system.System, f *Found) error {
	for _, l := range s.missingLinks(sys, f) {
		if err := s.ownOrAbsent(sys, l); err != nil {
			return err
		}
		if s.p.OS == "windows" {
			if err := sys.WriteFile(l.name, shim(l), 0o644); err != nil {
				return err
			}
			continue
		}
		if err := sys.MkdirAll(s.p.Dirs.Bin, 0o755); err != nil {
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

func (s *Service) ownOrAbsent(sys system.System, l link) error {
	fi, err := sys.Lstat(l.name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		if got, err := sys.Readlink(l.name); err == nil && strings.HasPrefix(got, s.p.Dirs.Data) {
			return nil
		}
	} else if s.p.OS == "windows" {
		if data, err := sys.ReadFile(l.name); err == nil && strings.Contains(string(data), s.p.Dirs.Data) {
			return nil
		}
	}
	return fmt.Errorf("%s exists and envup did not make it: move it away", l.name)
}
