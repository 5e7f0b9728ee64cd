package recipe

import (
	"gopkg.in/yaml.v3"
)

// kind is what a node holds.
type kind int

const (
	scalarNode kind = iota
	mapNode
	seqNode
	nullNode
)

// node is a YAML value with the position it was written at. Unlike
// yaml.Node it knows its file, so trees from several files (includes,
// overrides) can be merged and still point at the right place.
type node struct {
	kind  kind
	tag   string     // scalars: !!str, !!int, !!float, !!bool, !!timestamp, ...
	text  string     // scalars: the value as written
	style yaml.Style // scalars: plain, quoted or block, to place columns inside the text
	pairs []*pair    // mappings, in written order
	items []*node    // sequences
	pos   Pos
}

// pair is one key of a mapping.
type pair struct {
	key    string
	kpos   Pos
	kstyle yaml.Style // how the key is written, to place columns inside it
	val    *node
	orig   string // the key as written, when vars changed it (files)
}

// name is the key as written, for messages.
func (p *pair) name() string {
	if p.orig != "" {
		return p.orig
	}
	return p.key
}

func (n *node) get(key string) *node {
	if p := n.pair(key); p != nil {
		return p.val
	}
	return nil
}

func (n *node) pair(key string) *pair {
	if n == nil || n.kind != mapNode {
		return nil
	}
	for _, p := range n.pairs {
		if p.key == key {
			return p
		}
	}
	return nil
}

func (n *node) del(key string) {
	for i, p := range n.pairs {
		if p.key == key {
			n.pairs = append(n.pairs[:i:i], n.pairs[i+1:]...)
			return
		}
	}
}

// set replaces the value of key, or appends the key.
func (n *node) set(key string, kpos Pos, val *node) {
	if p := n.pair(key); p != nil {
		p.val = val
		return
	}
	n.pairs = append(n.pairs, &pair{key: key, kpos: kpos, val: val})
}

// clone copies a tree so that later edits of the copy leave the original.
func (n *node) clone() *node {
	if n == nil {
		return nil
	}
	c := *n
	c.pairs = nil
	c.items = nil
	if len(n.pairs) > 0 {
		c.pairs = make([]*pair, len(n.pairs))
		ps := make([]pair, len(n.pairs)) // one allocation for all the pairs
		for i, p := range n.pairs {
			ps[i] = pair{key: p.key, kpos: p.kpos, kstyle: p.kstyle, val: p.val.clone(), orig: p.orig}
			c.pairs[i] = &ps[i]
		}
	}
	if len(n.items) > 0 {
		c.items = make([]*node, len(n.items))
		for i, it := range n.items {
			c.items[i] = it.clone()
		}
	}
	return &c
}

// describe names a node's type for "expected X, got Y" messages.
func (n *node) describe() string {
	switch n.kind {
	case mapNode:
		return "a mapping"
	case seqNode:
		return "a sequence"
	case nullNode:
		return "null"
	}
	switch n.tag {
	case "!!int":
		return "an integer"
	case "!!float":
		return "a number"
	case "!!bool":
		return "a boolean"
	}
	return "a string"
}

// fromYAML converts a parsed document. Aliases are followed, `<<` merge
// keys are applied (explicit keys win), and duplicate or non-string keys
// are reported. It returns nil for an alias bomb, reported in e (or in
// an earlier file that spent b).
func fromYAML(y *yaml.Node, file string, e *errs, b *aliasBudget) *node {
	c := &converter{file: file, e: e, b: b}
	n := c.convert(y, "", 0)
	if b.spent {
		return nil
	}
	return n
}

// maxDepth stops runaway nesting through aliases.
const maxDepth = 100

// converter turns yaml.Nodes into nodes. An alias is converted again at
// every use (later stages edit the copies), so a few lines of anchors
// can stand for billions of values; the converter counts the values it
// makes in b, and stops as yaml.v3's own decoder does when aliases make
// too large a share of them.
type converter struct {
	file  string
	e     *errs
	b     *aliasBudget
	alias *yaml.Node // the outermost alias being expanded, or nil
	at    string     // its path
}

// aliasBudget counts the values made from the files of one Load.
type aliasBudget struct {
	values  int  // values made
	aliased int  // of which made while expanding an alias
	spent   bool // too many were: reported, stop converting
}

// Alias expansion limits, as in gopkg.in/yaml.v3's decode.go
// (allowedAliasRatio): up to 99% of the values may come from aliases in a
// document of up to 400,000 values, falling to 10% at 4,000,000.
const (
	aliasRatioLow  = 400_000
	aliasRatioHigh = 4_000_000
)

func allowedAliasRatio(values int) float64 {
	switch {
	case values <= aliasRatioLow:
		return 0.99
	case values >= aliasRatioHigh:
		return 0.10
	}
	return 0.99 - 0.89*float64(values-aliasRatioLow)/float64(aliasRatioHigh-aliasRatioLow)
}

// count notes one more value and tells whether the budget still holds.
func (c *converter) count() bool {
	b := c.b
	if b.spent {
		return false
	}
	b.values++
	if c.alias == nil {
		return true // a value written out: the share only falls
	}
	b.aliased++
	if b.aliased > 100 && b.values > 1000 && float64(b.aliased)/float64(b.values) > allowedAliasRatio(b.values) {
		b.spent = true
		a := c.alias
		c.e.add(Pos{File: c.file, Line: a.Line, Col: a.Column}, c.at,
			"alias *%s expands too much: most of the recipe would be copies made by aliases (an alias bomb?)", a.Value)
		return false
	}
	return true
}

func (c *converter) convert(y *yaml.Node, path string, depth int) *node {
	pos := Pos{File: c.file, Line: y.Line, Col: y.Column}
	if !c.count() {
		return &node{kind: nullNode, pos: pos}
	}
	if depth > maxDepth {
		c.e.add(pos, path, "nested too deeply")
		return &node{kind: nullNode, pos: pos}
	}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return &node{kind: nullNode, pos: pos}
		}
		return c.convert(y.Content[0], path, depth+1)
	case yaml.AliasNode:
		if c.alias != nil {
			return c.convert(y.Alias, path, depth+1)
		}
		c.alias, c.at = y, path
		defer func() { c.alias = nil }()
		return c.convert(y.Alias, path, depth+1)
	case yaml.SequenceNode:
		n := &node{kind: seqNode, pos: pos, items: make([]*node, 0, len(y.Content))}
		for i, it := range y.Content {
			n.items = append(n.items, c.convert(it, indexPath(path, i), depth+1))
		}
		return n
	case yaml.MappingNode:
		return c.mapping(y, path, depth)
	}
	if y.Tag == "!!null" {
		return &node{kind: nullNode, tag: y.Tag, text: y.Value, pos: pos}
	}
	return &node{kind: scalarNode, tag: y.Tag, text: y.Value, style: y.Style, pos: pos}
}

func (c *converter) mapping(y *yaml.Node, path string, depth int) *node {
	n := &node{kind: mapNode, pos: Pos{File: c.file, Line: y.Line, Col: y.Column}}
	var merges []*yaml.Node
	seen := make(map[string]*pair, len(y.Content)/2)
	for i := 0; i+1 < len(y.Content); i += 2 {
		k, v := y.Content[i], y.Content[i+1]
		kpos := Pos{File: c.file, Line: k.Line, Col: k.Column}
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode || k.Tag == "!!null" {
			got := (&node{kind: kindOf(k), tag: k.Tag}).describe()
			if k.Tag == "!!null" {
				got = "null"
			}
			c.e.add(kpos, path, "a key must be a string, got %s", got)
			continue
		}
		kp := keyPath(path, k.Value)
		if first := seen[k.Value]; first != nil {
			c.e.add(kpos, kp, "duplicate key (first at line %d)", first.kpos.Line)
			continue
		}
		p := &pair{key: k.Value, kpos: kpos, kstyle: k.Style, val: c.convert(v, kp, depth+1)}
		seen[k.Value] = p
		n.pairs = append(n.pairs, p)
	}
	for _, m := range merges {
		c.mergeKey(n, seen, m, path, depth)
	}
	return n
}

// mergeKey applies `<<: *anchor` (or a list of anchors): keys not set
// explicitly are taken from the anchored mappings, the first one first.
func (c *converter) mergeKey(n *node, seen map[string]*pair, m *yaml.Node, path string, depth int) {
	srcs := []*yaml.Node{m}
	if m.Kind == yaml.SequenceNode {
		srcs = m.Content
	}
	for _, s := range srcs {
		from := c.convert(s, path, depth+1)
		if c.b.spent {
			return
		}
		if from.kind != mapNode {
			c.e.add(from.pos, keyPath(path, "<<"), "expected a mapping to merge, got %s", from.describe())
			continue
		}
		for _, p := range from.pairs {
			if seen[p.key] == nil {
				seen[p.key] = p
				n.pairs = append(n.pairs, p)
			}
		}
	}
}

func kindOf(y *yaml.Node) kind {
	switch y.Kind {
	case yaml.MappingNode:
		return mapNode
	case yaml.SequenceNode:
		return seqNode
	}
	return scalarNode
}
