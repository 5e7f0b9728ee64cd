package recipe

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

const schemaFile = "../../docs/envup.schema.json"

// TestSchemaFile keeps docs/envup.schema.json equal to Schema(); with
// -update (or ENVUP_UPDATE=1) it rewrites the file.
func TestSchemaFile(t *testing.T) {
	t.Parallel()
	got := Schema()
	if updating() {
		if err := os.WriteFile(schemaFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from Schema(); run go test ./internal/recipe -update", schemaFile)
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// instance reads YAML as the JSON value an editor's schema check sees.
func instance(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

// TestSchemaAcceptsRecipes validates against the schema every shipped
// recipe and fragment, every good testdata recipe, and every effective
// recipe (a rendering is a recipe too).
func TestSchemaAcceptsRecipes(t *testing.T) {
	t.Parallel()
	s := compileSchema(t)
	check := func(name string, data []byte) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if err := s.Validate(instance(t, data)); err != nil {
				t.Errorf("%v", err)
			}
		})
	}
	for _, pattern := range []string{recipesDir + "/*.yml", recipesDir + "/common/*.yml", "testdata/effective/*.yml"} {
		files, err := filepath.Glob(pattern)
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no files (%v)", pattern, err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			check(f, data)
		}
	}
	for _, file := range testdataCases(t, "good") {
		a, err := parseArchive(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.files {
			if strings.HasSuffix(f.name, ".yml") {
				check(filepath.Base(file)+"/"+f.name, []byte(f.data))
			}
		}
	}
}

// TestSchemaRejects checks that the schema is as strict as the loader
// where it can be: these recipes load with an error and fail the schema.
func TestSchemaRejects(t *testing.T) {
	t.Parallel()
	s := compileSchema(t)
	tests := []struct{ name, recipe string }{
		{"missing envup", "name: x\n"},
		{"format 2", "envup: 2\n"},
		{"unknown top key", "envup: 1\nvirtualenv: {}\n"},
		{"unknown nested key", "envup: 1\ninterpreters: {python: {verison: '3.12'}}\n"},
		{"version a mapping", "envup: 1\ninterpreters: {python: {version: {a: 1}}}\n"},
		{"interpreter without version", "envup: 1\ninterpreters: {python: {default: true}}\n"},
		{"unknown tool", "envup: 1\ninterpreters: {ruby: {tool: ruby, version: '3'}}\n"},
		{"unknown source", "envup: 1\ninterpreters: {python: {version: '3', sources: [binary]}}\n"},
		{"download without sha256", "envup: 1\nservices: {redis: {version: '7', source: {url: 'https://x/r.tgz'}}}\n"},
		{"bad sha256", "envup: 1\nfonts: {A: {url: 'https://x/a.ttf', sha256: abc}}\n"},
		{"font url and path", "envup: 1\nfonts: {A: {path: a.ttf, url: 'https://x/a.ttf', sha256: " + strings.Repeat("a", 64) + "}}\n"},
		{"file neither", "envup: 1\nfiles: {/x: {mode: '0644'}}\n"},
		{"file both", "envup: 1\nfiles: {/x: {content: a, source: b}}\n"},
		{"bad mode", "envup: 1\nfiles: {/x: {content: a, mode: '0985'}}\n"},
		{"check without run", "envup: 1\nchecks: [{name: a}]\n"},
		{"unknown package manager", "envup: 1\npackages: {b: {aptitude: [x]}}\n"},
		{"unknown editor", "envup: 1\neditors: {emacs: {}}\n"},
		{"vim settings", "envup: 1\neditors: {vim: {settings: {}}}\n"},
		{"platforms without when", "envup: 1\nplatforms: [{interpreters: {python: {version: '3.8'}}}]\n"},
		{"override both url and path", "envup: 1\nplatforms: [{when: windows, fonts: {A: {path: a.ttf, url: 'https://x'}}}]\n"},
		{"port a string", "envup: 1\nservices: {redis: {version: '7', port: '6379'}}\n"},
		{"start yes", "envup: 1\nservices: {redis: {version: '7', start: 'yes'}}\n"},
		{"exact yes", "envup: 1\nvirtualenvs: {v: {path: /v, exact: 'yes'}}\n"},
		{"empty prompt", "envup: 1\nvirtualenvs: {v: {path: /v, prompt: ''}}\n"},
		{"extra_index_urls a string", "envup: 1\nvirtualenvs: {v: {path: /v, extra_index_urls: 'https://x/simple'}}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := s.Validate(instance(t, []byte(tt.recipe))); err == nil {
				t.Errorf("schema accepts %q", tt.recipe)
			}
		})
	}
}

// TestSchemaOverridesArePartial checks that entries in platforms items
// need not be whole: they are merged onto the recipe's.
func TestSchemaOverridesArePartial(t *testing.T) {
	t.Parallel()
	s := compileSchema(t)
	recipe := "envup: 1\nplatforms:\n  - when: windows < 6.1\n    interpreters: {python: {version: '3.4.4'}}\n" +
		"    files: {/x: {mode: '0600'}}\n    editors: {vscode: null, pycharm: {font: {size: 12}}}\n"
	if err := s.Validate(instance(t, []byte(recipe))); err != nil {
		t.Error(err)
	}
}
