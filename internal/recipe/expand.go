package recipe

import "github.com/envup/envup/internal/detect"

// tree expands every string the shape says takes vars, and ~ in paths.
// The vars section itself is set from the resolved values.
func (x *expander) tree(n *node, s *shape, path string) {
	if n == nil {
		return
	}
	switch s.kind {
	case strKind:
		if n.kind == scalarNode && !s.noVars {
			n.text = x.expand(n, path)
			if s.path != notPath {
				n.text = x.tilde(n.text)
			}
			if s.path == destPath {
				n.text = x.dest(n.text)
			}
		}
	case anyKind:
		x.anyTree(n, path)
	case listKind:
		for i, it := range n.items {
			x.tree(it, s.elem, indexPath(path, i))
		}
	case objKind:
		for _, p := range n.pairs {
			if f := s.field(p.key); f != nil {
				x.tree(p.val, f.shape, keyPath(path, p.key))
			}
		}
	case dictKind:
		x.dictTree(n, s, path)
	}
}

func (x *expander) dictTree(n *node, s *shape, path string) {
	for _, p := range n.pairs {
		kp := keyPath(path, p.name())
		if s.keyPath != notPath {
			k := &node{kind: scalarNode, text: p.key, pos: p.kpos}
			key := x.tilde(x.expand(k, kp))
			if s.keyPath == destPath {
				key = x.dest(key)
			}
			if key != p.key {
				p.orig, p.key = p.name(), key
			}
		}
		if es := s.elemShape(p.key); es != nil {
			x.tree(p.val, es, kp)
		}
	}
}

// anyTree expands the strings inside a free-form value (editor settings).
func (x *expander) anyTree(n *node, path string) {
	switch n.kind {
	case scalarNode:
		if n.tag == "!!str" {
			n.text = x.expand(n, path)
		}
	case seqNode:
		for i, it := range n.items {
			x.anyTree(it, indexPath(path, i))
		}
	case mapNode:
		for _, p := range n.pairs {
			x.anyTree(p.val, keyPath(path, p.key))
		}
	}
}

// expandVars resolves the vars of the effective tree and expands them
// everywhere in it. The `platforms` items that did not match are only
// scanned: a name they use must be set somewhere (in vars or any item).
func expandVars(eff *node, others []item, p detect.Platform, e *errs) {
	x := newExpander(eff, p, e)
	x.resolveAll()
	for _, pr := range eff.pairs {
		if pr.key == "vars" {
			for _, v := range pr.val.pairs {
				if val, ok := x.vals[v.key]; ok {
					v.val.text = val
				}
			}
			continue
		}
		if f := recipeShape.field(pr.key); f != nil {
			x.tree(pr.val, f.shape, pr.key)
		}
	}
	if len(others) == 0 {
		return
	}
	scan := &expander{e: e, builtins: x.builtins, raw: x.raw, vals: map[string]string{}, known: map[string]bool{}}
	for _, k := range x.names() {
		scan.known[k] = true
	}
	for _, it := range others {
		if vars := it.n.get("vars"); vars != nil {
			for _, v := range vars.pairs {
				scan.known[v.key] = true
			}
		}
	}
	scan.sorted = sortedKeys(scan.known)
	override := recipeShape.field("platforms").shape.elem
	for _, it := range others {
		scan.tree(it.n, override, it.path) // the item is not used again
	}
}
