package recipe

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// YAML renders the effective recipe, as Load left it, for `envup render`:
// keys in the order of the format (user keys sorted), no positions,
// selectors in their string form, defaults written out. The output is a
// recipe itself: `${` is written `$${`, so loading it again beside the
// original gives the same recipe.
func (r *Recipe) YAML() ([]byte, error) {
	n := encode(reflect.ValueOf(r), "")
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, fmt.Errorf("render recipe: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("render recipe: %w", err)
	}
	return buf.Bytes(), nil
}

// encode turns a typed value into a YAML node; nil means "leave it out".
// field is the yaml name of the struct field being encoded: the keys of
// `files` are paths that take vars, so they are escaped like values.
func encode(v reflect.Value, field string) *yaml.Node {
	if v.Type() == selectorType {
		return encodeSelector(v.Interface().(*Selector))
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return encode(v.Elem(), field)
	case reflect.Struct:
		return encodeStruct(v)
	case reflect.Map:
		return encodeMap(v, field)
	case reflect.Slice:
		n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for i := range v.Len() {
			if c := encode(v.Index(i), field); c != nil {
				n.Content = append(n.Content, c)
				if c.Kind != yaml.ScalarNode || c.Style == yaml.LiteralStyle {
					n.Style = 0 // lists of mappings or of many-line text go in block style
				}
			}
		}
		return n
	case reflect.String:
		return str(escape(v.String()))
	case reflect.Int, reflect.Int64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(v.Int(), 10)}
	case reflect.Float64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: formatFloat(v.Float())}
	case reflect.Bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v.Bool())}
	}
	return nil
}

func encodeStruct(v reflect.Value) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts := yamlTag(f)
		if name == "-" || !f.IsExported() || f.Type == posType {
			continue
		}
		fv := v.Field(i)
		if strings.Contains(opts, "inline") {
			inlined := encodeMap(fv, name)
			n.Content = append(n.Content, inlined.Content...)
			continue
		}
		if strings.Contains(opts, "omitempty") && empty(fv) {
			continue
		}
		c := encode(fv, name)
		if c == nil {
			continue
		}
		n.Content = append(n.Content, str(name), c)
	}
	return n
}

// encodeMap writes a map's keys sorted; package managers keep the
// format's order (apt, dnf, ...).
func encodeMap(v reflect.Value, field string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	keys := make([]string, 0, v.Len())
	for _, k := range v.MapKeys() {
		keys = append(keys, k.String())
	}
	sort.Slice(keys, func(i, j int) bool {
		ri, rj := rank(keys[i]), rank(keys[j])
		if ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		c := encode(v.MapIndex(reflect.ValueOf(k)), "")
		if c == nil {
			c = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
		}
		key := k
		if field == "files" {
			key = escape(k)
		}
		n.Content = append(n.Content, str(key), c)
	}
	return n
}

// rank orders package managers as the format lists them, before other keys.
func rank(k string) int {
	for i, m := range PackageManagers {
		if m == k {
			return i
		}
	}
	return len(PackageManagers)
}

func encodeSelector(s *Selector) *yaml.Node {
	if s == nil {
		return nil
	}
	if s.stringForm() {
		return str(s.String())
	}
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	for _, kv := range s.fields() {
		n.Content = append(n.Content, str(kv[0]), str(kv[1]))
	}
	return n
}

// formatFloat writes a float so YAML reads it back as one: 1 is "1.0",
// not "!!float 1".
func formatFloat(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if strings.Trim(s, "-0123456789") == "" {
		s += ".0"
	}
	return s
}

func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

// escape writes a literal ${ as $${, so the text survives being loaded again.
func escape(s string) string {
	return strings.ReplaceAll(s, "${", "$${")
}

func empty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	case reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Int:
		return v.Int() == 0
	case reflect.Float64:
		return v.Float() == 0
	case reflect.Bool:
		return !v.Bool()
	}
	return false
}
