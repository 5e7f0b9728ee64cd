package recipe

import (
	"math"
	"reflect"
	"strconv"
	"strings"
)

var (
	selectorType = reflect.TypeFor[*Selector]()
	posType      = reflect.TypeFor[Pos]()
)

// decode fills a typed value from a tree that has passed the checker, so
// it cannot fail: struct fields are found by their yaml tags, a field
// named Pos gets the position of the entry (its key, or the item), and a
// `,inline` map takes the keys no other field has.
func decode(n *node, v reflect.Value, pos Pos) {
	if n == nil || n.kind == nullNode {
		return
	}
	if v.Type() == selectorType {
		s := selectorFromNode(n)
		s.problems() // canonical os, arch and libc names
		v.Set(reflect.ValueOf(s))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		decode(n, v.Elem(), pos)
	case reflect.Struct:
		decodeStruct(n, v, pos)
	case reflect.Map:
		m := reflect.MakeMapWithSize(v.Type(), len(n.pairs))
		for _, p := range n.pairs {
			ev := reflect.New(v.Type().Elem()).Elem()
			decode(p.val, ev, p.kpos)
			m.SetMapIndex(reflect.ValueOf(p.key), ev)
		}
		v.Set(m)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 0, len(n.items))
		for _, it := range n.items {
			ev := reflect.New(v.Type().Elem()).Elem()
			decode(it, ev, it.pos)
			s = reflect.Append(s, ev)
		}
		v.Set(s)
	case reflect.String:
		v.SetString(n.text)
	case reflect.Int:
		i, _ := intValue(n)
		v.SetInt(i)
	case reflect.Float64:
		f := parseFloat(n.text)
		if i, ok := intValue(n); ok {
			f = float64(i)
		}
		v.SetFloat(f)
	case reflect.Bool:
		v.SetBool(strings.EqualFold(n.text, "true"))
	case reflect.Interface:
		if a := toAny(n); a != nil {
			v.Set(reflect.ValueOf(a))
		}
	}
}

func decodeStruct(n *node, v reflect.Value, pos Pos) {
	t := v.Type()
	inline := -1
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Type == posType && f.Name == "Pos" {
			v.Field(i).Set(reflect.ValueOf(pos))
			continue
		}
		name, opts := yamlTag(f)
		switch {
		case name == "-" || !f.IsExported():
		case strings.Contains(opts, "inline"):
			inline = i
		default:
			if p := n.pair(name); p != nil {
				decode(p.val, v.Field(i), p.kpos)
			}
		}
	}
	if inline < 0 {
		return
	}
	f := v.Field(inline)
	m := reflect.MakeMap(f.Type())
	for _, p := range n.pairs {
		if _, ok := structField(t, p.key); ok {
			continue
		}
		ev := reflect.New(f.Type().Elem()).Elem()
		decode(p.val, ev, p.kpos)
		m.SetMapIndex(reflect.ValueOf(p.key), ev)
	}
	f.Set(m)
}

// yamlTag splits a field's yaml tag into its name and options.
func yamlTag(f reflect.StructField) (name, opts string) {
	tag := f.Tag.Get("yaml")
	name, opts, _ = strings.Cut(tag, ",")
	if name == "" && !strings.Contains(opts, "inline") {
		name = strings.ToLower(f.Name)
	}
	return name, opts
}

// structField finds the field of t whose yaml name is key.
func structField(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _ := yamlTag(f); name == key && name != "-" {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// toAny converts a free-form value (editor settings) to Go values:
// map[string]any, []any, string, int, float64, bool or nil.
func toAny(n *node) any {
	switch n.kind {
	case nullNode:
		return nil
	case mapNode:
		m := make(map[string]any, len(n.pairs))
		for _, p := range n.pairs {
			m[p.key] = toAny(p.val)
		}
		return m
	case seqNode:
		s := make([]any, len(n.items))
		for i, it := range n.items {
			s[i] = toAny(it)
		}
		return s
	}
	switch n.tag {
	case "!!int":
		if i, err := strconv.ParseInt(strings.ReplaceAll(n.text, "_", ""), 0, 64); err == nil {
			return int(i)
		}
	case "!!float":
		return parseFloat(n.text)
	case "!!bool":
		return strings.EqualFold(n.text, "true")
	}
	return n.text
}

func parseFloat(s string) float64 {
	switch strings.ToLower(strings.TrimLeft(s, "+")) {
	case ".inf":
		return math.Inf(1)
	case "-.inf":
		return math.Inf(-1)
	case ".nan":
		return math.NaN()
	}
	f, _ := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	return f
}
