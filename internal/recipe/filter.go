package recipe

import "github.com/envup/envup/internal/detect"

// filter drops every entry (a package group, interpreter, virtualenv,
// service, font, editor, file or check) whose own `when` does not match
// p. It returns what it dropped, "section/key" to the selector, so later
// checks can say why something is missing.
func filter(eff *node, p detect.Platform) map[string]*Selector {
	dropped := map[string]*Selector{}
	for _, sec := range eff.pairs {
		switch sec.val.kind {
		case mapNode:
			kept := sec.val.pairs[:0]
			for _, e := range sec.val.pairs {
				if sel := entrySelector(e.val); sel != nil && !sel.Matches(p) {
					dropped[sec.key+"/"+e.key] = sel
					continue
				}
				kept = append(kept, e)
			}
			sec.val.pairs = kept
		case seqNode:
			kept := sec.val.items[:0]
			for _, it := range sec.val.items {
				if sel := entrySelector(it); sel != nil && !sel.Matches(p) {
					continue
				}
				kept = append(kept, it)
			}
			sec.val.items = kept
		}
	}
	return dropped
}

// entrySelector is an entry's `when`, or nil.
func entrySelector(n *node) *Selector {
	if n.kind != mapNode {
		return nil
	}
	w := n.get("when")
	if w == nil || w.kind == nullNode {
		return nil
	}
	return selectorFromNode(w)
}
