package recipe

import (
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// objectShapes collects the object shapes of the format by name.
func objectShapes() map[string][]*shape {
	out := map[string][]*shape{}
	seen := map[*shape]bool{}
	var walk func(s *shape)
	walk = func(s *shape) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		if s.kind == objKind {
			out[s.name] = append(out[s.name], s)
		}
		for _, f := range s.fields {
			walk(f.shape)
		}
		walk(s.elem)
		for _, k := range s.keys {
			walk(s.elemFor(k))
		}
	}
	walk(recipeShape)
	return out
}

// yamlFields lists the yaml keys of a struct type, and its inline map field.
func yamlFields(t reflect.Type) (names []string, inline bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts := yamlTag(f)
		switch {
		case name == "-" || !f.IsExported() || f.Type == posType:
		case strings.Contains(opts, "inline"):
			inline = true
		default:
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names, inline
}

// TestShapesMatchTypes keeps format.go and types.go in step: each object
// of the format has exactly the keys of its Go type.
func TestShapesMatchTypes(t *testing.T) {
	t.Parallel()
	types := map[string]reflect.Type{
		"recipe":          reflect.TypeFor[Recipe](),
		"override":        reflect.TypeFor[Override](),
		"package-group":   reflect.TypeFor[PackageGroup](),
		"download":        reflect.TypeFor[Download](),
		"interpreter":     reflect.TypeFor[Interpreter](),
		"virtualenv":      reflect.TypeFor[Virtualenv](),
		"service":         reflect.TypeFor[Service](),
		"font":            reflect.TypeFor[Font](),
		"editor-font":     reflect.TypeFor[EditorFont](),
		"file":            reflect.TypeFor[File](),
		"check":           reflect.TypeFor[Check](),
		"selector-object": reflect.TypeFor[Selector](),
	}
	editors := map[string]bool{"vscode": true, "sublime": true, "vim": true, "neovim": true, "jetbrains": true}
	editorKeys := map[string]bool{}
	for name, shapes := range objectShapes() {
		for _, s := range shapes {
			keys := s.fieldNames()
			if editors[name] {
				for _, k := range keys {
					editorKeys[k] = true
				}
				continue
			}
			typ, ok := types[name]
			if !ok {
				t.Errorf("shape %s has no Go type in this test", name)
				continue
			}
			want, inline := yamlFields(typ)
			if inline {
				var rest []string
				for _, k := range keys {
					if !slices.Contains(PackageManagers, k) {
						rest = append(rest, k)
					}
				}
				keys = rest
			}
			sort.Strings(keys)
			if !reflect.DeepEqual(keys, want) {
				t.Errorf("shape %s has keys %v; %s has %v", name, keys, typ.Name(), want)
			}
		}
	}
	want, _ := yamlFields(reflect.TypeFor[Editor]())
	got := sortedKeys(editorKeys)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("editor shapes have keys %v; Editor has %v", got, want)
	}
}

// TestDocsNameEveryKey keeps docs/recipe.md honest: it names every key
// and every known value of the format.
func TestDocsNameEveryKey(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../docs/recipe.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	var words []string
	for _, shapes := range objectShapes() {
		for _, s := range shapes {
			words = append(words, s.fieldNames()...)
		}
	}
	words = append(words, editorNames()...)
	words = append(words, VSCodeFlavors...)
	words = append(words, Tools...)
	words = append(words, ServiceKinds...)
	words = append(words, InterpreterSources...)
	words = append(words, ServiceSources...)
	words = append(words, osNames...)
	words = append(words, libcNames...)
	for _, w := range words {
		if !strings.Contains(doc, "`"+w+"`") {
			t.Errorf("docs/recipe.md does not mention `%s`", w)
		}
	}
}

// TestCheckPip holds pip values to PEP 440 as pip's packaging reads them
// (no "=", "||" or clauses without commas; an empty clause is skipped),
// and bare versions to ==.
func TestCheckPip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, spec string
		ok       bool
	}{
		{"23.2.1", "==23.2.1", true},
		{" 23.2 ", "==23.2", true},
		{"23.*", "==23.*", true},
		{"==23.2.1", "==23.2.1", true},
		{"<24", "<24", true},
		{">=23, <25", ">=23, <25", true},
		{"~=23.1", "~=23.1", true},
		{"!=23.0,>=22", "!=23.0,>=22", true},
		{">= 23", ">= 23", true},
		{"", "", false},
		{"latest", "==latest", false},
		{"=23", "=23", false},
		{">=23 <25", ">=23 <25", false},
		{">=23 || <22", ">=23 || <22", false},
		{">=23,", ">=23,", true}, // packaging skips the empty clause
		{",", ",", false},
		{"==23.2RC1", "==23.2RC1", true}, // letters in any case
		{"==23.2a1.*", "==23.2a1.*", false},
		{"~=23", "~=23", false},
		{"23, <25", "23, <25", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := pipSpecifier(tt.in); got != tt.spec {
				t.Errorf("pipSpecifier(%q) = %q, want %q", tt.in, got, tt.spec)
			}
			if msg := checkPip(tt.in); (msg == "") != tt.ok {
				t.Errorf("checkPip(%q) = %q, want ok %v", tt.in, msg, tt.ok)
			}
		})
	}
}
