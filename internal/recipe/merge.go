package recipe

// merge lays over on top of base and returns a new tree; neither input
// changes. Mappings merge key by key, recursively; everything else
// (scalars, sequences, selectors, downloads) is replaced whole. A null in
// over removes the key. Setting one key of an exclusive group (a font's
// url or path, a file's content or source) drops the other group's keys.
func merge(base, over *node, s *shape) *node {
	if over == nil {
		return base.clone()
	}
	if base == nil || base.kind != mapNode || over.kind != mapNode || s == nil || s.atomic ||
		(s.kind != objKind && s.kind != dictKind) {
		return over.clone()
	}
	out := base.clone()
	for _, p := range over.pairs {
		if g := s.groupOf(p.key); g >= 0 && p.val.kind != nullNode {
			for i, group := range s.groups {
				if i != g {
					for _, k := range group {
						out.del(k)
					}
				}
			}
		}
	}
	for _, p := range over.pairs {
		if p.val.kind == nullNode {
			out.del(p.key)
			continue
		}
		var child *shape
		if s.kind == objKind {
			if f := s.field(p.key); f != nil {
				child = f.shape
			}
		} else {
			child = s.elemShape(p.key)
		}
		if bp := out.pair(p.key); bp != nil {
			bp.val = merge(bp.val, p.val, child)
		} else {
			out.pairs = append(out.pairs, &pair{key: p.key, kpos: p.kpos, val: p.val.clone(), orig: p.orig})
		}
	}
	return out
}

// mergeLayers merges two whole recipe files, over winning. Unlike other
// sequences, platforms items add up: base's first, then over's, so an
// included file keeps its own overrides.
func mergeLayers(base, over *node) *node {
	if base == nil {
		return over.clone()
	}
	out := merge(base, over, recipeShape)
	bp, op := base.pair("platforms"), over.get("platforms")
	if bp != nil && op != nil && bp.val.kind == seqNode && op.kind == seqNode {
		cat := &node{kind: seqNode, pos: op.pos}
		for _, it := range bp.val.items {
			cat.items = append(cat.items, it.clone())
		}
		for _, it := range op.items {
			cat.items = append(cat.items, it.clone())
		}
		out.set("platforms", bp.kpos, cat)
	}
	return out
}

// prune removes keys whose value is null: "not set".
func prune(n *node) {
	switch n.kind {
	case mapNode:
		kept := n.pairs[:0]
		for _, p := range n.pairs {
			if p.val.kind != nullNode {
				prune(p.val)
				kept = append(kept, p)
			}
		}
		n.pairs = kept
	case seqNode:
		for _, it := range n.items {
			prune(it)
		}
	}
}
