package mirror

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/lock"
)

var (
	sumA = strings.Repeat("a", 64)
	sumB = strings.Repeat("b", 64)
)

// wantIndex is the index of testFiles, byte for byte.
const wantIndex = `{
  "envup_mirror": 1,
  "files": [
    {
      "name": "cpython-3.12.1+20240107-x86_64-unknown-linux-gnu.tar.gz",
      "url": "https://github.com/indygreg/python-build-standalone/releases/download/20240107/cpython-3.12.1%2B20240107-x86_64-unknown-linux-gnu.tar.gz",
      "sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "size": 1000,
      "platforms": [
        "linux/debian/12/amd64",
        "linux/ubuntu/22.04/amd64"
      ]
    },
    {
      "name": "redis-7.0.99.tar.gz",
      "url": "https://download.redis.io/releases/redis-7.0.99.tar.gz?a=1&b=<2>",
      "sha256": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
      "size": 20,
      "platforms": []
    }
  ]
}
`

func testFiles() []IndexFile {
	py := "https://github.com/indygreg/python-build-standalone/releases/download/20240107/cpython-3.12.1%2B20240107-x86_64-unknown-linux-gnu.tar.gz"
	pyName := "cpython-3.12.1+20240107-x86_64-unknown-linux-gnu.tar.gz"
	return []IndexFile{
		{Name: "redis-7.0.99.tar.gz", URL: "https://download.redis.io/releases/redis-7.0.99.tar.gz?a=1&b=<2>", SHA256: strings.ToUpper(sumB), Size: 20},
		{Name: pyName, URL: py, SHA256: sumA, Size: 1000, Platforms: []string{"linux/ubuntu/22.04/amd64"}},
		{Name: pyName, URL: py, SHA256: sumA, Size: 1000, Platforms: []string{"linux/debian/12/amd64", "linux/ubuntu/22.04/amd64"}},
	}
}

func TestIndexWriteDeterministic(t *testing.T) {
	t.Parallel()
	files := testFiles()
	// Added in either order, the same files give the same bytes.
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 0, 2}} {
		var ix Index
		for _, i := range order {
			if err := ix.Add(files[i]); err != nil {
				t.Fatal(err)
			}
		}
		dir := t.TempDir()
		if err := ix.Write(dir); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, "index.json"))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != wantIndex {
			t.Errorf("order %v: index.json =\n%s\nwant\n%s", order, got, wantIndex)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("order %v: Write left %d files, want only index.json", order, len(entries))
		}
	}
}

func TestIndexRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ix := Index{Envup: IndexVersion}
	for _, f := range testFiles() {
		if err := ix.Add(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Write(dir); err != nil {
		t.Fatal(err)
	}
	back, err := ReadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, &ix) {
		t.Errorf("ReadIndex after Write = %+v, want %+v", back, ix)
	}
	// Writing what was read changes nothing, and overwrites in place.
	if err := back.Write(dir); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "index.json")); string(got) != wantIndex {
		t.Errorf("rewritten index.json =\n%s", got)
	}
}

func TestReadIndexMissing(t *testing.T) {
	t.Parallel()
	ix, err := ReadIndex(t.TempDir())
	if err != nil || ix == nil || ix.Envup != IndexVersion || len(ix.Files) != 0 {
		t.Fatalf("ReadIndex of a folder without index.json = %+v, %v; want an empty index", ix, err)
	}
	dir := t.TempDir()
	if err := ix.Write(dir); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"envup_mirror\": 1,\n  \"files\": []\n}\n"
	if got, _ := os.ReadFile(filepath.Join(dir, "index.json")); string(got) != want {
		t.Errorf("empty index.json = %q, want %q", got, want)
	}
}

func TestReadIndexErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, content, want string }{
		{"not json", "{", "unexpected end of JSON"},
		{"version", `{"envup_mirror": 2, "files": []}`, "envup_mirror 2: this envup reads version 1"},
		{"no version", `{"files": []}`, "envup_mirror 0"},
		{"twice", `{"envup_mirror": 1, "files": [{"name": "a", "sha256": "` + sumA + `"}, {"name": "a", "sha256": "` + sumA + `"}]}`, "a: listed twice"},
		{"traversal", `{"envup_mirror": 1, "files": [{"name": "../a", "sha256": "` + sumA + `"}]}`, `"../a": not a file name`},
		{"hidden", `{"envup_mirror": 1, "files": [{"name": ".a.part", "sha256": "` + sumA + `"}]}`, `".a.part": not a file name`},
		{"sha", `{"envup_mirror": 1, "files": [{"name": "a", "sha256": "abc"}]}`, `a: sha256 "abc": want 64 hex digits`},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "index.json"), []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadIndex(dir)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: ReadIndex error %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestIndexAdd(t *testing.T) {
	t.Parallel()
	var ix Index
	if err := ix.Add(IndexFile{Name: "a.tar.gz", URL: "https://b.example/a.tar.gz", SHA256: sumA, Size: 3, Platforms: []string{"windows/5.1/386", "macos/10.7/amd64"}}); err != nil {
		t.Fatal(err)
	}
	// Same bytes from another URL, for another platform: merged.
	if err := ix.Add(IndexFile{Name: "a.tar.gz", URL: "https://a.example/a.tar.gz", SHA256: sumA, Size: 3, Platforms: []string{"windows/5.1/386", "linux/debian/12/amd64"}}); err != nil {
		t.Fatal(err)
	}
	want := IndexFile{Name: "a.tar.gz", URL: "https://a.example/a.tar.gz", SHA256: sumA, Size: 3, Platforms: []string{"linux/debian/12/amd64", "macos/10.7/amd64", "windows/5.1/386"}}
	if len(ix.Files) != 1 || !reflect.DeepEqual(ix.Files[0], want) {
		t.Fatalf("after merging, Files = %+v, want [%+v]", ix.Files, want)
	}

	// Other bytes under the same name: refused, index unchanged.
	err := ix.Add(IndexFile{Name: "a.tar.gz", URL: "https://a.example/a.tar.gz", SHA256: sumB, Size: 3})
	var ce *ConflictError
	if !errors.As(err, &ce) || ce.Name != "a.tar.gz" || ce.Have != sumA || ce.Got != sumB {
		t.Errorf("Add of another sha256 under the same name: %v, want a ConflictError", err)
	}
	if err := ix.Add(IndexFile{Name: "a.tar.gz", SHA256: sumA, Size: 4}); err == nil {
		t.Error("Add of the same sha256 with another size: no error")
	}
	if len(ix.Files) != 1 || !reflect.DeepEqual(ix.Files[0], want) {
		t.Errorf("a refused Add changed the index: %+v", ix.Files)
	}

	for _, bad := range []IndexFile{
		{Name: "", SHA256: sumA},
		{Name: "index.json", SHA256: sumA},
		{Name: "../a", SHA256: sumA},
		{Name: "d/a", SHA256: sumA},
		{Name: `a\b`, SHA256: sumA},
		{Name: ".a", SHA256: sumA},
		{Name: "a.part", SHA256: sumA},
		{Name: "b", SHA256: "sha256:" + sumA},
		{Name: "b", SHA256: sumA, Size: -1},
	} {
		if err := ix.Add(bad); err == nil {
			t.Errorf("Add(%+v): no error", bad)
		}
	}
}

// TestNeedsKinds: each file says the kinds of resource it is for, once
// each, also when two resources share it; the index keeps them sorted.
func TestNeedsKinds(t *testing.T) {
	t.Parallel()
	lf := &lock.File{Platforms: map[string]*lock.Platform{"linux/debian/12/amd64": {Resources: map[string]install.Pinned{
		"service/redis":  {Artifacts: []install.Artifact{{Name: "redis-7.0.15.tar.gz", URL: "https://download.redis.io/releases/redis-7.0.15.tar.gz", SHA256: sumA}}},
		"virtualenv/lab": {Artifacts: []install.Artifact{{Name: "redis-5.0.1-py3-none-any.whl", URL: "https://files.pythonhosted.org/redis-5.0.1-py3-none-any.whl", SHA256: sumB}}},
		"virtualenv/web": {Artifacts: []install.Artifact{{Name: "redis-5.0.1-py3-none-any.whl", URL: "https://files.pythonhosted.org/redis-5.0.1-py3-none-any.whl", SHA256: sumB}}},
	}}}}
	got := map[string][]string{}
	var ix Index
	for _, f := range Needs(lf, []string{"linux/debian/12/amd64"}, "") {
		got[f.Name] = f.Kinds
		if err := ix.Add(f); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string][]string{"redis-7.0.15.tar.gz": {"service"}, "redis-5.0.1-py3-none-any.whl": {"virtualenv"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Needs kinds = %v, want %v", got, want)
	}
	for _, f := range ix.Files {
		if f.ForPip() != (f.Name == "redis-5.0.1-py3-none-any.whl") {
			t.Errorf("%s: ForPip %v", f.Name, f.ForPip())
		}
	}
}
