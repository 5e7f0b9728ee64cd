package recipe

import (
	"encoding/json"
	"sync"
)

// SchemaID is the $id of the format 1 JSON Schema.
const SchemaID = "https://raw.githubusercontent.com/envup/envup/main/docs/envup.schema.json"

var schemaOnce = sync.OnceValue(func() []byte {
	g := &schemaGen{defs: map[string]any{}}
	root := g.object(recipeShape, false)
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = SchemaID
	root["title"] = "envup recipe, format 1"
	root["$defs"] = g.defs
	b, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		panic(err) // only maps, slices, strings and numbers: cannot fail
	}
	return append(b, '\n')
})

// Schema returns the JSON Schema (draft 2020-12) of recipe format 1,
// generated from the same description of the format the loader checks
// against; docs/envup.schema.json is a copy kept in step by a test.
//
// The schema describes a whole recipe. What it cannot say is left to
// Load: selector strings, version constraints, regexps, durations, vars,
// paths that must exist, and cross-references between entries.
func Schema() []byte {
	return append([]byte(nil), schemaOnce()...)
}

// schemaGen renders shapes as JSON Schema, named objects under $defs.
// partial is true inside `platforms` items, whose entries are laid over
// the recipe's and so need not be whole.
type schemaGen struct {
	defs map[string]any
}

func (g *schemaGen) of(s *shape, partial bool) map[string]any {
	var m map[string]any
	switch s.kind {
	case strKind:
		switch {
		case s.textAny:
			m = map[string]any{"type": []any{"string", "number", "boolean"}}
		case s.numbers == numbersIntegers:
			m = map[string]any{"type": []any{"string", "integer"}}
		case s.numbers == numbersQuoted:
			m = map[string]any{"type": "string"}
		default:
			m = map[string]any{"type": []any{"string", "number"}}
		}
		if s.enum != nil {
			m = map[string]any{"type": "string", "enum": s.enum}
		}
		if s.pattern != "" {
			m["pattern"] = s.pattern
		}
		if s.nonEmpty {
			m["minLength"] = 1
		}
	case intKind:
		m = map[string]any{"type": "integer", "minimum": s.min}
		if s.max > 0 {
			m["maximum"] = s.max
		}
		if s.min == s.max {
			m = map[string]any{"const": s.min}
		}
	case numKind:
		m = map[string]any{"type": "number"}
		if s.positive {
			m["exclusiveMinimum"] = 0
		}
	case boolKind:
		m = map[string]any{"type": "boolean"}
	case anyKind:
		m = map[string]any{}
	case listKind:
		m = map[string]any{"type": "array", "items": g.of(s.elem, false)}
		if s.unique {
			m["uniqueItems"] = true
		}
		if s.nonEmpty {
			m["minItems"] = 1
		}
		if s.program {
			// prefixItems keeps items for every item: a program name is
			// also an item, and holds more than blanks
			m["prefixItems"] = []any{map[string]any{"pattern": `\S`}}
		}
	case dictKind:
		m = g.dict(s, partial)
	case whenKind:
		m = g.ref(s.name, func() map[string]any {
			return map[string]any{"description": s.doc, "anyOf": []any{
				map[string]any{"type": "string", "minLength": 1},
				g.of(s.elem, false),
			}}
		})
	case objKind:
		name := s.name
		if partial && !s.atomic && differs(s) {
			name += "-override"
		}
		m = g.ref(name, func() map[string]any { return g.object(s, partial && !s.atomic) })
	}
	if s.doc != "" && m["$ref"] == nil {
		m["description"] = s.doc
	}
	return m
}

// ref returns a $ref to a definition, building it on first use.
func (g *schemaGen) ref(name string, build func() map[string]any) map[string]any {
	if _, ok := g.defs[name]; !ok {
		g.defs[name] = map[string]any{} // placeholder: shapes may nest
		g.defs[name] = build()
	}
	return map[string]any{"$ref": "#/$defs/" + name}
}

func (g *schemaGen) object(s *shape, partial bool) map[string]any {
	props := map[string]any{}
	var required []any
	for _, f := range s.fields {
		child := g.of(f.shape, partial || s.over)
		if f.required && !partial {
			required = append(required, f.name)
		} else {
			child = nullable(child)
		}
		props[f.name] = child
	}
	m := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if s.doc != "" {
		m["description"] = s.doc
	}
	if len(required) > 0 {
		m["required"] = required
	}
	if len(s.groups) > 0 {
		var alts []any
		for _, grp := range s.groups {
			alts = append(alts, map[string]any{"required": anyList(grp)})
		}
		if partial || s.maybe {
			// at most one group: not (some key of one group and some of another)
			m["not"] = map[string]any{"allOf": []any{anyKey(s.groups[0]), anyKey(s.groups[1])}}
		} else {
			m["oneOf"] = alts
		}
	}
	return m
}

func (g *schemaGen) dict(s *shape, partial bool) map[string]any {
	m := map[string]any{"type": "object"}
	if s.elemFor != nil {
		props := map[string]any{}
		for _, k := range s.keys {
			props[k] = nullable(g.of(s.elemFor(k), partial))
		}
		m["properties"] = props
		m["additionalProperties"] = false
		return m
	}
	m["additionalProperties"] = nullable(g.of(s.elem, partial))
	if s.keyRe != nil {
		m["propertyNames"] = map[string]any{"pattern": s.keyRe.String()}
	}
	return m
}

// differs tells whether an object's partial form differs from its whole
// one: it, or an object inside it, has required keys or key groups.
func differs(s *shape) bool {
	if len(s.groups) > 0 {
		return true
	}
	for _, f := range s.fields {
		if f.required || (f.shape.kind == objKind && !f.shape.atomic && differs(f.shape)) {
			return true
		}
	}
	return false
}

// nullable lets a mapping value be null: "not set", or "remove" in an override.
func nullable(m map[string]any) map[string]any {
	return map[string]any{"anyOf": []any{m, map[string]any{"type": "null"}}}
}

func anyKey(keys []string) map[string]any {
	var alts []any
	for _, k := range keys {
		alts = append(alts, map[string]any{"required": []any{k}})
	}
	return map[string]any{"anyOf": alts}
}

func anyList(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}
