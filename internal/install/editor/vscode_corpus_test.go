package editor

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tailscale/hujson"

	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// vscodeCase is one row of the corpus's cases.tsv: a real settings.json
// from a public dotfiles repository (SOURCES.md names repository, commit
// and path), and whether envup merges it or refuses it at a line.
type vscodeCase struct {
	file   string
	refuse bool
	line   int // where a refused file is broken
}

// vscodeCases reads cases.tsv and checks that it names every file of the
// corpus and no other.
func vscodeCases(t *testing.T) (dir string, cases []vscodeCase) {
	t.Helper()
	dir = corpusFiles(t, "vscode-settings")
	rows := corpusCases(t, "vscode-settings")
	if len(rows) < 2 || !slices.Equal(rows[0][:3], []string{"file", "expect", "error-line"}) {
		t.Fatalf("cases.tsv: header %q", rows[0])
	}
	var named []string
	for _, row := range rows[1:] {
		c := vscodeCase{file: row[0]}
		switch row[1] {
		case "merge":
		case "refuse":
			var err error
			c.refuse = true
			if c.line, err = strconv.Atoi(row[2]); err != nil {
				t.Fatalf("cases.tsv: %s: error-line %q", row[0], row[2])
			}
		default:
			t.Fatalf("cases.tsv: %s: expect %q", row[0], row[1])
		}
		cases = append(cases, c)
		named = append(named, c.file)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		files = append(files, e.Name())
	}
	slices.Sort(named)
	if !slices.Equal(files, named) {
		t.Fatalf("cases.tsv names\n%q\nthe folder holds\n%q", named, files)
	}
	return dir, cases
}

// vscodeCorpusRecipe is what a lab's recipe sets in each real file: keys
// many of the files have (editor.fontSize in 25 of them, fontFamily in
// 27), keys few have, an object replaced whole (files.exclude, in 19), a
// "[python]" block (in 19, merged key by key), and the file's own first
// plain key set to another value, so that every file has a key that
// exists changed in place.
func vscodeCorpusRecipe(t *testing.T, data []byte) map[string]any {
	t.Helper()
	settings := map[string]any{
		"editor.fontSize":               14,
		"editor.fontFamily":             "DejaVu Sans Mono",
		"python.defaultInterpreterPath": "/home/ada/envs/lab/bin/python",
		"files.exclude":                 map[string]any{"**/__pycache__": true},
		"[python]": map[string]any{
			"editor.tabSize":          4,
			"editor.formatOnSave":     true,
			"editor.defaultFormatter": "ms-python.black-formatter",
		},
	}
	doc, err := jsoncParse("corpus", data)
	if err != nil {
		t.Fatal(err)
	}
	for i := range doc.obj().Members {
		m := &doc.obj().Members[i]
		key := jsoncName(m)
		if _, owned := settings[key]; owned || jsoncLanguage.MatchString(key) {
			continue
		}
		have, err := jsoncDecode(m.Value)
		if err != nil {
			t.Fatal(err)
		}
		switch v := have.(type) {
		case bool:
			settings[key] = !v
		case float64:
			settings[key] = v + 1
		case string:
			settings[key] = v + " (lab)"
		default:
			settings[key] = "lab"
		}
		break
	}
	return settings
}

// TestVSCodeCorpus merges a lab's recipe into each of the 55 real
// settings.json files of the corpus (27 with comments, 19 with trailing
// commas, 4 CRLF, 16 without a final newline) and refuses the one broken
// file at its line. For each file merged: the recipe's keys are set,
// every other key and every comment stays byte for byte, the user's keys
// in a "[python]" block stay, new lines end as the file's do, a second
// merge changes nothing, a BOM in front is kept; through the VS Code
// resource, the backup is the file as it was, a second plan is empty and
// a snapshot reads every key.
func TestVSCodeCorpus(t *testing.T) {
	t.Parallel()
	dir, cases := vscodeCases(t)
	var merged, refused, kept, blocks atomic.Int32
	t.Cleanup(func() {
		t.Logf("%d of %d real files merged, %d refused at their line; %d had a [python] block, in %d of them keys of the user's own stayed that a whole-block merge lost",
			merged.Load(), len(cases), refused.Load(), blocks.Load(), kept.Load())
	})
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join(dir, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if c.refuse {
				vscodeCorpusRefused(t, c, data)
				refused.Add(1)
				return
			}
			settings := vscodeCorpusRecipe(t, data)
			wants, err := jsoncWants(settings)
			if err != nil {
				t.Fatal(err)
			}
			out, err := jsoncMergeFile(c.file, data, wants)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(out, data) {
				t.Fatal("the merge changed nothing: the recipe proves nothing here")
			}
			if err := jsoncCheck(data, out, settings); err != nil { // keys, comments, blocks, a second merge
				t.Fatal(err)
			}
			vscodeCorpusLineEndings(t, data, out)
			if own := vscodeUserBlockKeys(t, data, settings); own >= 0 {
				blocks.Add(1)
				if own > 0 {
					kept.Add(1)
				}
			}
			bom, err := jsoncMergeFile(c.file, append([]byte(jsoncBOM), data...), wants)
			if err != nil || !bytes.Equal(bom, append([]byte(jsoncBOM), out...)) {
				t.Errorf("with a BOM in front (%v): merged as %.60q…, want the BOM and the same merge", err, bom)
			}
			vscodeCorpusApply(t, data, out, settings)
			merged.Add(1)
		})
	}
}

// vscodeCorpusRefused: a broken file is an error at its line, through
// the merge and the resource, and stays as it was.
func vscodeCorpusRefused(t *testing.T, c vscodeCase, data []byte) {
	t.Helper()
	_, err := jsoncMerge(data, map[string]any{"editor.fontSize": 14})
	var syn *JSONCSyntaxError
	if !errors.As(err, &syn) || syn.Line != c.line {
		t.Errorf("err = %v, want a syntax error on line %d", err, c.line)
	}
	p := vscodeHost(t.TempDir())
	path := filepath.Join(p.Dirs.Config, "Code", "User", "settings.json")
	vscodePut(t, path, string(data))
	r, err := NewVSCode(&recipe.Editor{Settings: vscodeCorpusRecipe(t, []byte("{}"))}, p)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%s:%d:", path, c.line)
	if _, err := r.Observe(t.Context(), system.NewReal()); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("observe: err = %v, want it to start %s", err, want)
	}
	if got := vscodeGet(t, path); got != string(data) {
		t.Error("the file changed")
	}
}

// vscodeCorpusLineEndings: the lines the merge writes end as most of the
// file's do: a CRLF file gets no bare LF more than it had, an LF file no
// CRLF (a replaced value may take some away). TestJSONCMergeKeepsCRLF
// compares the CRLF files' merges with those of the files in LF.
func vscodeCorpusLineEndings(t *testing.T, in, out []byte) {
	t.Helper()
	crlf := func(b []byte) int { return bytes.Count(b, []byte("\r\n")) }
	bare := func(b []byte) int { return bytes.Count(b, []byte("\n")) - crlf(b) }
	if lineEnding(in) == "\r\n" {
		if bare(out) > bare(in) {
			t.Errorf("a CRLF file got %d bare LFs, had %d (line %d)", bare(out), bare(in), bareLF(out))
		}
		return
	}
	if crlf(out) > crlf(in) {
		t.Errorf("an LF file got %d CRLFs, had %d", crlf(out), crlf(in))
	}
}

// vscodeUserBlockKeys counts the keys in the file's own "[python]" block
// (the last, as a JSON reader takes it) that the recipe does not name:
// the ones a merge replacing the block whole lost. -1: no block that is
// an object.
func vscodeUserBlockKeys(t *testing.T, data []byte, settings map[string]any) int {
	t.Helper()
	doc, err := jsoncParse("corpus", data)
	if err != nil {
		t.Fatal(err)
	}
	own := -1
	for i := range doc.obj().Members {
		m := &doc.obj().Members[i]
		block, ok := m.Value.Value.(*hujson.Object)
		if jsoncName(m) != "[python]" || !ok {
			continue
		}
		own = 0
		for j := range block.Members {
			if _, named := settings["[python]"].(map[string]any)[jsoncName(&block.Members[j])]; !named {
				own++
			}
		}
	}
	return own
}

// vscodeCorpusApply runs the file through the VS Code resource on a
// Linux host in a temporary folder: the plan lists changes, the apply
// writes the merge and keeps the file as it was as the backup, a second
// plan is empty, and a snapshot reads each of the file's keys.
func vscodeCorpusApply(t *testing.T, data, merged []byte, settings map[string]any) {
	t.Helper()
	p := vscodeHost(t.TempDir())
	path := filepath.Join(p.Dirs.Config, "Code", "User", "settings.json")
	vscodePut(t, path, string(data))
	r, err := NewVSCode(&recipe.Editor{Settings: settings}, p)
	if err != nil {
		t.Fatal(err)
	}
	if plan := vscodeConverge(t, r, system.NewReal()); len(plan) == 0 {
		t.Error("the plan lists no change")
	}
	if got := vscodeGet(t, path); got != string(merged) {
		t.Error("the resource wrote other than the merge")
	}
	if got := vscodeGet(t, path+".envup-backup"); got != string(data) {
		t.Error("the backup is not the file as it was")
	}
	seen, err := Inspect(t.Context(), system.NewReal(), p)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsoncParse(path, merged)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for i := range doc.obj().Members {
		keys[jsoncName(&doc.obj().Members[i])] = true
	}
	if s := seen["vscode"]; s.Problem != "" || len(s.Settings) != len(keys) {
		t.Errorf("snapshot: %d keys (%q), want %d", len(s.Settings), s.Problem, len(keys))
	}
}
