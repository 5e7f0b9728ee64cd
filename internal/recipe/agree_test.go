package recipe

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// TestSchemaAgreesWithLoader generates recipes and asks both the JSON
// Schema (as an editor's yaml-language-server sees the YAML: decoded, then
// JSON) and Load whether each is good; they must agree. It walks the
// format's shapes, so a new key is covered without editing the test: at
// every place a value can be written (every key, every entry and item,
// every mapping key that names something, inside and outside a
// `platforms` item) it writes each value of a pool (strings, numbers,
// booleans, nulls, lists, mappings, ${var} forms, the shape's own
// examples), with the keys around it made whole and, next to a key of a
// one-of group, each group set beside it in turn. Where the schema cannot
// say what the loader refuses (loaderOnly), the case is counted, not
// failed.
func TestSchemaAgreesWithLoader(t *testing.T) {
	t.Parallel()
	schema := compileSchema(t)
	dir := t.TempDir()
	for _, name := range localFiles() {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("envup: 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	all := agreementCases()
	var (
		mu                sync.Mutex
		agreed, disagreed int
		only              = map[string]int{}
		wg                sync.WaitGroup
		next              atomic.Int64
	)
	// Each case is loaded from memory as if it were dir/case.yml (its
	// includes and local files are read beside it): some 50,000 files
	// written and read again would double the test's time.
	path := filepath.Join(dir, "case.yml")
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(all); i = int(next.Add(1)) - 1 {
				c := all[i]
				inst, err := editorJSON(c.text)
				if err != nil {
					t.Errorf("%s = %s: %v", c.at, c.value, err)
					return
				}
				schemaErr := schema.Validate(inst)
				_, loadErr := load(path, c.text, hosts["debian12"])
				mu.Lock()
				switch {
				case (schemaErr == nil) == (loadErr == nil):
					agreed++
				case schemaErr == nil && loaderOnly(c, loadErr) != "":
					only[loaderOnly(c, loadErr)]++
				default:
					disagreed++
					if disagreed <= 50 {
						t.Errorf("%s = %s:\n  schema: %s\n  loader: %s\n%s", c.at, c.value, verdict(schemaErr), verdict(loadErr), c.text)
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	cases := len(all)
	reasons := make([]string, 0, len(only))
	for r, n := range only {
		reasons = append(reasons, fmt.Sprintf("%6d  %s", n, r))
	}
	sort.Strings(reasons)
	t.Logf("%d cases: %d agree, %d disagree, %d refused by the loader only:\n%s",
		cases, agreed, disagreed, cases-agreed-disagreed, strings.Join(reasons, "\n"))
}

func verdict(err error) string {
	if err == nil {
		return "accepted"
	}
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		var b strings.Builder
		for _, line := range strings.Split(msg, "\n")[1:] {
			if strings.TrimSpace(line) != "" {
				b.WriteString(strings.TrimSpace(line) + "; ")
			}
		}
		msg = b.String()
	}
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return "refused: " + msg
}

// editorJSON reads YAML as yaml-language-server hands it to a schema
// check: keys as text, scalars by their YAML 1.2 core types.
func editorJSON(text []byte) (any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		return nil, err
	}
	v, err := jsonValue(&doc)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}

func jsonValue(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		return jsonValue(n.Content[0])
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := jsonValue(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := []any{}
		for _, it := range n.Content {
			v, err := jsonValue(it)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	}
	var v any
	err := n.Decode(&v)
	return v, err
}

// step is one level on the way to a value: the shape holding it and the
// key it is at (a field, a mapping key, "" for a sequence's item).
type step struct {
	in  *shape
	key string
}

// place is where a value can be written: the way there, its shape, and
// whether it is a mapping key rather than a value.
type place struct {
	steps   []step
	s       *shape
	key     bool
	partial bool // inside a platforms item
}

func (p place) String() string {
	var b strings.Builder
	for _, st := range p.steps {
		switch {
		case st.in.kind == listKind:
			b.WriteString("[0]")
		case b.Len() > 0:
			b.WriteString("." + st.key)
		default:
			b.WriteString(st.key)
		}
	}
	if p.key {
		b.WriteString(" (key)")
	}
	return b.String()
}

// places lists every place of the format under s.
func places(s *shape, steps []step, partial bool, out []place) []place {
	at := func(key string, child *shape, childPartial bool) {
		st := append(append([]step(nil), steps...), step{in: s, key: key})
		out = append(out, place{steps: st, s: child, partial: childPartial})
		out = places(child, st, childPartial, out)
	}
	switch s.kind {
	case objKind:
		for _, f := range s.fields {
			at(f.name, f.shape, (partial && !s.atomic) || s.over)
		}
	case whenKind:
		for _, f := range s.elem.fields {
			at(f.name, f.shape, false)
		}
	case listKind:
		at("", s.elem, false)
	case dictKind:
		seen := map[*shape]bool{}
		for _, k := range dictKeys(s) {
			es := s.elemShape(k)
			if seen[es] {
				continue
			}
			seen[es] = true
			st := append(append([]step(nil), steps...), step{in: s, key: k})
			out = append(out, place{steps: st, s: es, key: true, partial: partial})
			at(k, es, partial)
		}
	}
	return out
}

// dictKeys are the keys a mapping of the user's keys is tried with.
func dictKeys(s *shape) []string {
	switch {
	case s.elemFor != nil:
		return s.keys
	case s.keyPath == destPath:
		return []string{"~/.config/agree"}
	case s.keyRe != nil:
		return []string{"k"}
	case s.elem.name == "interpreter":
		return []string{"python"}
	case s.elem.name == "service":
		return []string{"redis"}
	}
	return []string{"k"}
}

// example is a good value of a string shape, as YAML text.
func example(s *shape) string {
	switch {
	case s.enum != nil:
		return s.enum[0]
	case len(s.examples) > 0:
		return s.examples[0]
	}
	return "x"
}

// skeleton is the smallest good value of s: required keys and the first
// key group (unless partial), one item in a sequence.
func skeleton(s *shape, partial bool) *yaml.Node {
	switch s.kind {
	case strKind:
		return quoted(example(s))
	case intKind:
		return scalar(fmt.Sprint(s.min))
	case numKind:
		return scalar("1.5")
	case boolKind:
		return scalar("true")
	case anyKind:
		return scalar("1")
	case whenKind:
		return quoted("windows") // never this test's host: a platforms item stays partial
	case listKind:
		return seq(skeleton(s.elem, false))
	case dictKind:
		return mapping()
	}
	return object(s, partial, "", nil, 0)
}

// object builds an object of shape s with key set to child (unless key
// is ""), the required keys, and key group g (-1: none).
func object(s *shape, partial bool, key string, child *yaml.Node, g int) *yaml.Node {
	whole := !partial || s.atomic
	inner := (partial && !s.atomic) || s.over
	m := mapping()
	for _, f := range s.fields {
		switch {
		case f.name == key:
			add(m, key, child)
		case (whole && f.required) || (g >= 0 && s.groupOf(f.name) == g):
			add(m, f.name, skeleton(f.shape, inner))
		}
	}
	return m
}

// agreementCase is one generated recipe.
type agreementCase struct {
	at           string
	value        string
	text         []byte
	selectorText bool // the value is a selector's string form
}

func agreementCases() []agreementCase {
	var out []agreementCase
	for _, p := range places(recipeShape, nil, false, nil) {
		w := example(stringShape(p.s))
		for _, v := range valuesFor(p) {
			for _, g := range groupChoices(p) {
				root := build(p, v, g, w)
				text, err := yaml.Marshal(root)
				if err != nil {
					panic(err)
				}
				out = append(out, agreementCase{
					at: p.String() + groupName(p, g), value: show(v), text: text,
					selectorText: p.s.kind == whenKind && v.Kind == yaml.ScalarNode,
				})
			}
		}
	}
	return out
}

// groupChoices are the key groups set beside a value: each group of the
// object that holds it, and none.
func groupChoices(p place) []int {
	in := p.steps[len(p.steps)-1].in
	if in.kind != objKind || len(in.groups) == 0 || p.key {
		return []int{-2}
	}
	out := []int{-1}
	for i := range in.groups {
		out = append(out, i)
	}
	return out
}

func groupName(p place, g int) string {
	if g < -1 {
		return ""
	}
	if g == -1 {
		return " (no key group beside)"
	}
	return " (beside " + strings.Join(p.steps[len(p.steps)-1].in.groups[g], ", ") + ")"
}

// build makes the recipe with v at p: every level on the way whole (or
// partial inside a platforms item), vars.w set to w for the ${w} values,
// and an interpreter for a virtualenv.
func build(p place, v *yaml.Node, g int, w string) *yaml.Node {
	child := v
	for i := len(p.steps) - 1; i >= 0; i-- {
		st := p.steps[i]
		partial := partialAt(p.steps[:i])
		switch st.in.kind {
		case objKind:
			grp := 0
			if i == len(p.steps)-1 && g >= -1 {
				grp = g
			} else if partial || st.in.maybe || len(st.in.groups) == 0 {
				grp = -1
			}
			child = object(st.in, partial, st.key, child, grp)
		case whenKind:
			child = object(st.in.elem, false, st.key, child, -1)
		case listKind:
			child = seq(child)
		case dictKind:
			m := mapping()
			if i == len(p.steps)-1 && p.key {
				m.Content = append(m.Content, v, skeleton(st.in.elemShape(st.key), partial))
			} else {
				add(m, st.key, child)
			}
			child = m
		}
		if i == 0 {
			child = rootExtras(child, p, w)
		}
	}
	return child
}

// partialAt tells whether a value below these steps is partial: inside
// a platforms item's sections, outside atomic objects and sequences.
func partialAt(steps []step) bool {
	partial := false
	for _, st := range steps {
		switch {
		case st.in.kind == listKind || st.in.kind == whenKind:
			partial = false
		case st.in.over:
			partial = true
		case st.in.atomic:
			partial = false
		}
	}
	return partial
}

// rootExtras sets vars.w first (unless the case is about vars.w) and
// interpreters.python for a virtualenv.
func rootExtras(root *yaml.Node, p place, w string) *yaml.Node {
	first := p.steps[0].key
	out := mapping()
	if first != "vars" {
		add(out, "vars", mapping(scalar("w"), quoted(w)))
	}
	if first == "virtualenvs" {
		add(out, "interpreters", mapping(scalar("python"), mapping(scalar("version"), quoted("3.12"))))
	}
	out.Content = append(out.Content, root.Content...)
	if first == "vars" && len(p.steps) > 1 {
		vars := out.Content[len(out.Content)-1]
		if vars.Kind == yaml.MappingNode && vars.Content[0].Value != "w" {
			vars.Content = append([]*yaml.Node{scalar("w"), quoted(w)}, vars.Content...)
		}
	}
	return out
}

// stringShape is the string a ${w} stands for at s: s, or its items.
func stringShape(s *shape) *shape {
	if s.kind == listKind {
		return stringShape(s.elem)
	}
	return s
}

func scalar(text string) *yaml.Node {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(text), &n); err != nil || len(n.Content) == 0 {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: text}
	}
	return n.Content[0]
}

// quoted is a string, whatever its text looks like.
func quoted(text string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: text, Style: yaml.DoubleQuotedStyle}
}

func seq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items, Style: yaml.FlowStyle}
}

func mapping(kv ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: kv}
}

func add(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

func show(n *yaml.Node) string {
	b, err := yaml.Marshal(n)
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(b))
}
