package recipe

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// archive is a txtar file: a comment, then files, each after a line
// "-- name --". (go-internal's txtar needs x/tools, which go.mod lacks.)
type archive struct {
	comment string
	files   []archiveFile
}

type archiveFile struct {
	name string
	data string
}

func parseArchive(path string) (*archive, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	a := &archive{}
	cur := &a.comment
	for _, line := range strings.SplitAfter(string(b), "\n") {
		t := strings.TrimRight(line, "\n")
		if strings.HasPrefix(t, "-- ") && strings.HasSuffix(t, " --") && len(t) > 6 {
			a.files = append(a.files, archiveFile{name: strings.TrimSpace(t[3 : len(t)-3])})
			cur = &a.files[len(a.files)-1].data
			continue
		}
		*cur += line
	}
	return a, nil
}

func (a *archive) format() []byte {
	var b strings.Builder
	b.WriteString(a.comment)
	for _, f := range a.files {
		b.WriteString("-- " + f.name + " --\n")
		b.WriteString(f.data)
		if f.data != "" && !strings.HasSuffix(f.data, "\n") {
			b.WriteString("\n")
		}
	}
	return []byte(b.String())
}

// update rewrites golden data (expected errors, effective recipes, the
// committed schema) from what the code does now: go test -update, or
// ENVUP_UPDATE=1. Review the diff before committing it.
var update = flag.Bool("update", false, "rewrite golden files")

func updating() bool { return *update || os.Getenv("ENVUP_UPDATE") == "1" }

// testdataCases lists the txtar files of a testdata folder, by glob.
func testdataCases(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no cases in testdata/%s", dir)
	}
	return files
}

// extract writes an archive's files (all but the ones for which skip is
// true) into a new temp directory and returns it.
func extract(t *testing.T, a *archive, skip func(name string) bool) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range a.files {
		if skip(f.name) {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f.data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// section returns the data of the archive file called name.
func section(a *archive, name string) (string, bool) {
	for _, f := range a.files {
		if f.name == name {
			return f.data, true
		}
	}
	return "", false
}

// setSection replaces (or appends) the archive file called name.
func setSection(a *archive, name, data string) {
	for i, f := range a.files {
		if f.name == name {
			a.files[i].data = data
			return
		}
	}
	a.files = append(a.files, archiveFile{name: name, data: data})
}

// relative strips the temp directory from messages.
func relative(s, dir string) string {
	return strings.ReplaceAll(s, dir+string(filepath.Separator), "")
}
