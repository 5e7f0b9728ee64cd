package recipe

import "github.com/envup/envup/internal/detect"

// item is a `platforms` item with its path in the file that wrote it.
type item struct {
	path string // "platforms[1]"
	n    *node
}

// overrides merges the `platforms` items whose `when` matches p on top of
// the recipe, in order, so a later match wins. It returns the effective
// tree (without `platforms`) and the items that did not match, which are
// still scanned for undefined vars.
func overrides(root *node, p detect.Platform) (eff *node, others []item) {
	eff = root.clone()
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
		body := it.clone()
		body.del("when")
		eff = merge(eff, body, recipeShape)
	}
	return eff, others
}
