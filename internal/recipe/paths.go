package recipe

import (
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Relative paths (a file's source, a font's path, requirements and
// find_links entries) are relative to the file that wrote them. Load
// rewrites the ones written in an included file so that every relative
// path in a Recipe is relative to Recipe.Dir, with forward slashes; the
// main file's are kept as written. Recipe.Abs gives the path to open.

// Abs returns the local file a relative path of the recipe names; other
// paths (absolute, ~, URLs) come back unchanged.
func (r *Recipe) Abs(p string) string {
	if !isRelative(p) {
		return p
	}
	return filepath.Join(r.Dir, filepath.FromSlash(p))
}

// isRelative tells whether a path is relative to the recipe: not
// absolute on any OS, not under ~, not a URL.
func isRelative(p string) bool {
	return p != "" && !isAbs(p) && !strings.HasPrefix(p, "~") && !strings.Contains(p, "://")
}

// localPaths rebases relative local paths on the main recipe's folder
// and reports those that do not exist there.
func localPaths(n *node, s *shape, at, mainDir string, e *errs) {
	if n == nil || n.kind == nullNode {
		return
	}
	switch s.kind {
	case strKind:
		if s.path == localPath && n.kind == scalarNode && isRelative(n.text) {
			rebase(n, at, mainDir, e)
		}
	case listKind:
		for i, it := range n.items {
			localPaths(it, s.elem, indexPath(at, i), mainDir, e)
		}
	case objKind:
		for _, p := range n.pairs {
			if f := s.field(p.key); f != nil {
				localPaths(p.val, f.shape, keyPath(at, p.key), mainDir, e)
			}
		}
	case dictKind:
		for _, p := range n.pairs {
			if es := s.elemShape(p.key); es != nil {
				localPaths(p.val, es, keyPath(at, p.name()), mainDir, e)
			}
		}
	}
}

func rebase(n *node, at, mainDir string, e *errs) {
	written := n.text
	if rel, err := filepath.Rel(mainDir, filepath.Dir(n.pos.File)); err == nil && rel != "." {
		n.text = path.Join(filepath.ToSlash(rel), filepath.ToSlash(written))
	}
	if _, err := os.Stat(filepath.Join(mainDir, filepath.FromSlash(n.text))); err != nil {
		e.add(n.pos, at, "no such file or folder: %s", written)
	}
}
