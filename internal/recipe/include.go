package recipe

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// What one Load reads at most: a recipe and the files it includes, each
// counted every time it is included. Real recipes are a few kilobytes;
// the limits keep a hostile one (a huge file, /dev/zero, a file that
// includes another twice, which includes another twice, ...) from
// taking the machine's memory and time.
const (
	maxBytes = 4 << 20
	maxFiles = 100
)

var (
	errTooBig    = fmt.Errorf("too big: a recipe and the files it includes may hold %d MiB", maxBytes>>20)
	errTooMany   = fmt.Errorf("too many files: a recipe may read %d, counting a file each time it is included", maxFiles)
	errIrregular = errors.New("not a regular file")
)

// files reads the recipe at path and, depth first, the files it includes,
// checking each against the format as written. It returns the files
// merged (includes first, in order, then the including file), or nil
// with the reasons in l.e. Reading path itself may fail with a plain error;
// src, when not nil, is its text, read already.
func (l *loader) files(path string, src []byte) (*node, error) {
	data, err := src, error(nil)
	if src == nil {
		data, err = l.read(path, false)
	} else {
		l.reads, l.bytes = 1, len(src)
	}
	if errors.Is(err, errTooBig) {
		l.e.add(Pos{File: path}, "", "%s", err)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return l.layer(path, data), nil
}

// read reads one file within what is left of the limits. An included
// file must be a regular file: a device or a pipe could block or never
// end. The recipe itself may be a pipe (envup plan <(...)).
func (l *loader) read(path string, included bool) ([]byte, error) {
	if l.reads++; l.reads > maxFiles {
		return nil, errTooMany
	}
	if included {
		fi, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		if !fi.Mode().IsRegular() && !fi.IsDir() {
			return nil, errIrregular
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	left := maxBytes - l.bytes
	data, err := io.ReadAll(io.LimitReader(f, int64(left)+1))
	l.bytes += len(data)
	if err != nil {
		return nil, err
	}
	if len(data) > left {
		return nil, errTooBig
	}
	return data, nil
}

// layer parses and checks one file, then merges its includes under it.
func (l *loader) layer(file string, data []byte) *node {
	root := parse(file, data, l.e, &l.aliases)
	if root == nil {
		return nil
	}
	(&checker{e: l.e}).value(root, recipeShape, "", true, Pos{File: file, Line: 1, Col: 1})
	var merged *node
	if inc := root.get("include"); inc != nil && inc.kind == seqNode {
		for i, it := range inc.items {
			if it.kind != scalarNode {
				continue // the checker said why
			}
			if child := l.include(file, it, indexPath("include", i)); child != nil {
				merged = mergeLayers(merged, child)
			}
		}
	}
	root.del("include")
	return mergeLayers(merged, root)
}

// include loads one include entry, relative to the including file.
func (l *loader) include(from string, entry *node, path string) *node {
	target := filepath.FromSlash(entry.text)
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(from), target)
	}
	abs, err := filepath.Abs(target)
	if err != nil {
		abs = target
	}
	for i, f := range l.stack {
		if f == abs {
			chain := append(append([]string{}, l.names[i:]...), target)
			l.e.add(entry.pos, path, "include cycle: %s", strings.Join(chain, " → "))
			return nil
		}
	}
	data, err := l.read(target, true)
	if l.full {
		return nil // the limit was reported once, where it was passed
	}
	if errors.Is(err, errTooBig) || errors.Is(err, errTooMany) {
		l.full = true
	}
	if err != nil {
		l.e.add(entry.pos, path, "cannot read %s: %s", entry.text, readReason(err))
		return nil
	}
	l.stack = append(l.stack, abs)
	l.names = append(l.names, target)
	defer func() {
		l.stack = l.stack[:len(l.stack)-1]
		l.names = l.names[:len(l.names)-1]
	}()
	return l.layer(target, data)
}

// readReason says briefly why a file could not be read.
func readReason(err error) string {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.As(err, &pe):
		return pe.Err.Error()
	}
	return err.Error()
}
