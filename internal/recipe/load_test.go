package recipe

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/envup/envup/internal/detect"
)

// write puts files into a new temp directory and returns it.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadMissingFile(t *testing.T) {
	t.Parallel()
	_, err := Load(filepath.Join(t.TempDir(), "nothing.yml"), hosts["debian12"])
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist", err)
	}
}

func TestLoadErrorParts(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string]string{"study.yml": "envup: 1\ninterpreters:\n  python: {verison: '3'}\nvirtualenv: {}\n"})
	_, err := Load(filepath.Join(dir, "study.yml"), hosts["debian12"])
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("err = %v, want an ErrorList", err)
	}
	if len(list) != 2 {
		t.Fatalf("got %d errors, want 2: %v", len(list), err)
	}
	e := list[0]
	if e.Pos.Line != 3 || e.Pos.Col != 12 || e.Path != "interpreters.python.verison" || e.Msg != "unknown key (did you mean version?)" {
		t.Errorf("first error = %+v", *e)
	}
	if list[1].Pos.Line != 4 {
		t.Errorf("errors not sorted by line: %v", err)
	}
}

func TestLoadPositions(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string]string{"study.yml": "envup: 1\ninterpreters:\n  python:\n    version: '3.12'\n" +
		"checks:\n  - name: a\n    run: [a]\n    when: linux\n"})
	path := filepath.Join(dir, "study.yml")
	r, err := Load(path, hosts["debian12"])
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Interpreters["python"].Pos; got != (Pos{File: path, Line: 3, Col: 3}) {
		t.Errorf("interpreter Pos = %+v", got)
	}
	c := r.Checks[0]
	if c.Pos.Line != 6 || c.When == nil || c.When.Pos.Line != 8 || c.When.OS != "linux" {
		t.Errorf("check = %+v, when = %+v", c, c.When)
	}
	if r.Path != path || r.Dir != dir {
		t.Errorf("Path, Dir = %q, %q", r.Path, r.Dir)
	}
}

func TestLoadWithoutHome(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string]string{"study.yml": "envup: 1\nvars: {lab: ~/lab}\nfiles:\n  ${lab}/a.txt: {content: '${home}'}\n"})
	r, err := Load(filepath.Join(dir, "study.yml"), detect.Platform{OS: "linux", Arch: "amd64"})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := r.Files["~/lab/a.txt"]
	if !ok || *f.Content != "~" {
		t.Errorf("files = %v; want ~/lab/a.txt with content ~", r.Files)
	}
}

func TestExpand(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string]string{"study.yml": "envup: 1\nvars: {venv: ~/envs/lab, py: '${venv}/bin/python'}\n"})
	r, err := Load(filepath.Join(dir, "study.yml"), hosts["debian12"])
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want, err string }{
		{"run ${py} on ${os}/${arch}", "run /home/kirby/envs/lab/bin/python on linux/amd64", ""},
		{"home is ${home}", "home is /home/kirby", ""},
		{"literal $${HOME} and $5", "literal ${HOME} and $5", ""},
		{"${vnev}", "", "undefined var ${vnev} (did you mean venv?)"},
		{"${venv", "", "unterminated ${ (write $${ for a literal ${)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := r.Expand(tt.in)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("Expand(%q) error = %v, want %q", tt.in, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Expand(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestAbs(t *testing.T) {
	t.Parallel()
	r := &Recipe{Dir: filepath.FromSlash("/work/recipes")}
	tests := []struct{ in, want string }{
		{"demos/seats.py", filepath.FromSlash("/work/recipes/demos/seats.py")},
		{"./wheelhouse", filepath.FromSlash("/work/recipes/wheelhouse")},
		{"../shared/x.txt", filepath.FromSlash("/work/shared/x.txt")},
		{"/etc/motd", "/etc/motd"},
		{`C:\fonts\a.ttf`, `C:\fonts\a.ttf`},
		{"~/x", "~/x"},
		{"https://example.org/wheels/", "https://example.org/wheels/"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := r.Abs(tt.in); got != tt.want {
				t.Errorf("Abs(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestLoadIsPlatformIndependentForErrors: a recipe's mistakes are found
// on every platform, in overrides and entries that do not apply there.
func TestLoadIsPlatformIndependentForErrors(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string]string{"study.yml": "envup: 1\n" +
		"files:\n  ~/a: {content: a, mode: '999', when: windows}\n" +
		"platforms:\n  - when: macos\n    interpreters: {python: {verison: '3.7.6'}}\n"})
	for name, p := range hosts {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(filepath.Join(dir, "study.yml"), p)
			want := "study.yml:3:27: files[\"~/a\"].mode: \"999\" is not an octal file mode like \"0644\"\n" +
				"study.yml:6:29: platforms[0].interpreters.python.verison: unknown key (did you mean version?)"
			if err == nil || relative(err.Error(), dir) != want {
				t.Errorf("err = %v\nwant %s", err, want)
			}
		})
	}
}
