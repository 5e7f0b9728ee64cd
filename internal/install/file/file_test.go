package file

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

func ptr(s string) *string { return &s }

// lab is a Linux host whose home and state directory are under dir.
func lab(dir string) detect.Platform {
	return detect.Platform{OS: "linux", Home: filepath.Join(dir, "home"), Dirs: detect.Dirs{State: filepath.Join(dir, "state")}}
}

func writeFile(t *testing.T, name, data string, mode fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func mode(t *testing.T, name string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// converge observes, diffs and applies once, then checks that a second
// observe finds nothing to do. It returns the first diff.
func converge(t *testing.T, r *File, sys system.System) []install.Change {
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
	if again := r.Diff(o); len(again) != 0 {
		t.Errorf("second diff = %v, want none", again)
	}
	return changes
}

func newFile(t *testing.T, dest string, f *recipe.File, dir string, p detect.Platform) *File {
	t.Helper()
	r, err := New(dest, f, filepath.Join(dir, "recipe"), map[string]string{"venv": "/home/lab/envs/study-hall"}, p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestConverge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		existing   *string // what is at ~/lab/README.txt first
		existMode  fs.FileMode
		backup     *string // a backup already there
		file       recipe.File
		platformOS string
		want       string // the one change's symbol and why; "" for none
		content    string
		mode       fs.FileMode
		wantBackup *string
	}{
		{
			name: "create", file: recipe.File{Content: ptr("Start redis\n")},
			want: "+ absent", content: "Start redis\n", mode: 0o644,
		},
		{
			name: "create with mode", file: recipe.File{Content: ptr("#!/bin/sh\n"), Mode: "0755"},
			want: "+ absent", content: "#!/bin/sh\n", mode: 0o755,
		},
		{
			name: "same", existing: ptr("Start redis\n"), existMode: 0o644,
			file: recipe.File{Content: ptr("Start redis\n")}, content: "Start redis\n", mode: 0o644,
		},
		{
			name: "differs: the user's file is kept", existing: ptr("mine\nline 2\nline 3\n"), existMode: 0o640,
			file: recipe.File{Content: ptr("ours\nline 2\nline 3\n")},
			want: "~ content differs (1 line); mode 0640, want 0644", content: "ours\nline 2\nline 3\n", mode: 0o644,
			wantBackup: ptr("mine\nline 2\nline 3\n"),
		},
		{
			name: "differs: the first backup is never overwritten", existing: ptr("second\n"), existMode: 0o644,
			backup: ptr("original\n"), file: recipe.File{Content: ptr("ours\nmore\n")},
			want: "~ content differs (2 lines)", content: "ours\nmore\n", mode: 0o644,
			wantBackup: ptr("original\n"),
		},
		{
			name: "mode differs", existing: ptr("x\n"), existMode: 0o600,
			file: recipe.File{Content: ptr("x\n"), Mode: "644"},
			want: "~ mode 0600, want 0644", content: "x\n", mode: 0o644,
		},
		{
			name: "mode ignored on windows", existing: ptr("x\n"), existMode: 0o600, platformOS: "windows",
			file: recipe.File{Content: ptr("x\n")}, content: "x\n", mode: 0o600,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			p := lab(dir)
			if tt.platformOS != "" {
				p.OS = tt.platformOS
			}
			dest := filepath.Join(p.Home, "lab", "README.txt")
			if tt.existing != nil {
				writeFile(t, dest, *tt.existing, tt.existMode)
			}
			if tt.backup != nil {
				writeFile(t, dest+BackupSuffix, *tt.backup, 0o644)
			}
			r := newFile(t, "~/lab/README.txt", &tt.file, dir, p)
			if r.Path() != dest {
				t.Fatalf("path = %q, want %q", r.Path(), dest)
			}
			changes := converge(t, r, system.NewReal())
			var got string
			if len(changes) > 1 {
				t.Fatalf("changes = %v", changes)
			}
			if len(changes) == 1 {
				got = changes[0].Action.Symbol() + " " + changes[0].Why
				if changes[0].Subject != "~/lab/README.txt" {
					t.Errorf("subject = %q", changes[0].Subject)
				}
			}
			if got != tt.want {
				t.Errorf("change = %q, want %q", got, tt.want)
			}
			if c := readFile(t, dest); c != tt.content {
				t.Errorf("content = %q, want %q", c, tt.content)
			}
			if m := mode(t, dest); m != tt.mode {
				t.Errorf("mode = %04o, want %04o", m, tt.mode)
			}
			_, err := os.Stat(dest + BackupSuffix)
			switch {
			case tt.wantBackup == nil && err == nil:
				t.Errorf("a backup was made")
			case tt.wantBackup != nil:
				if b := readFile(t, dest+BackupSuffix); b != *tt.wantBackup {
					t.Errorf("backup = %q, want %q", b, *tt.wantBackup)
				}
			}
		})
	}
}

// A file envup wrote is replaced without a backup when the recipe
// changes; one the user edited afterwards is kept.
func TestBackupOnlyOfWhatEnvupDidNotWrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := lab(dir)
	sys := system.NewReal()
	dest := filepath.Join(p.Home, ".vimrc")
	backup := dest + BackupSuffix

	converge(t, newFile(t, "~/.vimrc", &recipe.File{Content: ptr("set number\n")}, dir, p), sys)
	converge(t, newFile(t, "~/.vimrc", &recipe.File{Content: ptr("set number\nset expandtab\n")}, dir, p), sys)
	if _, err := os.Stat(backup); err == nil {
		t.Fatal("backed up a file envup wrote")
	}

	writeFile(t, dest, "set number\nset expandtab\n\" mine\n", 0o644)
	converge(t, newFile(t, "~/.vimrc", &recipe.File{Content: ptr("set number\n")}, dir, p), sys)
	if b := readFile(t, backup); b != "set number\nset expandtab\n\" mine\n" {
		t.Errorf("backup = %q", b)
	}
	if c := readFile(t, dest); c != "set number\n" {
		t.Errorf("content = %q", c)
	}
}

func TestSourceAndVars(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		source  string
		vars    bool
		want    string
		wantErr string
	}{
		{
			name: "copied as is", source: "python ${venv}/bin/python\n",
			want: "python ${venv}/bin/python\n",
		},
		{
			name: "vars expanded", vars: true,
			source: "#!/bin/sh\n# ${HOME:-/root} stays\nexec ${venv}/bin/python \"$$${HOME}\" $${PATH} $1\n",
			want:   "#!/bin/sh\n# ${HOME:-/root} stays\nexec /home/lab/envs/study-hall/bin/python \"$${HOME}\" ${PATH} $1\n",
		},
		{
			name: "undefined var", vars: true, source: "one\ntwo\nexec ${python}/bin/python\n",
			wantErr: "demos/run.sh:3: ${python} is not a var of the recipe (it defines venv); write $${python} for a literal ${python}",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			p := lab(dir)
			writeFile(t, filepath.Join(dir, "recipe", "demos", "run.sh"), tt.source, 0o644)
			r := newFile(t, "~/lab/run.sh", &recipe.File{Source: "demos/run.sh", Vars: tt.vars, Mode: "0755"}, dir, p)
			sys := system.NewReal()
			if tt.wantErr != "" {
				_, err := r.Observe(t.Context(), sys)
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v\nwant %s", err, tt.wantErr)
				}
				return
			}
			converge(t, r, sys)
			if c := readFile(t, r.Path()); c != tt.want {
				t.Errorf("content = %q\nwant %q", c, tt.want)
			}
		})
	}
}

func TestDryRunRecordsAndLeavesDiskAlone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := lab(dir)
	dest := filepath.Join(p.Home, "lab", "seats.py")
	writeFile(t, dest, "print('old')\n", 0o600)
	r := newFile(t, "~/lab/seats.py", &recipe.File{Content: ptr("print('new')\n")}, dir, p)
	dry := system.NewDryRun(system.NewReal())
	o, err := r.Observe(t.Context(), dry)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Apply(t.Context(), dry, o); err != nil {
		t.Fatal(err)
	}
	want := "write " + dest + ".envup-backup (13 bytes, mode 0600)\n" +
		"write " + dest + " (13 bytes, mode 0644)\n" +
		"write " + filepath.Join(p.Dirs.State, "files.json") + " ("
	if got := dry.String(); !strings.HasPrefix(got, want) {
		t.Errorf("steps:\n%s\nwant them to start:\n%s", got, want)
	}
	if c := readFile(t, dest); c != "print('old')\n" {
		t.Errorf("disk changed: %q", c)
	}
	for _, name := range []string{dest + BackupSuffix, filepath.Join(p.Dirs.State, "files.json")} {
		if _, err := os.Stat(name); err == nil {
			t.Errorf("%s written", name)
		}
	}
	// the same run sees what it "wrote"
	o, err = r.Observe(t.Context(), dry)
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Diff(o); len(d) != 0 {
		t.Errorf("diff after dry apply = %v", d)
	}
}

// A plan for another platform observes system.Absent; the recipe's own
// files are read from this machine.
func TestPlanForAnotherPlatform(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "recipe", "demos", "seats.py"), "print('hi')\n", 0o644)
	p := detect.Platform{OS: "windows", Home: `C:\Users\lab`, Dirs: detect.Dirs{State: `C:\Users\lab\AppData\Local\envup`}, Foreign: true}
	r, err := New("~/lab/seats.py", &recipe.File{Source: "demos/seats.py"}, filepath.Join(dir, "recipe"), nil, p,
		ReadSourcesFrom(system.NewReadOnly(system.NewReal())))
	if err != nil {
		t.Fatal(err)
	}
	if r.Path() != `C:\Users\lab\lab\seats.py` {
		t.Errorf("path = %q", r.Path())
	}
	o, err := r.Observe(t.Context(), system.Absent{})
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Diff(o); len(d) != 1 || d[0].Why != "absent" {
		t.Errorf("diff = %v", d)
	}
	dry := system.NewDryRun(system.Absent{})
	if err := r.Apply(t.Context(), dry, o); err != nil {
		t.Fatal(err)
	}
	if got := dry.String(); !strings.HasPrefix(got, `write C:\Users\lab\lab\seats.py (12 bytes, mode 0644)`) {
		t.Errorf("steps:\n%s", got)
	}

	// without a System for the sources, the source is not found, and said
	r, _ = New("~/lab/seats.py", &recipe.File{Source: "demos/seats.py"}, filepath.Join(dir, "recipe"), nil, p)
	if _, err := r.Observe(t.Context(), system.Absent{}); err == nil || !strings.Contains(err.Error(), "source: ") {
		t.Errorf("err = %v", err)
	}
}

func TestObserveDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := lab(dir)
	if err := os.MkdirAll(filepath.Join(p.Home, "lab"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := newFile(t, "~/lab", &recipe.File{Content: ptr("x")}, dir, p)
	if _, err := r.Observe(t.Context(), system.NewReal()); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("err = %v", err)
	}
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	p := detect.Platform{OS: "linux", Home: "/home/lab"}
	tests := []struct {
		name, dest string
		f          *recipe.File
		want       string
	}{
		{"both", "~/x", &recipe.File{Content: ptr("x"), Source: "x"}, "file ~/x: give content or source, not both or neither"},
		{"neither", "~/x", &recipe.File{}, "file ~/x: give content or source, not both or neither"},
		{"relative", "lab/x", &recipe.File{Content: ptr("x")}, "file lab/x: the destination must be an absolute path or start with ~"},
		{"other user", "~bob/x", &recipe.File{Content: ptr("x")}, "the destination must be an absolute path"},
		{"bad mode", "~/x", &recipe.File{Content: ptr("x"), Mode: "rw-r--r--"}, `file ~/x: mode "rw-r--r--": want an octal permission such as "0644"`},
		{"mode too big", "~/x", &recipe.File{Content: ptr("x"), Mode: "4755"}, `mode "4755"`},
		{"nil", "~/x", nil, "file ~/x: no content or source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(tt.dest, tt.f, "/recipes", nil, p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestParseMode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want fs.FileMode
		ok   bool
	}{
		{"", 0o644, true},
		{"0644", 0o644, true},
		{"600", 0o600, true},
		{"0o755", 0o755, true},
		{"0777", 0o777, true},
		{"0800", 0, false},
		{"1777", 0, false},
		{"abc", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := parseMode(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("parseMode(%q) = %04o, %v", tt.in, got, err)
			}
		})
	}
}

func TestExpandHome(t *testing.T) {
	t.Parallel()
	tests := []struct{ dest, home, want string }{
		{"~/lab/seats.py", "/home/lab", "/home/lab/lab/seats.py"},
		{"~", "/home/lab", "/home/lab"},
		{"~/lab/seats.py", `C:\Users\lab`, `C:\Users\lab\lab\seats.py`},
		{`~\lab\seats.py`, `C:\Users\lab`, `C:\Users\lab\lab\seats.py`},
		{"~/lab/seats.py", `C:\Documents and Settings\lab`, `C:\Documents and Settings\lab\lab\seats.py`},
		{"/etc/motd", "/home/lab", "/etc/motd"},
		{"~bob/x", "/home/lab", "~bob/x"},
	}
	for _, tt := range tests {
		t.Run(tt.dest+" in "+tt.home, func(t *testing.T) {
			t.Parallel()
			p := detect.Platform{OS: "linux", Home: tt.home}
			if strings.Contains(tt.home, `\`) {
				p.OS = "windows"
			}
			if got := expandHome(tt.dest, p); got != tt.want {
				t.Errorf("expandHome(%q, %q) = %q, want %q", tt.dest, tt.home, got, tt.want)
			}
		})
	}
}

func TestLinesDiffering(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, a, b string
		want       int
	}{
		{"one edited", "a\nb\nc\n", "a\nB\nc\n", 1},
		{"one inserted", "a\nc\n", "a\nb\nc\n", 1},
		{"two removed", "a\nb\nc\nd\n", "a\nd\n", 2},
		{"no final newline", "a\n", "a", 1},
		{"all new", "", "a\nb\nc\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := linesDiffering([]byte(tt.a), []byte(tt.b)); got != tt.want {
				t.Errorf("linesDiffering = %d, want %d", got, tt.want)
			}
		})
	}
}
