package editor

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

// vscodeHost is a Linux host whose home is under dir.
func vscodeHost(dir string) detect.Platform {
	home := filepath.Join(dir, "home")
	return detect.Platform{OS: "linux", Home: home, Dirs: detect.Dirs{Config: filepath.Join(home, ".config")}}
}

func vscodePut(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func vscodeGet(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func vscodeFixture(t *testing.T, dir, name string) string {
	t.Helper()
	return vscodeGet(t, filepath.Join("testdata", dir, name))
}

// vscodeLines renders changes as plan lines: "~ editor.fontSize: 12 → 14".
func vscodeLines(changes []install.Change) []string {
	var out []string
	for _, c := range changes {
		out = append(out, c.Action.Symbol()+" "+c.Subject+": "+c.Why)
	}
	return out
}

// vscodeConverge observes, diffs and applies once, then checks a second
// observe finds nothing to do (unless again says what it must find). It
// returns the first diff as plan lines.
func vscodeConverge[O any](t *testing.T, r install.Typed[O], sys system.System, again ...string) []string {
	t.Helper()
	o, err := r.Observe(t.Context(), sys)
	if err != nil {
		t.Fatal(err)
	}
	changes := r.Diff(o)
	if len(changes) > 0 {
		if err := r.Apply(t.Context(), sys, o); err != nil {
			t.Fatal(err)
		}
	}
	o, err = r.Observe(t.Context(), sys)
	if err != nil {
		t.Fatal(err)
	}
	if got := vscodeLines(r.Diff(o)); !slices.Equal(got, again) {
		t.Errorf("second diff = %q, want %q", got, again)
	}
	return vscodeLines(changes)
}

func vscodeWant(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestVSCodePaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		os, home, config, flavor, want string
	}{
		{"linux", "/home/ada", "/home/ada/.config", "", "/home/ada/.config/Code/User/settings.json"},
		{"linux", "/home/ada", "/home/ada/.config", "insiders", "/home/ada/.config/Code - Insiders/User/settings.json"},
		{"linux", "/home/ada", "/xdg", "vscodium", "/xdg/VSCodium/User/settings.json"},
		{"macos", "/Users/ada", "/Users/ada/Library/Application Support", "code", "/Users/ada/Library/Application Support/Code/User/settings.json"},
		{"windows", `C:\Users\ada`, `C:\Users\ada\AppData\Roaming`, "", `C:\Users\ada\AppData\Roaming\Code\User\settings.json`},
		{"windows", `C:\Users\ada`, `C:\Users\ada\AppData\Roaming`, "vscodium", `C:\Users\ada\AppData\Roaming\VSCodium\User\settings.json`},
	}
	for _, tt := range tests {
		t.Run(tt.os+"/"+tt.flavor, func(t *testing.T) {
			t.Parallel()
			p := detect.Platform{OS: tt.os, Home: tt.home, Dirs: detect.Dirs{Config: tt.config}}
			r, err := NewVSCode(&recipe.Editor{Flavor: tt.flavor}, p)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Path(); got != tt.want {
				t.Errorf("path = %q, want %q", got, tt.want)
			}
			if r.ID().String() != "editor/vscode" {
				t.Errorf("ID = %q", r.ID())
			}
		})
	}
	if _, err := NewVSCode(&recipe.Editor{Flavor: "atom"}, vscodeHost("/x")); err == nil || !strings.Contains(err.Error(), `flavor "atom"`) {
		t.Errorf("unknown flavor: err = %v", err)
	}
}

func TestVSCodeSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := vscodeHost(dir)
	path := filepath.Join(p.Dirs.Config, "Code", "User", "settings.json")
	user := vscodeFixture(t, "vscode", "user-comments.jsonc")
	vscodePut(t, path, user)
	r, err := NewVSCode(&recipe.Editor{Settings: jsoncLab()}, p)
	if err != nil {
		t.Fatal(err)
	}
	got := vscodeConverge(t, r, system.NewReal())
	vscodeWant(t, got, []string{
		"+ [python] editor.formatOnSave: absent → true",
		"~ [python] editor.tabSize: 2 → 4",
		`+ editor.fontFamily: absent → "DejaVu Sans Mono"`,
		`~ editor.fontSize: 12 → 14`,
		`~ files.exclude: {"**/.git":true,"**/node_modules":true} → {"**/__pycache__":true}`,
	})
	if got, want := vscodeGet(t, path), vscodeFixture(t, "vscode", "user-comments.golden"); got != want {
		t.Errorf("settings.json:\n%s\nwant:\n%s", got, want)
	}
	if got := vscodeGet(t, path+".envup-backup"); got != user {
		t.Errorf("backup = %q, want the user's file", got)
	}

	// The user changes a key again: envup puts it back, and the first
	// backup stays the user's original.
	vscodePut(t, path, strings.Replace(vscodeGet(t, path), `"editor.fontSize": 14`, `"editor.fontSize": 20`, 1))
	vscodeWant(t, vscodeConverge(t, r, system.NewReal()), []string{"~ editor.fontSize: 20 → 14"})
	if got := vscodeGet(t, path+".envup-backup"); got != user {
		t.Errorf("backup overwritten: %q", got)
	}
}

func TestVSCodeCreatesSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := vscodeHost(dir)
	r, err := NewVSCode(&recipe.Editor{Flavor: "vscodium", Settings: map[string]any{"editor.fontSize": 14}}, p)
	if err != nil {
		t.Fatal(err)
	}
	vscodeWant(t, vscodeConverge(t, r, system.NewReal()), []string{"+ editor.fontSize: absent → 14"})
	path := filepath.Join(p.Dirs.Config, "VSCodium", "User", "settings.json")
	if got := vscodeGet(t, path); got != "{\n    \"editor.fontSize\": 14\n}\n" {
		t.Errorf("settings.json = %q", got)
	}
	if _, err := os.Lstat(path + ".envup-backup"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a backup of nothing was kept: %v", err)
	}
}

// TestVSCodeSyntaxError: a file that does not parse stops the resource
// with its path, line and column, and stays as it was.
func TestVSCodeSyntaxError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := vscodeHost(dir)
	path := filepath.Join(p.Dirs.Config, "Code", "User", "settings.json")
	bad := vscodeFixture(t, "vscode", "bad.jsonc")
	vscodePut(t, path, bad)
	r, err := NewVSCode(&recipe.Editor{Settings: jsoncLab()}, p)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Observe(t.Context(), system.NewReal())
	if err == nil || !strings.HasPrefix(err.Error(), path+":3:20: ") {
		t.Errorf("err = %v, want it to start %s:3:20", err, path)
	}
	if got := vscodeGet(t, path); got != bad {
		t.Errorf("file changed: %q", got)
	}
	if _, err := os.Lstat(path + ".envup-backup"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("backup written: %v", err)
	}
}

// TestVSCodeDryRun: a plan writes nothing and records the writes.
func TestVSCodeDryRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := vscodeHost(dir)
	path := filepath.Join(p.Dirs.Config, "Code", "User", "settings.json")
	vscodePut(t, path, "{\n  // mine\n  \"editor.fontSize\": 12\n}\n")
	r, err := NewVSCode(&recipe.Editor{Settings: map[string]any{"editor.fontSize": 14}}, p)
	if err != nil {
		t.Fatal(err)
	}
	sys := system.NewDryRun(system.NewReal())
	o, err := r.Observe(t.Context(), sys)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Apply(t.Context(), sys, o); err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, st := range sys.Steps() {
		steps = append(steps, st.Verb+" "+st.Target)
	}
	vscodeWant(t, steps, []string{"write " + path + ".envup-backup", "write " + path})
	if got := vscodeGet(t, path); got != "{\n  // mine\n  \"editor.fontSize\": 12\n}\n" {
		t.Errorf("a plan changed the file: %q", got)
	}
}

// vscodeCall is one command the fake expects, in order, and its output.
type vscodeCall struct {
	run    bool
	argv   []string
	stdout string
	err    error
}

// vscodeFake is a host whose files are real, whose LookPath answers from
// path and which expects calls in order, failing the test on any other
// command.
func vscodeFake(t *testing.T, path map[string]string, calls ...vscodeCall) *systemtest.System {
	f := systemtest.New(t)
	for file, p := range path {
		f.WithPath(file, p)
	}
	for _, c := range calls {
		verb := systemtest.Query
		if c.run {
			verb = systemtest.Run
		}
		a := f.Expect(verb, c.argv...).Stdout(c.stdout)
		if c.err != nil {
			a.Err(c.err)
		}
	}
	return f
}

func TestVSCodeExtensions(t *testing.T) {
	t.Parallel()
	const code = "/usr/bin/code"
	spec := &recipe.Editor{Extensions: []string{"ms-python.python", "golang.Go", "charliermarsh.ruff"}}
	tests := []struct {
		name   string
		flavor string
		path   map[string]string
		calls  []vscodeCall
		want   []string
		again  []string
	}{
		{
			name: "installs the missing ones",
			path: map[string]string{"code": code},
			calls: []vscodeCall{
				{argv: []string{code, "--list-extensions"}, stdout: "golang.go\nms-toolsai.jupyter\n"},
				{run: true, argv: []string{code, "--install-extension", "ms-python.python"}},
				{run: true, argv: []string{code, "--install-extension", "charliermarsh.ruff"}},
				{argv: []string{code, "--list-extensions"}, stdout: "charliermarsh.ruff\ngolang.go\nms-python.python\nms-toolsai.jupyter\n"},
			},
			want: []string{"+ extension ms-python.python: not installed", "+ extension charliermarsh.ruff: not installed"},
		},
		{
			name:   "insiders uses its own CLI",
			flavor: "insiders",
			path:   map[string]string{"code": code, "code-insiders": "/opt/bin/code-insiders"},
			calls: []vscodeCall{
				{argv: []string{"/opt/bin/code-insiders", "--list-extensions"}, stdout: "MS-Python.Python\r\ngolang.go\r\ncharliermarsh.ruff\r\n"},
				{argv: []string{"/opt/bin/code-insiders", "--list-extensions"}, stdout: "MS-Python.Python\r\ngolang.go\r\ncharliermarsh.ruff\r\n"},
			},
		},
		{
			name:  "no CLI: said so, nothing run, no error",
			path:  map[string]string{},
			want:  []string{"+ extensions: code CLI not found: install VS Code or add it to PATH"},
			again: []string{"+ extensions: code CLI not found: install VS Code or add it to PATH"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := vscodeHost(t.TempDir())
			s := *spec
			s.Flavor = tt.flavor
			r, err := NewVSCode(&s, p)
			if err != nil {
				t.Fatal(err)
			}
			sys := vscodeFake(t, tt.path, tt.calls...)
			vscodeWant(t, vscodeConverge(t, r, sys, tt.again...), tt.want)
			if _, err := os.Lstat(filepath.Join(p.Dirs.Config, "Code")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("settings written though the recipe sets none: %v", err)
			}
		})
	}
}

// TestVSCodeNoExtensionsNoSpawn: without extensions in the recipe, the
// CLI is neither looked up nor run.
func TestVSCodeNoExtensionsNoSpawn(t *testing.T) {
	t.Parallel()
	p := vscodeHost(t.TempDir())
	r, err := NewVSCode(&recipe.Editor{Settings: map[string]any{"editor.fontSize": 14}}, p)
	if err != nil {
		t.Fatal(err)
	}
	vscodeConverge(t, r, vscodeFake(t, map[string]string{"code": "/usr/bin/code"}))
}

// TestVSCodeMacAppBundle: on macOS the CLI inside the app bundle counts
// when `code` is not on the PATH.
func TestVSCodeMacAppBundle(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	home := filepath.Join(dir, "Users", "ada")
	p := detect.Platform{OS: "macos", Home: home, Dirs: detect.Dirs{Config: filepath.Join(home, "Library", "Application Support")}}
	cli := filepath.Join(home, "Applications", "Visual Studio Code.app", "Contents", "Resources", "app", "bin", "code")
	vscodePut(t, cli, "#!/bin/sh\n")
	r, err := NewVSCode(&recipe.Editor{Extensions: []string{"ms-python.python"}}, p)
	if err != nil {
		t.Fatal(err)
	}
	sys := vscodeFake(t, nil,
		vscodeCall{argv: []string{cli, "--list-extensions"}, stdout: "ms-python.python\n"},
		vscodeCall{argv: []string{cli, "--list-extensions"}, stdout: "ms-python.python\n"})
	if got := vscodeConverge(t, r, sys); len(got) != 0 {
		t.Errorf("diff = %q", got)
	}
}

// TestVSCodeSettingsLimits: a settings.json nested a million deep (2 MB)
// once crashed snapshot, plan and apply with a stack overflow, which no
// recover catches (exit 2, read as "changes pending" by
// --detailed-exitcode callers). Every path that reads the file now says
// where it nests too deep, and one too large is refused before it is
// read; the file stays as it was and no backup is made.
func TestVSCodeSettingsLimits(t *testing.T) {
	t.Parallel()
	const million = 1_000_000
	deep := `{"a": ` + strings.Repeat("[", million) + strings.Repeat("]", million) + "}\n"
	tests := []struct {
		name   string
		data   string // the file; "" makes one jsoncMaxSize+1 bytes long (sparse)
		prefix string // what the error says after the path
	}{
		{"a million deep", deep, fmt.Sprintf(":1:%d: nested more than %d deep", 6+jsoncMaxDepth, jsoncMaxDepth)}, // the object is level 1
		{"too large", "", fmt.Sprintf(": 8.0 MiB, more than the %d MiB", jsoncMaxSize>>20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := vscodeHost(t.TempDir())
			path := filepath.Join(p.Dirs.Config, "Code", "User", "settings.json")
			if tt.data != "" {
				vscodePut(t, path, tt.data)
			} else {
				vscodePut(t, path, "")
				if err := os.Truncate(path, jsoncMaxSize+1); err != nil {
					t.Fatal(err)
				}
			}
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			r, err := NewVSCode(&recipe.Editor{Settings: jsoncLab()}, p)
			if err != nil {
				t.Fatal(err)
			}
			want := path + tt.prefix
			// plan and apply observe first
			if _, err := r.Observe(t.Context(), system.NewReal()); err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("observe: err = %v, want it to start %q", err, want)
			}
			// apply parses what it was handed again
			st := &VSCodeState{Settings: &JSONCState{Path: path, Exists: true, Mode: 0o644, Data: before,
				Differ: []JSONCKey{{Key: "editor.fontSize", Want: "14"}}}}
			if err := r.Apply(t.Context(), system.NewReal(), st); err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("apply: err = %v, want it to start %q", err, want)
			}
			// snapshot
			seen, err := Inspect(t.Context(), system.NewReal(), p)
			if err != nil {
				t.Fatal(err)
			}
			if s := seen["vscode"]; !strings.HasPrefix(s.Problem, want) || s.Settings != nil {
				t.Errorf("inspect: %+v, want no settings and a problem starting %q", s, want)
			}
			if after, err := os.ReadFile(path); err != nil || !bytes.Equal(after, before) {
				t.Errorf("the file changed (%v)", err)
			}
			if _, err := os.Lstat(path + ".envup-backup"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("backup written: %v", err)
			}
		})
	}
}

// TestVSCodeBOM: a settings.json that starts with a UTF-8 BOM (Notepad
// on Windows saves UTF-8 so; VS Code reads past it) is merged, keeps its
// BOM, and its backup is the file as it was; a snapshot reads its keys.
func TestVSCodeBOM(t *testing.T) {
	t.Parallel()
	p := vscodeHost(t.TempDir())
	path := filepath.Join(p.Dirs.Config, "Code", "User", "settings.json")
	user := "\ufeff{\r\n    // mine\r\n    \"editor.fontSize\": 12\r\n}\r\n"
	vscodePut(t, path, user)
	seen, err := Inspect(t.Context(), system.NewReal(), p)
	if err != nil {
		t.Fatal(err)
	}
	if s := seen["vscode"]; s.Problem != "" || s.Settings["editor.fontSize"] != "12" {
		t.Errorf("inspect: %+v", s)
	}
	r, err := NewVSCode(&recipe.Editor{Settings: map[string]any{"editor.fontSize": 14, "editor.tabSize": 4}}, p)
	if err != nil {
		t.Fatal(err)
	}
	vscodeWant(t, vscodeConverge(t, r, system.NewReal()), []string{"~ editor.fontSize: 12 → 14", "+ editor.tabSize: absent → 4"})
	if got, want := vscodeGet(t, path), "\ufeff{\r\n    // mine\r\n    \"editor.fontSize\": 14,\r\n    \"editor.tabSize\": 4\r\n}\r\n"; got != want {
		t.Errorf("settings.json = %q, want %q", got, want)
	}
	if got := vscodeGet(t, path+".envup-backup"); got != user {
		t.Errorf("backup = %q, want the user's file", got)
	}
}

// TestVSCodeLanguageBlockSame: after an apply merges a recipe's
// "[python]" block into the user's, the plan finds nothing to do, and a
// snapshot of the machine compared with the recipe (diff, check) agrees:
// the recipe's fact for the block matches the user's block with the
// user's own keys in it, and not one that lacks or changes a key.
func TestVSCodeLanguageBlockSame(t *testing.T) {
	t.Parallel()
	p := vscodeHost(t.TempDir())
	path := filepath.Join(p.Dirs.Config, "Code", "User", "settings.json")
	vscodePut(t, path, vscodeFixture(t, "vscode", "user-comments.jsonc"))
	spec := &recipe.Editor{Settings: jsoncLab()}
	r, err := NewVSCode(spec, p)
	if err != nil {
		t.Fatal(err)
	}
	vscodeConverge(t, r, system.NewReal())
	seen, err := Inspect(t.Context(), system.NewReal(), p)
	if err != nil {
		t.Fatal(err)
	}
	have := install.CanonicalJSON(seen["vscode"].Settings["[python]"])
	if !strings.Contains(have, `"editor.rulers":[79,99]`) {
		t.Fatalf("the user's block lost their key: %s", have)
	}
	facts := install.Facts{}
	if err := Part.Wants(&recipe.Recipe{Editors: map[string]*recipe.Editor{"vscode": spec}}, p, facts); err != nil {
		t.Fatal(err)
	}
	f := facts["editors/vscode/settings/[python]"]
	if f == nil || f.Match == nil {
		t.Fatalf("the block's fact: %+v, want one with a Match", f)
	}
	for block, want := range map[string]bool{
		have: true,
		`{"editor.formatOnSave":true,"editor.tabSize":4}`: true,
		`{"editor.formatOnSave":true,"editor.tabSize":2}`: false,
		`{"editor.tabSize":4,"editor.rulers":[79,99]}`:    false,
		`null`: false,
	} {
		if got := f.Match(block); got != want {
			t.Errorf("Match(%s) = %v, want %v", block, got, want)
		}
	}
	if f := facts["editors/vscode/settings/files.exclude"]; f == nil || f.Match != nil {
		t.Errorf("files.exclude's fact: %+v, want one compared whole", f)
	}
}
