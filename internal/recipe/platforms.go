package recipe

import "github.com/envup/envup/internal/detect"

// item is a `platforms` item with its path in the file that wrote it.
type item struct {
	path string // "platforms[1]"
	n    *node
}

// overrides merges the `platforms` items whose `when` matches p on top of
// the recipe, in order, so a later match wins. It takes root over and
// returns the effective tree (root without `platforms`, the items merged
// in) and the items that did not match, which are still scanned for
// undefined vars.
func overrides(root *node, p detect.Platform) (eff *node, others []item) {
	eff = root
	items := eff.get("platforms")
	eff.del("platforms")
	if items == nil || items.kind != seqNode {
		return eff, nil
	}
	perFile := map[string]int{} // items from includes come first: count per file
	for _, it := range items.items {
		path := indexPath("platforms", perFile[it.pos.File])
		perFile[it.pos.File]++
		sel := selectorFromNode(it.get("when"))
		if !sel.Matches(p) {
			others = append(others, item{path: path, n: it})
			continue
		}
		body := &node{kind: mapNode, pos: it.pos, pairs: make([]*pair, 0, len(it.pairs))}
		for _, pr := range it.pairs {
			if pr.key != "when" {
				body.pairs = append(body.pairs, pr)
			}
		}
		eff = mergeInto(eff, body, recipeShape) // copies what it takes from body
	}
	return eff, others
}
