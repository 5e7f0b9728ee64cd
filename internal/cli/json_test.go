package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/spf13/cobra"
)

// schemaDir holds a JSON Schema per --output json document kind
// (docs/json/KIND.schema.json); the recipe's schema is beside it.
const schemaDir = "../../docs/json"

// outputSchemas are the compiled document schemas, by kind.
var outputSchemas = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	files, err := filepath.Glob(filepath.Join(schemaDir, "*.schema.json"))
	if err != nil {
		return nil, err
	}
	files = append(files, filepath.Join(schemaDir, "../envup.schema.json"))
	ids := map[string]string{}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		id, _ := doc.(map[string]any)["$id"].(string)
		if id == "" {
			return nil, fmt.Errorf("%s: no $id", name)
		}
		if err := c.AddResource(id, doc); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		ids[strings.TrimSuffix(filepath.Base(name), ".schema.json")] = id
	}
	out := map[string]*jsonschema.Schema{}
	for kind, id := range ids {
		if kind == "common" || kind == "envup" {
			continue
		}
		s, err := c.Compile(id)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", kind, err)
		}
		out[kind] = s
	}
	return out, nil
})

// validateOutput checks what a command printed under --output json: one
// document (serve: JSON Lines, a document a line), each valid against the
// schema its kind names; the last one carries the error when code says
// the command failed (1, 64), and none does otherwise.
func validateOutput(stdout []byte, code int) error {
	schemas, err := outputSchemas()
	if err != nil {
		return err
	}
	var docs []map[string]any
	dec := json.NewDecoder(bytes.NewReader(stdout))
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return fmt.Errorf("stdout is not JSON: %w\n%s", err, stdout)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return err
		}
		doc, ok := inst.(map[string]any)
		if !ok {
			return fmt.Errorf("a document is not an object: %s", raw)
		}
		kind, _ := doc["kind"].(string)
		s := schemas[kind]
		if s == nil {
			return fmt.Errorf("no schema for kind %q in %s: %s", kind, schemaDir, raw)
		}
		if err := s.Validate(inst); err != nil {
			return fmt.Errorf("a %q document does not match %s/%s.schema.json: %v\n%s", kind, schemaDir, kind, err, raw)
		}
		docs = append(docs, doc)
	}
	if len(docs) == 0 {
		return errors.New("stdout holds no JSON document")
	}
	if len(docs) > 1 {
		// Only JSON Lines has more than one: each on a line of its own.
		lines := strings.Split(strings.TrimSuffix(string(stdout), "\n"), "\n")
		if len(lines) != len(docs) {
			return fmt.Errorf("%d documents on %d lines: more than one document is JSON Lines, one a line", len(docs), len(lines))
		}
		for _, d := range docs[:len(docs)-1] {
			if d["kind"] != "serve" {
				return fmt.Errorf("a %v document before the last: only serve prints more than one", d["kind"])
			}
		}
	}
	last := docs[len(docs)-1]
	got, hasErr := last["exit_code"].(json.Number)
	switch {
	case (code == exitOK || code == exitDiffers) && hasErr:
		return fmt.Errorf("exit %d, and the document has an error: %v", code, last["error"])
	case code != exitOK && code != exitDiffers && !hasErr:
		return fmt.Errorf("exit %d, and the last document has no error", code)
	case hasErr && got.String() != strconv.Itoa(code):
		return fmt.Errorf("exit %d, and the document says exit_code %s", code, got)
	}
	return nil
}

// cmdJSONOut runs envup with --output json among its arguments, asserts
// its exit code and validates what it printed (validateOutput):
// jsonout CODE envup ARGS... Its output is kept for stdout/stderr
// assertions, as exec's is.
func cmdJSONOut(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 || args[1] != "envup" || !strings.Contains(strings.Join(args, " "), "json") {
		ts.Fatalf("usage: jsonout CODE envup ARGS... (with --output json)")
	}
	cmdExits(ts, false, args)
	got, _ := strconv.Atoi(args[0]) // cmdExits read it, and it was the exit code
	if err := validateOutput([]byte(ts.ReadFile("stdout")), got); err != nil {
		ts.Fatalf("jsonout: %v", err)
	}
}

// cmdValidJSON validates the stdout of the command that ran last, one
// waited for (serve in the background): validjson [CODE].
func cmdValidJSON(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 {
		ts.Fatalf("usage: validjson [CODE]")
	}
	code := 0
	if len(args) == 1 {
		var err error
		if code, err = strconv.Atoi(args[0]); err != nil {
			ts.Fatalf("validjson: %v", err)
		}
	}
	if err := validateOutput([]byte(ts.ReadFile("stdout")), code); err != nil {
		ts.Fatalf("validjson: %v", err)
	}
}

// TestJSONEveryCommand asserts that the scripts run every command
// (listed from the root command, so a new one is not forgotten) with
// --output json twice, through jsonout: once succeeding, once failing.
// TestScripts validates what they print.
func TestJSONEveryCommand(t *testing.T) {
	t.Parallel()
	root := newRootCmd(&globals{})
	root.InitDefaultHelpCmd()
	var paths []string
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		for _, sub := range cmd.Commands() {
			if sub.Hidden {
				continue
			}
			if sub.Runnable() {
				paths = append(paths, strings.TrimPrefix(sub.CommandPath(), "envup "))
			}
			walk(sub)
		}
	}
	walk(root)

	ok, failed := map[string]bool{}, map[string]bool{}
	scripts, err := filepath.Glob("testdata/script/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range scripts {
		for _, c := range jsonCases(t, name) {
			cmd, _, err := root.Find(c.args)
			if err != nil {
				// A command line cobra refuses: covers no command.
				continue
			}
			path := strings.TrimPrefix(cmd.CommandPath(), "envup ")
			if c.code == exitOK || c.code == exitDiffers {
				ok[path] = true
			} else {
				failed[path] = true
			}
		}
	}
	for _, p := range paths {
		if !ok[p] {
			t.Errorf("no script runs `envup %s --output json` and succeeds (jsonout 0 envup %s ...)", p, p)
		}
		if !failed[p] {
			t.Errorf("no script runs `envup %s --output json` and fails (jsonout 1 envup %s ...)", p, p)
		}
	}
	if len(paths) < 20 {
		t.Errorf("found %d commands under the root, want them all: %v", len(paths), paths)
	}
}

// jsonCase is one run of envup with --output json in a script.
type jsonCase struct {
	code int
	args []string
}

// jsonCases are a script's runs of envup with --output json: jsonout
// lines, and exec lines run in the background (validjson checks them
// once waited for; they are counted as succeeding).
func jsonCases(t *testing.T, name string) []jsonCase {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	script, _, _ := strings.Cut(string(data), "\n-- ")
	var out []jsonCase
	sc := bufio.NewScanner(strings.NewReader(script))
	for sc.Scan() {
		words := strings.Fields(sc.Text())
		for len(words) > 0 && strings.HasPrefix(words[0], "[") {
			words = words[1:] // a condition
		}
		if len(words) < 3 || !strings.Contains(strings.Join(words, " "), "--output json") && !slices.Contains(words, "--output=json") {
			continue
		}
		switch {
		case words[0] == "jsonout" && words[2] == "envup":
			code, err := strconv.Atoi(words[1])
			if err != nil {
				t.Fatalf("%s: %q: %v", name, sc.Text(), err)
			}
			out = append(out, jsonCase{code: code, args: words[3:]})
		case words[0] == "exec" && words[1] == "envup" && strings.HasPrefix(words[len(words)-1], "&"):
			out = append(out, jsonCase{code: exitOK, args: words[2 : len(words)-1]})
		}
	}
	return out
}

// TestJSONDocumented asserts docs/cli.md names every document kind that
// has a schema, and links its schema.
func TestJSONDocumented(t *testing.T) {
	t.Parallel()
	schemas, err := outputSchemas()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	for kind := range schemas {
		if !bytes.Contains(doc, []byte("(json/"+kind+".schema.json)")) {
			t.Errorf("docs/cli.md does not link json/%s.schema.json", kind)
		}
	}
	if len(schemas) < 20 {
		t.Errorf("%d schemas compiled, want one per kind", len(schemas))
	}
}
