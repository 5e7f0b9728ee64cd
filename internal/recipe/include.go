package recipe

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// files reads the recipe at path and, depth first, the files it includes,
// checking each against the format as written. It returns the files
// merged (includes first, in order, then the including file), or nil
// with the reasons in l.e. Reading path itself may fail with a plain error.
func (l *loader) files(path string) (*node, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return l.layer(path, data), nil
}

// layer parses and checks one file, then merges its includes under it.
func (l *loader) layer(file string, data []byte) *node {
	root := parse(file, data, l.e)
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
	self := root.clone()
	self.del("include")
	return mergeLayers(merged, self)
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
	data, err := os.ReadFile(target)
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
