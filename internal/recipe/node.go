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
	key  string
	kpos Pos
	val  *node
	orig string // the key as written, when vars changed it (files)
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
	for _, p := range n.pairs {
		c.pairs = append(c.pairs, &pair{key: p.key, kpos: p.kpos, val: p.val.clone(), orig: p.orig})
	}
	for _, it := range n.items {
		c.items = append(c.items, it.clone())
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
// are reported.
func fromYAML(y *yaml.Node, file string, e *errs) *node {
	return convert(y, file, "", e, 0)
}

// maxDepth stops runaway alias expansion ("billion laughs").
const maxDepth = 100

func convert(y *yaml.Node, file, path string, e *errs, depth int) *node {
	pos := Pos{File: file, Line: y.Line, Col: y.Column}
	if depth > maxDepth {
		e.add(pos, path, "nested too deeply")
		return &node{kind: nullNode, pos: pos}
	}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return &node{kind: nullNode, pos: pos}
		}
		return convert(y.Content[0], file, path, e, depth+1)
	case yaml.AliasNode:
		return convert(y.Alias, file, path, e, depth+1)
	case yaml.SequenceNode:
		n := &node{kind: seqNode, pos: pos}
		for i, c := range y.Content {
			n.items = append(n.items, convert(c, file, indexPath(path, i), e, depth+1))
		}
		return n
	case yaml.MappingNode:
		return convertMap(y, file, path, e, depth)
	}
	if y.Tag == "!!null" {
		return &node{kind: nullNode, tag: y.Tag, text: y.Value, pos: pos}
	}
	return &node{kind: scalarNode, tag: y.Tag, text: y.Value, style: y.Style, pos: pos}
}

func convertMap(y *yaml.Node, file, path string, e *errs, depth int) *node {
	n := &node{kind: mapNode, pos: Pos{File: file, Line: y.Line, Col: y.Column}}
	var merges []*yaml.Node
	for i := 0; i+1 < len(y.Content); i += 2 {
		k, v := y.Content[i], y.Content[i+1]
		kpos := Pos{File: file, Line: k.Line, Col: k.Column}
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
			e.add(kpos, path, "a key must be a string, got %s", got)
			continue
		}
		kp := keyPath(path, k.Value)
		if first := n.pair(k.Value); first != nil {
			e.add(kpos, kp, "duplicate key (first at line %d)", first.kpos.Line)
			continue
		}
		n.pairs = append(n.pairs, &pair{key: k.Value, kpos: kpos, val: convert(v, file, kp, e, depth+1)})
	}
	for _, m := range merges {
		mergeKey(n, m, file, path, e, depth)
	}
	return n
}

// mergeKey applies `<<: *anchor` (or a list of anchors): keys not set
// explicitly are taken from the anchored mappings, the first one first.
func mergeKey(n *node, m *yaml.Node, file, path string, e *errs, depth int) {
	srcs := []*yaml.Node{m}
	if m.Kind == yaml.SequenceNode {
		srcs = m.Content
	}
	for _, s := range srcs {
		from := convert(s, file, path, e, depth+1)
		if from.kind != mapNode {
			e.add(from.pos, keyPath(path, "<<"), "expected a mapping to merge, got %s", from.describe())
			continue
		}
		for _, p := range from.pairs {
			if n.pair(p.key) == nil {
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
