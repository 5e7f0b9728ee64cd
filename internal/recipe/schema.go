package recipe

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
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
// The schema describes a whole recipe, and agrees with Load on every
// recipe TestSchemaAgreesWithLoader makes but those it cannot judge:
// selector strings, version constraints, regexps, durations, vars and
// values that use them, paths that must exist, cross-references between
// entries, NUL bytes, a blank program name, and number spellings JSON
// does not keep.
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
		m = g.str(s)
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
	case dictKind:
		m = g.dict(s, partial)
	case whenKind:
		m = g.ref(s.name, func() map[string]any {
			return map[string]any{"description": s.doc, "anyOf": []any{
				map[string]any{"type": "string", "minLength": 1, "examples": anyList(s.examples)},
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

// varRefPattern matches a string that uses a var (${name}, not $${): its
// value is checked once expanded, which only the loader can.
const varRefPattern = `(?:^|[^$])\$\{[A-Za-z_][A-Za-z0-9_-]*\}`

// str renders a string shape. JSON Schema's string checks (enum,
// pattern) hold for the text as written, or the text uses a var; a YAML
// number is a value too where the loader takes it as written.
func (g *schemaGen) str(s *shape) map[string]any {
	text := map[string]any{"type": "string"}
	var check map[string]any
	switch {
	case s.enum != nil && s.anyCase:
		check = map[string]any{"anyOf": []any{
			map[string]any{"enum": anyList(s.enum)},
			map[string]any{"pattern": caseless(s.enum)},
		}}
	case s.enum != nil:
		check = map[string]any{"enum": anyList(s.enum)}
	case s.pattern != "":
		check = map[string]any{"pattern": s.pattern}
	}
	if check != nil && !s.noVars {
		check = map[string]any{"anyOf": []any{check, map[string]any{"pattern": varRefPattern}}}
	}
	for k, v := range check {
		text[k] = v
	}
	if s.nonEmpty {
		text["minLength"] = 1
	}
	if len(s.examples) > 0 {
		text["examples"] = anyList(s.examples)
	}
	var alts []any
	switch {
	case s.enum != nil && s.numbers == numbersAsWritten && len(numericNames(s.enum)) > 0:
		alts = []any{text, map[string]any{"enum": numericNames(s.enum)}} // arch: 386
	case s.enum != nil, s.numbers == numbersQuoted, s.numbers == numbersOctal:
		return text // no number is a good value
	case s.textAny:
		alts = []any{text, map[string]any{"type": "number"}, map[string]any{"type": "boolean"}}
	case s.numbers == numbersIntegers:
		alts = []any{text, map[string]any{"type": "integer"}}
	default:
		alts = []any{text, map[string]any{"type": "number"}}
	}
	return map[string]any{"anyOf": alts}
}

// numericNames are the names that YAML reads as integers, as integers.
func numericNames(names []string) []any {
	var out []any
	for _, n := range names {
		if i, err := strconv.Atoi(n); err == nil && strconv.Itoa(i) == n {
			out = append(out, i)
		}
	}
	return out
}

// caseless is a pattern matching the words in any case (JSON Schema's
// regexps have no flags).
func caseless(words []string) string {
	var b strings.Builder
	b.WriteString("^(?:")
	for i, w := range words {
		if i > 0 {
			b.WriteByte('|')
		}
		for _, r := range w {
			lo, up := unicode.ToLower(r), unicode.ToUpper(r)
			if lo == up {
				b.WriteString(regexp.QuoteMeta(string(r)))
				continue
			}
			b.WriteString("[" + string(lo) + string(up) + "]")
		}
	}
	b.WriteString(")$")
	return b.String()
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
		m["anyOf"] = groups(s, partial || s.maybe)
	}
	return m
}

// groups says which of an object's key groups are set, a key set to
// null counting as not set: exactly one, and all of its keys; or, in an
// override or where none is needed, at most one.
func groups(s *shape, atMostOne bool) []any {
	var alts []any
	for i, grp := range s.groups {
		props := map[string]any{}
		for j, other := range s.groups {
			if j != i {
				for _, k := range other {
					props[k] = map[string]any{"type": "null"}
				}
			}
		}
		alt := map[string]any{"properties": props}
		if !atMostOne {
			for _, k := range grp {
				props[k] = map[string]any{"not": map[string]any{"type": "null"}}
			}
			alt["required"] = anyList(grp)
		}
		alts = append(alts, alt)
	}
	return alts
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
	names := map[string]any{}
	switch {
	case s.keyRe != nil:
		names["pattern"] = s.keyRe.String()
	case s.keyPath == destPath:
		names["anyOf"] = []any{map[string]any{"pattern": destPattern}, map[string]any{"pattern": varRefPattern}}
	}
	if len(s.reserved) > 0 {
		names["not"] = map[string]any{"enum": anyList(s.reserved)}
	}
	if len(names) > 0 {
		m["propertyNames"] = names
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

func anyList(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}
