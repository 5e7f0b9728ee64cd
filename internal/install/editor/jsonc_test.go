package editor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tailscale/hujson"
)

// jsoncLab is what the lab's recipe owns in every fixture below.
func jsoncLab() map[string]any {
	return map[string]any{
		"editor.fontSize":   14,
		"editor.fontFamily": "DejaVu Sans Mono",
		"[python]":          map[string]any{"editor.tabSize": 4, "editor.formatOnSave": true},
		"files.exclude":     map[string]any{"**/__pycache__": true},
	}
}

// TestJSONCMergeFixtures merges the lab's keys into real-shaped settings
// files and compares with the reviewed result in <name>.golden
// (ENVUP_UPDATE=1 rewrites them); every property below holds for each.
func TestJSONCMergeFixtures(t *testing.T) {
	t.Parallel()
	inputs, err := filepath.Glob(filepath.Join("testdata", "vscode", "*.jsonc"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".jsonc")
		if name == "bad" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := jsoncMerge(data, jsoncLab())
			if err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(in, ".jsonc") + ".golden"
			if os.Getenv("ENVUP_UPDATE") == "1" {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("merged:\n%s\nwant (%s):\n%s", got, golden, want)
			}
			if err := jsoncCheck(data, got, jsoncLab()); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestJSONCMergeKeepsUserLines checks by hand the lines of the richest
// fixture that must come through byte for byte.
func TestJSONCMergeKeepsUserLines(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "vscode", "user-comments.jsonc"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := jsoncMerge(data, jsoncLab())
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"// Settings for the seat at the back: Ada's own, do not lose.\n{\n",
		"    /* Theme first, as the lab likes it. */\n",
		`    "workbench.colorTheme": "Solarized Light", // light room` + "\n",
		`    "editor.fontSize": 14, /* was twelve */` + "\n",
		`    "editor.minimap.enabled": false,` + "\n",
		"    // Python gets its own block.\n",
		`    "terminal.integrated.env.linux": {"PYTHONPATH": "${workspaceFolder}/src"},` + "\n",
		"    // trailing comments stay at the end\n",
		`    "editor.fontFamily": "DejaVu Sans Mono",` + "\n}\n",
	} {
		if !strings.Contains(string(got), line) {
			t.Errorf("merged file lacks %q:\n%s", line, got)
		}
	}
}

func TestJSONCSyntaxError(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "vscode", "bad.jsonc"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = jsoncMergeFile("/home/ada/.config/Code/User/settings.json", data, nil)
	var syn *JSONCSyntaxError
	if !errors.As(err, &syn) {
		t.Fatalf("err = %v, want a *JSONCSyntaxError", err)
	}
	if syn.Line != 3 || syn.Column != 20 {
		t.Errorf("at %d:%d, want 3:20", syn.Line, syn.Column)
	}
	if want := "/home/ada/.config/Code/User/settings.json:3:20: "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %q, want it to start %q", err, want)
	}
	// Each error names the line and column where it is, as an editor
	// would show it: where an unterminated string starts, not the end of
	// the file; where a top-level value that is no object starts.
	for _, tt := range []struct{ in, want string }{
		{"{\n  \"a\": \"abc\n}\n", "settings:2:8: unterminated string"},
		{"{\n  \"a\": \"abc", "settings:2:8: unterminated string"},
		{"{\n  \"python.venvPath\": \"C:\\envs\\\",\n  \"b\": 1\n}\n", "settings:2:22: unterminated string"}, // a path ending in \ escapes the quote
		{"\ufeff{\n  \"a\": \"abc\n}", "settings:2:8: unterminated string"},
		{"{\"a\" 1,\n \"b\": \"x\n}", "settings:1:6: invalid character '1' after object name"}, // the first error is said
		{"{\n\"b\": 1, \"c\" 2, \"d\": \"x\n}", "settings:2:13: invalid character '2' after object name"},
		{"\n\n  [1, 2]\n", "settings:3:3: settings must be a JSON object at the top, not an array"},
		{`"settings"`, "settings:1:1: settings must be a JSON object at the top, not a string"},
		{"// mine\n42\n", "settings:2:1: settings must be a JSON object at the top, not a number"},
		{"null", "settings:1:1: settings must be a JSON object at the top, not null"},
	} {
		_, err := jsoncMerge([]byte(tt.in), jsoncLab())
		if !errors.As(err, &syn) || err.Error() != tt.want {
			t.Errorf("%q: err = %v, want %s", tt.in, err, tt.want)
		}
	}
}

// TestJSONCMergeProperties merges 500 generated settings files (fixed
// seed) with comments everywhere a comment may go, and random owned keys.
func TestJSONCMergeProperties(t *testing.T) {
	t.Parallel()
	const cases = 500
	r := rand.New(rand.NewPCG(2026, 6))
	comments, changed := 0, 0
	for i := range cases {
		g := &jsoncGen{r: r, unit: []string{"", "  ", "    ", "\t"}[r.IntN(4)]}
		owned := g.owned()
		doc := g.doc(owned)
		out, err := jsoncMerge(doc, owned)
		if err != nil {
			t.Fatalf("case %d: %v\n%s", i, err, doc)
		}
		if err := jsoncCheck(doc, out, owned); err != nil {
			t.Fatalf("case %d: %v\nowned: %v\ninput:\n%s\nmerged:\n%s", i, err, owned, doc, out)
		}
		comments += g.n
		if !bytes.Equal(doc, out) {
			changed++
		}
	}
	t.Logf("%d generated files (%d changed by the merge, %d comments written), every property held", cases, changed, comments)
}

// FuzzMergeJSONC merges owned keys (a number, an object under a key the
// fuzzer picks, which may be a language block, and a "[python]" block)
// into any file. Seeded with the fixtures, the 55 real settings.json files
// of the corpus when it is beside the project, and files VS Code reads
// that hujson alone does not. A file is merged keeping every promise of
// jsoncCheck, and the same behind a BOM; or refused with a
// *JSONCSyntaxError that names a line, and never when hujson reads it as
// an object (unless it nests deeper than jsoncMaxDepth).
func FuzzMergeJSONC(f *testing.F) {
	inputs, _ := filepath.Glob(filepath.Join("testdata", "vscode", "*.jsonc"))
	real, _ := filepath.Glob(filepath.Join(corpora, "vscode-settings", "files", "*.json"))
	for _, in := range append(inputs, real...) {
		data, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "editor.fontSize", int64(14))
	}
	for _, doc := range []string{
		`{"a":1 /*x*/}`, "{\n\"a\": [1,\n2,],// c\n}", jsoncBOM + "{\r\n  \"a\": 1\r\n}\r\n",
		"// only a comment", "/* a */\n// b\n", "{}\n// last", "{\n  \"a\": \"abc\n}", "[1]",
		`{"[go]": {"editor.tabSize": 2, /* c */}}`, `{"a": ` + strings.Repeat("[", jsoncMaxDepth) + "}",
	} {
		f.Add([]byte(doc), "[go]", int64(-3))
	}
	f.Fuzz(func(t *testing.T, doc []byte, key string, n int64) {
		if !utf8.ValidString(key) {
			t.Skip() // a recipe's keys are YAML, so UTF-8
		}
		owned := map[string]any{
			"editor.fontSize": n,
			key:               map[string]any{"nested": []any{"x", n}},
			"[python]":        map[string]any{"editor.tabSize": 4, "editor.rulers": []any{n}},
		}
		out, err := jsoncMerge(doc, owned)
		if err != nil {
			var syn *JSONCSyntaxError
			if !errors.As(err, &syn) || syn.Line < 1 || syn.Column < 1 {
				t.Fatalf("refused without a line and column: %v", err)
			}
			root, perr := hujson.Parse(doc)
			if _, isObj := root.Value.(*hujson.Object); perr == nil && isObj && !strings.HasPrefix(syn.Msg, "nested more than") {
				if _, derr := jsoncDecode(root); derr == nil {
					t.Fatalf("a file hujson reads was refused: %v", err)
				}
			}
			return
		}
		in, err := jsoncParse("in", doc)
		if err != nil {
			t.Fatalf("merged, but does not parse: %v", err)
		}
		if _, err := jsoncDecode(in.root); err != nil {
			t.Skip() // hujson accepts what encoding/json does not (invalid UTF-8)
		}
		if err := jsoncCheck(doc, out, owned); err != nil {
			t.Fatalf("%v\ninput:\n%s\nmerged:\n%s", err, doc, out)
		}
		if !bytes.HasPrefix(doc, []byte(jsoncBOM)) {
			bom, err := jsoncMerge(append([]byte(jsoncBOM), doc...), owned)
			if err != nil || !bytes.Equal(bom, append([]byte(jsoncBOM), out...)) {
				t.Fatalf("behind a BOM (%v):\n%q\nwant the BOM and\n%q", err, bom, out)
			}
		}
	})
}

// jsoncCheck holds the merge's promises for in merged into out:
//   - out parses, every owned key has the wanted value (every occurrence);
//   - every other key is there with its value, in its order, byte for
//     byte, and no key appears that was not in either; so too in a
//     language block the recipe owns keys of: the block is the user's,
//     with the owned keys set;
//   - every comment of in is in out, save those inside an owned key's
//     old value, which is replaced;
//   - a file already as wanted comes out byte for byte;
//   - merging out again changes nothing.
//
// Which keys are language blocks it works out for itself, from VS Code's
// pattern, so that a merge that took a block for a plain key fails it.
func jsoncCheck(in, out []byte, owned map[string]any) error {
	wants, err := jsoncWantsIn(owned, false)
	if err != nil {
		return err
	}
	for i, w := range wants {
		if keys, ok := jsoncNormalize(owned[w.key]).(map[string]any); ok && jsoncLanguage.MatchString(w.key) {
			if wants[i].block, err = jsoncWantsIn(keys, false); err != nil {
				return err
			}
		}
	}
	isOwned, blocks := map[string]bool{}, map[string][]jsoncWant{}
	for _, w := range wants {
		isOwned[w.key] = true
		if w.block != nil {
			blocks[w.key] = w.block
		}
	}
	inDoc, err := jsoncParse("in", in)
	if err != nil {
		return err
	}
	outDoc, err := jsoncParse("out", out)
	if err != nil {
		return fmt.Errorf("merged file does not parse: %w", err)
	}
	inRoot, outRoot := &inDoc.root, &outDoc.root
	if differ := jsoncDiffer(outDoc.obj(), wants); len(differ) > 0 {
		return fmt.Errorf("owned keys still differ: %v", differ)
	}
	inOthers, outOthers := jsoncOthers(inRoot, wants), jsoncOthers(outRoot, wants)
	if !slices.Equal(inOthers, outOthers) {
		return fmt.Errorf("other keys changed:\n%q\nnow\n%q", inOthers, outOthers)
	}
	inDecoded, err := jsoncDecode(*inRoot)
	if err != nil {
		return err
	}
	outDecoded, err := jsoncDecode(*outRoot)
	if err != nil {
		return err
	}
	inMap, outMap := inDecoded.(map[string]any), outDecoded.(map[string]any)
	for k, v := range outMap {
		if block, ok := blocks[k]; ok {
			want, _ := inMap[k].(map[string]any) // the user's block, if an object
			want = maps.Clone(want)
			if want == nil {
				want = map[string]any{}
			}
			for _, sub := range block {
				want[sub.key] = sub.value
			}
			if !reflect.DeepEqual(v, want) {
				return fmt.Errorf("block %q: %v, want %v", k, v, want)
			}
		}
		if isOwned[k] {
			continue
		}
		if was, ok := inMap[k]; !ok || !reflect.DeepEqual(was, v) {
			return fmt.Errorf("key %q: %v, was %v (present %v)", k, v, was, ok)
		}
	}
	if len(outMap) != len(inMap)+jsoncCountNew(inMap, isOwned) {
		return fmt.Errorf("%d keys, want %d", len(outMap), len(inMap)+jsoncCountNew(inMap, isOwned))
	}
	have := jsoncCommentCounts(outRoot, nil)
	for c, n := range jsoncCommentCounts(inRoot, wants) {
		if have[c] < n {
			return fmt.Errorf("comment %q lost (%d of %d left)", c, have[c], n)
		}
	}
	if len(jsoncDiffer(inDoc.obj(), wants)) == 0 && len(bytes.TrimSpace(in)) > 0 && !bytes.Equal(in, out) {
		return errors.New("a file already as wanted was rewritten")
	}
	again, err := jsoncMerge(out, owned)
	if err != nil {
		return fmt.Errorf("second merge: %w", err)
	}
	if !bytes.Equal(again, out) {
		return fmt.Errorf("second merge changed the file:\n%s", again)
	}
	return nil
}

func jsoncCountNew(in map[string]any, owned map[string]bool) int {
	n := 0
	for k := range owned {
		if _, ok := in[k]; !ok {
			n++
		}
	}
	return n
}

// jsoncOthers is each member not owned, name and value as written; in
// a language block whose keys are owned (an object), each of its members
// not owned, after the block's name.
func jsoncOthers(root *hujson.Value, wants []jsoncWant) []string {
	var out []string
	var walk func(obj *hujson.Object, wants []jsoncWant, prefix string)
	walk = func(obj *hujson.Object, wants []jsoncWant, prefix string) {
		for i := range obj.Members {
			m := &obj.Members[i]
			w := jsoncWantOf(wants, jsoncName(m))
			if block, ok := m.Value.Value.(*hujson.Object); ok && w != nil && w.block != nil {
				walk(block, w.block, prefix+string(m.Name.Value.(hujson.Literal))+"/")
				continue
			}
			if w == nil {
				out = append(out, prefix+string(m.Name.Value.(hujson.Literal))+":"+hujson.Value{Value: m.Value.Value}.String())
			}
		}
	}
	walk(root.Value.(*hujson.Object), wants, "")
	return out
}

// jsoncWantOf is the want for key, or nil.
func jsoncWantOf(wants []jsoncWant, key string) *jsoncWant {
	for i := range wants {
		if wants[i].key == key {
			return &wants[i]
		}
	}
	return nil
}

// jsoncCommentCounts counts each comment in v, skipping what is inside
// the values of owned keys: at the top, and in a language block whose
// keys are owned (an object), its owned keys.
func jsoncCommentCounts(v *hujson.Value, wants []jsoncWant) map[string]int {
	counts := map[string]int{}
	add := func(e hujson.Extra) {
		for _, c := range jsoncCommentsIn(e) {
			counts[c]++
		}
	}
	var walk func(v *hujson.Value, wants []jsoncWant)
	walk = func(v *hujson.Value, wants []jsoncWant) {
		add(v.BeforeExtra)
		add(v.AfterExtra)
		switch c := v.Value.(type) {
		case *hujson.Object:
			for i := range c.Members {
				m := &c.Members[i]
				walk(&m.Name, nil)
				w := jsoncWantOf(wants, jsoncName(m))
				_, isObj := m.Value.Value.(*hujson.Object)
				switch {
				case w != nil && w.block != nil && isObj:
					walk(&m.Value, w.block)
				case w != nil:
					add(m.Value.BeforeExtra)
					add(m.Value.AfterExtra)
				default:
					walk(&m.Value, nil)
				}
			}
			add(c.AfterExtra)
		case *hujson.Array:
			for i := range c.Elements {
				walk(&c.Elements[i], nil)
			}
			add(c.AfterExtra)
		}
	}
	walk(v, wants)
	return counts
}

// jsoncCommentsIn splits whitespace and comments into the comments.
func jsoncCommentsIn(e hujson.Extra) []string {
	var out []string
	s := string(e)
	for {
		i := strings.Index(s, "/")
		if i < 0 || i+1 >= len(s) {
			return out
		}
		s = s[i:]
		end := len(s)
		if s[1] == '/' {
			if j := strings.IndexByte(s, '\n'); j >= 0 {
				end = j
			}
		} else if j := strings.Index(s[2:], "*/"); j >= 0 {
			end = j + 4
		}
		out = append(out, s[:end])
		s = s[end:]
	}
}

// jsoncGen writes random settings files: keys VS Code uses, values of
// every JSON kind nested a little, comments (line and block, numbered
// so each is unique) wherever the grammar allows, trailing commas or
// not, indented with unit or all on one line when unit is "".
type jsoncGen struct {
	r    *rand.Rand
	unit string
	n    int // comments written
}

var jsoncOtherKeys = []string{
	"workbench.colorTheme", "editor.minimap.enabled", "files.autoSave", "git.autofetch",
	"terminal.integrated.env.linux", "[go]", "a", "b.c.d", `quote"d`, "ünïcode.key", "",
}

var jsoncOwnedKeys = []string{"editor.fontSize", "editor.fontFamily", "[python]", "files.exclude", "x.y"}

func (g *jsoncGen) comment(line bool) string {
	g.n++
	if line {
		return fmt.Sprintf("// c%d\n", g.n)
	}
	if g.r.IntN(5) == 0 {
		return fmt.Sprintf("/* c%d\n   spans lines */", g.n)
	}
	return fmt.Sprintf("/* c%d */", g.n)
}

// owned is a random set of owned keys with random wanted values.
func (g *jsoncGen) owned() map[string]any {
	out := map[string]any{}
	for _, k := range jsoncOwnedKeys {
		switch {
		case g.r.IntN(2) == 0:
		case jsoncLanguage.MatchString(k) && g.r.IntN(3) > 0: // a language block, its keys owned
			out[k] = map[string]any{"editor.tabSize": g.r.IntN(8), "editor.rulers": g.goValue(1)}
		default:
			out[k] = g.goValue(0)
		}
	}
	return out
}

// goValue is a random value as a recipe holds it.
func (g *jsoncGen) goValue(depth int) any {
	switch g.r.IntN(8) {
	case 0:
		return g.r.IntN(40)
	case 1:
		return float64(g.r.IntN(40)) + 0.5
	case 2:
		return []string{"DejaVu Sans Mono", "<b>&amp;", "ünï", `a"b`}[g.r.IntN(4)]
	case 3:
		return g.r.IntN(2) == 0
	case 4:
		if depth < 2 {
			return map[string]any{"editor.tabSize": g.r.IntN(8), "nested": g.goValue(depth + 1)}
		}
	case 5:
		if depth < 2 {
			return []any{g.goValue(depth + 1), "x"}
		}
	case 6:
		return nil
	}
	return "value"
}

// gap is the whitespace and comments before an item at depth.
func (g *jsoncGen) gap(depth int) string {
	if g.unit == "" {
		if g.r.IntN(4) == 0 {
			return " " + g.comment(false) + " "
		}
		return []string{"", " "}[g.r.IntN(2)]
	}
	s := "\n"
	if g.r.IntN(4) == 0 {
		s = " " + g.comment(true)
	}
	indent := strings.Repeat(g.unit, depth)
	if g.r.IntN(4) == 0 {
		s += indent + g.comment(true)
	}
	if g.r.IntN(6) == 0 {
		s += indent + g.comment(false) + "\n"
	}
	if g.r.IntN(8) == 0 {
		s += "\n" // a blank line
	}
	return s + indent
}

// small is what may stand between a name and its colon, or a value and
// its comma.
func (g *jsoncGen) small() string {
	switch g.r.IntN(8) {
	case 0:
		return " " + g.comment(false) + " "
	case 1:
		return " "
	}
	return ""
}

func (g *jsoncGen) doc(owned map[string]any) []byte {
	var keys []string
	for _, k := range jsoncOtherKeys {
		if g.r.IntN(3) == 0 {
			keys = append(keys, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(owned)) {
		if g.r.IntN(3) > 0 {
			keys = append(keys, k)
			if g.r.IntN(20) == 0 {
				keys = append(keys, k) // a duplicate
			}
		}
	}
	g.r.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	var b strings.Builder
	if g.r.IntN(3) == 0 {
		b.WriteString(g.comment(true))
	}
	b.WriteString(g.object(0, keys, owned))
	if g.r.IntN(4) > 0 {
		b.WriteString("\n")
	}
	return []byte(b.String())
}

func (g *jsoncGen) object(depth int, keys []string, owned map[string]any) string {
	var b strings.Builder
	b.WriteString("{")
	trailing := g.r.IntN(2) == 0
	for i, k := range keys {
		name, _ := json.Marshal(k)
		b.WriteString(g.gap(depth+1) + string(name) + g.small() + ": ")
		if v, ok := owned[k]; ok && g.r.IntN(2) == 0 {
			raw, _ := jsoncMarshal(jsoncNormalize(v), "", "")
			b.Write(raw) // already as wanted
		} else {
			b.WriteString(g.value(depth + 1))
		}
		b.WriteString(g.small())
		if i < len(keys)-1 || trailing {
			b.WriteString(",")
		}
	}
	if len(keys) > 0 || g.r.IntN(2) == 0 {
		b.WriteString(g.gap(depth))
	}
	b.WriteString("}")
	return b.String()
}

// value is a random JSON value as a user wrote it, comments inside.
func (g *jsoncGen) value(depth int) string {
	switch g.r.IntN(10) {
	case 0, 1:
		return fmt.Sprint(g.r.IntN(100))
	case 2:
		return "1.25e2"
	case 3:
		return `"Solarized \"Light\" \u00e9"`
	case 4:
		return []string{"true", "false", "null"}[g.r.IntN(3)]
	case 5, 6:
		if depth < 3 {
			var keys []string
			for range g.r.IntN(4) {
				keys = append(keys, jsoncOtherKeys[g.r.IntN(len(jsoncOtherKeys))])
			}
			return g.object(depth, slices.Compact(keys), nil)
		}
	case 7:
		if depth < 3 {
			s := "[" + g.small() + g.value(depth+1) + g.small() + "," + g.small() + g.value(depth+1)
			if g.r.IntN(2) == 0 {
				s += ","
			}
			return s + g.small() + "]"
		}
	}
	return `"plain"`
}

// TestJSONCDepth: jsoncMaxDepth levels parse, one more is refused where
// it opens, and brackets in strings and comments are not levels.
func TestJSONCDepth(t *testing.T) {
	t.Parallel()
	nest := func(n int) string { // n levels: the object and n-1 arrays in "a"
		return `{"a": ` + strings.Repeat("[", n-1) + strings.Repeat("]", n-1) + "}"
	}
	if _, err := jsoncMerge([]byte(nest(jsoncMaxDepth)), jsoncLab()); err != nil {
		t.Errorf("%d levels: %v", jsoncMaxDepth, err)
	}
	_, err := jsoncMerge([]byte(nest(jsoncMaxDepth+1)), jsoncLab())
	var syn *JSONCSyntaxError
	if !errors.As(err, &syn) || syn.Line != 1 || syn.Column != 6+jsoncMaxDepth {
		t.Errorf("%d levels: err = %v, want one at 1:%d", jsoncMaxDepth+1, err, 6+jsoncMaxDepth)
	}
	noise := strings.Repeat("[{", jsoncMaxDepth)
	for _, doc := range []string{
		`{"a": "` + noise + `"}`,
		`{"a": "\"` + noise + `"}`, // an escaped quote does not end the string
		"{\n// " + noise + "\n}",
		"{/* " + noise + " */}",
	} {
		if _, err := jsoncMerge([]byte(doc), jsoncLab()); err != nil {
			t.Errorf("%.20q…: %v", doc, err)
		}
	}
}

// TestJSONCMergeAsVSCodeReads: files VS Code reads that hujson alone does
// not: one starting with a UTF-8 BOM (kept when written back), one of
// comments alone (an empty object, as VS Code has it), one whose last
// line is a comment with no line break after it.
func TestJSONCMergeAsVSCodeReads(t *testing.T) {
	t.Parallel()
	const bom = "\ufeff"
	owned := map[string]any{"editor.fontSize": 14}
	tests := []jsoncCase{
		{"BOM", bom + "{\n    \"a\": 1\n}\n", bom + "{\n    \"a\": 1,\n    \"editor.fontSize\": 14\n}\n"},
		{"BOM, CRLF", bom + "{\r\n  \"a\": 1,\r\n}\r\n", bom + "{\r\n  \"a\": 1,\r\n  \"editor.fontSize\": 14,\r\n}\r\n"},
		{"BOM, already so", bom + "{\"editor.fontSize\": 14}", bom + "{\"editor.fontSize\": 14}"},
		{"BOM alone", bom, bom + "{\n    \"editor.fontSize\": 14\n}\n"},
		{"a line comment alone", "// my settings\n", "// my settings\n{\n    \"editor.fontSize\": 14\n}\n"},
		{"a line comment alone, no line break", "// my settings", "// my settings\n{\n    \"editor.fontSize\": 14\n}\n"},
		{"a block comment alone", "/* mine */", "/* mine */\n{\n    \"editor.fontSize\": 14\n}\n"},
		{"comments alone, CRLF", "// one\r\n\r\n/* two */\r\n", "// one\r\n\r\n/* two */\r\n{\r\n    \"editor.fontSize\": 14\r\n}\r\n"},
		{"BOM and a comment", bom + "// mine\n", bom + "// mine\n{\n    \"editor.fontSize\": 14\n}\n"},
		{"a last comment, no line break", "{\n    \"a\": 1\n}\n// end", "{\n    \"a\": 1,\n    \"editor.fontSize\": 14\n}\n// end"},
		{"a last comment after the brace", "{\"a\": 1} // end", "{\"a\": 1, \"editor.fontSize\": 14} // end"},
		{"an empty object, a comment in it", "{ /* mine */ }", "{ /* mine */\n    \"editor.fontSize\": 14\n}"}, // the comment was lost
	}
	jsoncMergeCases(t, owned, tests)
}

// jsoncCase is a file, and what merging owned keys into it makes.
type jsoncCase struct{ name, in, want string }

// jsoncMergeCases merges owned into each case's file: the result is the
// case's, and jsoncCheck's promises hold.
func jsoncMergeCases(t *testing.T, owned map[string]any, cases []jsoncCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := jsoncMerge([]byte(tt.in), owned)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("merged %q, want %q", got, tt.want)
			}
			if err := jsoncCheck([]byte(tt.in), got, owned); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestJSONCLanguageBlocks: a recipe's "[python]" block is merged into the
// user's key by key, as VS Code reads the block: the user's other keys
// and comments in it stay. 17 of the 54 mergeable real files of the
// corpus lost per-language settings when the block was replaced whole.
// A block that is not an object is replaced; one that is absent is
// written whole; an object under any other key is still replaced whole.
func TestJSONCLanguageBlocks(t *testing.T) {
	t.Parallel()
	owned := map[string]any{
		"[python]":                 map[string]any{"editor.tabSize": 4, "editor.formatOnSave": true},
		"[javascript][typescript]": map[string]any{"editor.tabSize": 2},
		"files.exclude":            map[string]any{"**/__pycache__": true},
	}
	tests := []jsoncCase{
		{
			name: "lines, comments",
			in: `{
    // Python gets its own block.
    "[python]": {
        "editor.tabSize": 2, // too small
        /* keep */ "editor.rulers": [79, 99],
    },
    "[javascript][typescript]": {"editor.tabSize": 2},
    "files.exclude": {"**/.git": true},
}
`,
			want: `{
    // Python gets its own block.
    "[python]": {
        "editor.tabSize": 4, // too small
        /* keep */ "editor.rulers": [79, 99],
        "editor.formatOnSave": true,
    },
    "[javascript][typescript]": {"editor.tabSize": 2},
    "files.exclude": {
        "**/__pycache__": true
    },
}
`,
		},
		{
			name: "one line, tabs",
			in:   "{\n\t\"[python]\": {\"editor.rulers\": [79]},\n\t\"files.exclude\": {\"**/__pycache__\": true}\n}\n",
			want: "{\n\t\"[python]\": {\"editor.rulers\": [79], \"editor.formatOnSave\": true, \"editor.tabSize\": 4},\n\t\"files.exclude\": {\"**/__pycache__\": true},\n\t\"[javascript][typescript]\": {\n\t\t\"editor.tabSize\": 2\n\t}\n}\n",
		},
		{
			name: "empty, two-space",
			in:   "{\n  \"[python]\": {},\n  \"[javascript][typescript]\": {\n  },\n  \"files.exclude\": {\"**/__pycache__\": true}\n}\n",
			want: "{\n  \"[python]\": {\n    \"editor.formatOnSave\": true,\n    \"editor.tabSize\": 4\n  },\n  \"[javascript][typescript]\": {\n    \"editor.tabSize\": 2\n  },\n  \"files.exclude\": {\"**/__pycache__\": true}\n}\n",
		},
		{
			name: "empty, a comment in it", // the comment stays
			in:   "{\n    \"[python]\": { /* mine */ },\n    \"[javascript][typescript]\": {\"editor.tabSize\": 2},\n    \"files.exclude\": {\"**/__pycache__\": true}\n}\n",
			want: "{\n    \"[python]\": { /* mine */\n        \"editor.formatOnSave\": true,\n        \"editor.tabSize\": 4\n    },\n    \"[javascript][typescript]\": {\"editor.tabSize\": 2},\n    \"files.exclude\": {\"**/__pycache__\": true}\n}\n",
		},
		{
			name: "not an object",
			in:   "{\n    \"[python]\": null,\n    \"[javascript][typescript]\": {\"editor.tabSize\": 2},\n    \"files.exclude\": {\"**/__pycache__\": true}\n}\n",
			want: "{\n    \"[python]\": {\n        \"editor.formatOnSave\": true,\n        \"editor.tabSize\": 4\n    },\n    \"[javascript][typescript]\": {\"editor.tabSize\": 2},\n    \"files.exclude\": {\"**/__pycache__\": true}\n}\n",
		},
	}
	jsoncMergeCases(t, owned, tests)

	// A value in a block that is itself an object is indented a level
	// past its key, by the file's unit.
	in := "{\n    \"[python]\": {\n        \"editor.tabSize\": 4\n    }\n}\n"
	want := "{\n    \"[python]\": {\n        \"editor.tabSize\": 4,\n        \"editor.codeActionsOnSave\": {\n            \"source.organizeImports\": \"explicit\"\n        }\n    }\n}\n"
	deep := map[string]any{"[python]": map[string]any{"editor.codeActionsOnSave": map[string]any{"source.organizeImports": "explicit"}}}
	if got, err := jsoncMerge([]byte(in), deep); err != nil || string(got) != want {
		t.Errorf("merged (%v):\n%s\nwant:\n%s", err, got, want)
	}
}
