package editor

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpora is the shared folder of real settings files beside the project
// (../shared/corpora from its root); see its README.
const corpora = "../../../../shared/corpora"

// corpusFiles lists a corpus folder's files, or skips the test when the
// project is checked out without the shared corpora beside it.
func corpusFiles(t testing.TB, folder string) string {
	t.Helper()
	dir := filepath.Join(corpora, folder, "files")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("the %s corpus is not beside the project: %v", folder, err)
	}
	return dir
}

// corpusCases reads a corpus folder's cases.tsv: a header, then a row a
// file.
func corpusCases(t testing.TB, folder string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(corpora, folder, "cases.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes = '\t', true
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestLineEnding(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                     "\n",
		`{"a": 1}`:             "\n",
		"{\n}\n":               "\n",
		"{\r\n}\r\n":           "\r\n",
		"{\r\n\"a\": 1\n}\r\n": "\r\n", // most are CRLF
		"{\n\"a\": 1\r\n}\n":   "\n",   // most are LF
		"{\r\n\"a\": 1\n}":     "\r\n", // a tie: the first line's
		"{\n\"a\": 1\r\n}":     "\n",
		"{\n\"a\": \"x\r\"\n}": "\n", // a lone CR is no line break
	} {
		if got := lineEnding([]byte(in)); got != want {
			t.Errorf("lineEnding(%q) = %q, want %q", in, got, want)
		}
	}
	if got := string(withLineEnding([]byte("a\nb\r\nc\n"), "\r\n")); got != "a\r\nb\r\nc\r\n" {
		t.Errorf("withLineEnding = %q", got)
	}
}

// bareLF is the 1-based line of data that ends in a bare LF, or 0.
func bareLF(data []byte) int {
	for i, c := range data {
		if c == '\n' && (i == 0 || data[i-1] != '\r') {
			return bytes.Count(data[:i], []byte("\n")) + 1
		}
	}
	return 0
}

// A CRLF settings.json (VS Code on Windows writes them) stays CRLF after
// the merge, in the four CRLF files of the corpus and in small ones that
// take every path a new line is written by: a key appended, a value
// replaced over several lines, an empty object growing. Apart from line
// endings, the result is the merge of the same file with LF endings, and
// an LF file gets no CR.
func TestJSONCMergeKeepsCRLF(t *testing.T) {
	t.Parallel()
	dir := corpusFiles(t, "vscode-settings")
	inputs := map[string][]byte{
		"empty object":          []byte("{}\r\n"),
		"empty object on lines": []byte("{\r\n}\r\n"),
		"a comment only":        []byte("{\r\n  // mine\r\n}\r\n"),
		"a comment last":        []byte("{\r\n    \"a\": 1 // mine\r\n}"),
		"an owned value":        []byte("{\r\n    \"[python]\": {\"editor.tabSize\": 2},\r\n    \"b\": [\r\n        1\r\n    ]\r\n}\r\n"),
	}
	crlf := 0
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte("\r\n")) {
			crlf++
			inputs[filepath.Base(name)] = data
		}
	}
	if crlf != 4 {
		t.Errorf("%d CRLF files in the corpus, its README says 4", crlf)
	}
	// and an LF file of the corpus, with comments, stays LF
	lf, err := os.ReadFile(filepath.Join(dir, "01__0000xFFFF+dotfiles.json"))
	if err != nil {
		t.Fatal(err)
	}
	inputs["01__0000xFFFF+dotfiles.json (LF)"] = lf

	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out, err := jsoncMerge(in, jsoncLab())
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(out, in) {
				t.Fatal("the merge changed nothing: the test proves nothing")
			}
			if bytes.Contains(in, []byte("\r\n")) {
				if n := bareLF(out); n > 0 {
					t.Errorf("line %d of the merged file ends in a bare LF:\n%q", n, out)
				}
			} else if bytes.ContainsRune(out, '\r') {
				t.Errorf("an LF file got a CR:\n%q", out)
			}
			if err := jsoncCheck(in, out, jsoncLab()); err != nil { // comments kept, a second merge a no-op
				t.Error(err)
			}
			unix := bytes.ReplaceAll(in, []byte("\r\n"), []byte("\n"))
			want, err := jsoncMerge(unix, jsoncLab())
			if err != nil {
				t.Fatal(err)
			}
			if got := bytes.ReplaceAll(out, []byte("\r\n"), []byte("\n")); !bytes.Equal(got, want) {
				t.Errorf("apart from line endings, merged:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// An IntelliJ options file with CRLF endings (the IDE on Windows) stays
// CRLF after an edit. The corpus has none, so each of its files is
// converted to CRLF here; apart from line endings, the result is the
// edit of the file as it is.
func TestJBMergeKeepsCRLF(t *testing.T) {
	t.Parallel()
	dir := corpusFiles(t, "jetbrains-options")
	rows := corpusCases(t, "jetbrains-options")
	edited := 0
	for _, row := range rows[1:] {
		name, settings := row[0], []jbSetting{{row[2], row[3], row[4]}}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		unix := bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		want, _, err := jbMerge(unix, settings)
		if err != nil || want == nil {
			continue // refused, or already so: nothing written
		}
		in := bytes.ReplaceAll(unix, []byte("\n"), []byte("\r\n"))
		out, _, err := jbMerge(in, settings)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		edited++
		if n := bareLF(out); n > 0 {
			t.Errorf("%s: line %d of the edited file ends in a bare LF", name, n)
		}
		if got := bytes.ReplaceAll(out, []byte("\r\n"), []byte("\n")); !bytes.Equal(got, want) {
			t.Errorf("%s: apart from line endings, edited:\n%s\nwant:\n%s", name, got, want)
		}
		if again, _, err := jbMerge(out, settings); err != nil || again != nil {
			t.Errorf("%s: a second edit: %v, %v; want none", name, strings.TrimSpace(string(again)), err)
		}
	}
	if edited == 0 {
		t.Fatal("no corpus file was edited")
	}
	t.Logf("%d CRLF options files edited", edited)
}
