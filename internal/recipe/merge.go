package recipe

// mergeInto lays over on top of out and returns the result; it edits
// out, which the caller owns, and copies what it takes from over, which
// stays as it was. Mappings merge key by key, recursively; everything
// else (scalars, sequences, selectors, downloads) is replaced whole: the
// result is then a copy of over. A null in over removes the key. Setting
// one key of an exclusive group (a font's url or path, a file's content
// or source) drops the other group's keys. Keys are found through an
// index, so merging n keys takes O(n), not O(n²).
func mergeInto(out, over *node, s *shape) *node {
	if over == nil {
		return out
	}
	if out == nil || out.kind != mapNode || over.kind != mapNode || s == nil || s.atomic ||
		(s.kind != objKind && s.kind != dictKind) {
		return over.clone()
	}
	// What over removes: its nulls, and the other key groups of a group
	// it sets.
	drop := map[string]bool{}
	for _, p := range over.pairs {
		if p.val.kind == nullNode {
			drop[p.key] = true
			continue
		}
		if g := s.groupOf(p.key); g >= 0 {
			for i, group := range s.groups {
				if i != g {
					for _, k := range group {
						drop[k] = true
					}
				}
			}
		}
	}
	index := make(map[string]*pair, len(out.pairs))
	kept := out.pairs[:0]
	for _, p := range out.pairs {
		if !drop[p.key] {
			kept = append(kept, p)
			index[p.key] = p
		}
	}
	out.pairs = kept
	for _, p := range over.pairs {
		if p.val.kind == nullNode {
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
		if bp := index[p.key]; bp != nil {
			bp.val = mergeInto(bp.val, p.val, child)
			continue
		}
		np := &pair{key: p.key, kpos: p.kpos, kstyle: p.kstyle, val: p.val.clone(), orig: p.orig}
		index[p.key] = np
		out.pairs = append(out.pairs, np)
	}
	return out
}

// mergeLayers merges two whole recipe files, over winning. Unlike other
// sequences, platforms items add up: base's first, then over's, so an
// included file keeps its own overrides. It takes both trees over: the
// result is made of their nodes.
func mergeLayers(base, over *node) *node {
	if base == nil {
		return over
	}
	bp, op := base.pair("platforms"), over.get("platforms")
	var items []*node
	if bp != nil && op != nil && bp.val.kind == seqNode && op.kind == seqNode {
		items = append(append(make([]*node, 0, len(bp.val.items)+len(op.items)), bp.val.items...), op.items...)
	}
	out := mergeInto(base, over, recipeShape)
	if items != nil {
		out.set("platforms", bp.kpos, &node{kind: seqNode, pos: op.pos, items: items})
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
