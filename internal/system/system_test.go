package system

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestRealWriteFileIsAtomicAndLeavesNoTemp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := filepath.Join(dir, "a", "b.txt")
	sys := NewReal()
	if err := sys.WriteFile(name, []byte("one"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := sys.WriteFile(name, []byte("two"), 0o640); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(name)
	if err != nil || string(got) != "two" {
		t.Fatalf("content = %q, %v", got, err)
	}
	fi, _ := os.Stat(name)
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("mode = %v, want 0640", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(name))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only b.txt", len(entries))
	}
}

// TestRealWriteFileFollowsLinks: a settings file linked into a dotfiles
// folder (as GNU Stow makes it, relative, through a linked folder too)
// stays a link, and its target gets the new bytes, replaced beside itself.
func TestRealWriteFileFollowsLinks(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need a privilege on Windows")
	}
	dir := t.TempDir()
	dotfiles := filepath.Join(dir, "dotfiles", "vscode")
	if err := os.MkdirAll(dotfiles, 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dotfiles, "settings.json")
	if err := os.WriteFile(target, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	user := filepath.Join(dir, "home", ".config", "Code", "User")
	if err := os.MkdirAll(filepath.Dir(user), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../../dotfiles/vscode", user); err != nil { // a linked folder
		t.Fatal(err)
	}
	link := filepath.Join(dir, "home", "settings.json")
	if err := os.Symlink(".config/Code/User/settings.json", link); err != nil { // a linked file, relative
		t.Fatal(err)
	}
	if err := NewReal().WriteFile(link, []byte(`{"a": 1}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link is no longer a link: %v %v", fi, err)
	}
	if got, _ := os.ReadFile(target); string(got) != `{"a": 1}`+"\n" {
		t.Errorf("the target holds %q", got)
	}
	entries, _ := os.ReadDir(dotfiles)
	if len(entries) != 1 {
		t.Errorf("the target's folder holds %d entries, want only settings.json", len(entries))
	}
}

func TestRunReportsArgvAndStderrTail(t *testing.T) {
	t.Parallel()
	_, err := NewReal().Run(t.Context(), Cmd{Argv: []string{"sh", "-c", "echo one >&2; echo two >&2; exit 3"}})
	var exitErr *ExitError
	if !errors.As(err, &exitErr) {
		t.Fatalf("err = %v, want *ExitError", err)
	}
	if exitErr.ExitCode != 3 || exitErr.Stderr != "one\ntwo" {
		t.Errorf("got code %d stderr %q", exitErr.ExitCode, exitErr.Stderr)
	}
	if !strings.HasPrefix(err.Error(), "sh -c 'echo one >&2; echo two >&2; exit 3': exit status 3") {
		t.Errorf("message = %q", err)
	}
}

func TestRunTimeout(t *testing.T) {
	t.Parallel()
	_, err := NewReal().Query(t.Context(), Cmd{Argv: []string{"sleep", "5"}, Timeout: 50 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "timed out after 50ms") {
		t.Fatalf("err = %v", err)
	}
}

func TestRunMissingProgram(t *testing.T) {
	t.Parallel()
	_, err := NewReal().Run(t.Context(), Cmd{Argv: []string{"envup-no-such-program"}})
	if err == nil || !strings.Contains(err.Error(), "envup-no-such-program") {
		t.Fatalf("err = %v", err)
	}
}

func TestDryRunRecordsAndOverlays(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.txt")
	if err := os.WriteFile(existing, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	dry := NewDryRun(NewReal())
	newFile := filepath.Join(dir, "sub", "new.txt")
	steps := []func() error{
		func() error { return dry.MkdirAll(filepath.Join(dir, "sub"), 0o755) },
		func() error { return dry.WriteFile(newFile, []byte("hello"), 0o600) },
		func() error { return dry.Rename(existing, existing+".bak") },
		func() error { _, err := dry.Run(t.Context(), Cmd{Argv: []string{"false"}}); return err },
		func() error { return dry.Symlink(newFile, filepath.Join(dir, "link")) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := dry.ReadFile(newFile); err != nil || string(got) != "hello" {
		t.Errorf("overlay read = %q, %v", got, err)
	}
	if _, err := dry.Stat(existing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("renamed file still visible: %v", err)
	}
	if got, err := dry.ReadFile(existing + ".bak"); err != nil || string(got) != "old" {
		t.Errorf("renamed file = %q, %v", got, err)
	}
	entries, err := dry.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != "link,old.txt.bak,sub" {
		t.Errorf("ReadDir = %v", names)
	}
	// Nothing happened on disk.
	if _, err := os.Stat(filepath.Join(dir, "sub")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("dry run created a directory: %v", err)
	}
	if _, err := os.Stat(existing); err != nil {
		t.Errorf("dry run renamed a file: %v", err)
	}
	want := []string{"mkdir", "write", "rename", "run", "link"}
	got := dry.Steps()
	if len(got) != len(want) {
		t.Fatalf("steps = %v", got)
	}
	for i, st := range got {
		if st.Verb != want[i] {
			t.Errorf("step %d = %v, want verb %s", i, st, want[i])
		}
	}
}

func TestReadOnlyRefusesChanges(t *testing.T) {
	t.Parallel()
	ro := NewReadOnly(NewReal())
	name := filepath.Join(t.TempDir(), "x")
	if err := ro.WriteFile(name, nil, 0o644); !errors.Is(err, ErrReadOnly) {
		t.Errorf("WriteFile err = %v", err)
	}
	if _, err := ro.Run(t.Context(), Cmd{Argv: []string{"true"}}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Run err = %v", err)
	}
	if res, err := ro.Query(t.Context(), Cmd{Argv: []string{"echo", "hi"}}); err != nil || string(res.Stdout) != "hi\n" {
		t.Errorf("Query = %v, %v", res, err)
	}
	if _, err := os.Stat(name); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("file was written")
	}
}

func TestAbsentSeesNothing(t *testing.T) {
	t.Parallel()
	var a Absent
	if _, err := a.Stat("/etc/passwd"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat err = %v", err)
	}
	if _, err := a.LookPath("sh"); err == nil {
		t.Error("LookPath found sh")
	}
	if _, err := a.Query(t.Context(), Cmd{Argv: []string{"true"}}); !errors.Is(err, ErrNotObserved) {
		t.Errorf("Query err = %v", err)
	}
}

type fakeFetcher struct{ dir string }

func (f fakeFetcher) Get(_ context.Context, _, sha string) (string, error) {
	return f.Path(sha), os.WriteFile(f.Path(sha), []byte("archive"), 0o644)
}
func (f fakeFetcher) Warm(context.Context, []Want) error { return nil }

func (f fakeFetcher) Path(sha string) string { return filepath.Join(f.dir, sha) }
func (f fakeFetcher) Extract(_ context.Context, _, dest string, _ int) error {
	return os.MkdirAll(dest, 0o755)
}

func (f fakeFetcher) GetExtract(ctx context.Context, url, sha, dest string, strip int) (string, error) {
	p, err := f.Get(ctx, url, sha)
	if err != nil {
		return "", err
	}
	return p, f.Extract(ctx, p, dest, strip)
}

func TestDryRunRecordsDownloadsAndSaysWhenCached(t *testing.T) {
	t.Parallel()
	cache := t.TempDir()
	real := NewRealWith(fakeFetcher{dir: cache}, nil)
	if err := os.WriteFile(filepath.Join(cache, "cafe"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	dry := NewDryRun(real)
	got, err := dry.Download(t.Context(), "https://example.org/a.tgz", "beef")
	if err != nil || got != filepath.Join(cache, "beef") {
		t.Fatalf("Download = %q, %v", got, err)
	}
	if _, err := dry.Download(t.Context(), "https://example.org/b.tgz", "cafe"); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "tree")
	if err := dry.Extract(t.Context(), got, dest, 1); err != nil {
		t.Fatal(err)
	}
	if fi, err := dry.Stat(dest); err != nil || !fi.IsDir() {
		t.Errorf("extracted tree not in the overlay: %v", err)
	}
	steps := dry.Steps()
	want := []string{
		"download https://example.org/a.tgz (sha256 beef)",
		"download https://example.org/b.tgz (sha256 cafe, cached)",
		"extract " + got + " (into " + dest + ", dropping 1 leading folder(s))",
	}
	for i, st := range steps {
		if st.String() != want[i] {
			t.Errorf("step %d = %q, want %q", i, st, want[i])
		}
	}
	if _, err := os.Stat(got); err == nil {
		t.Error("the dry run downloaded")
	}
	if _, err := NewReal().Download(t.Context(), "https://example.org/a", "beef"); err == nil {
		t.Error("a Real without a fetcher downloaded")
	}
}

func TestExecLogListsWhatRan(t *testing.T) {
	name := filepath.Join(t.TempDir(), "exec.log")
	t.Setenv("ENVUP_EXEC_LOG", name)
	if _, err := NewReal().Query(t.Context(), Cmd{Argv: []string{"echo", "a b"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(name); string(got) != "echo 'a b'\n" {
		t.Errorf("exec log = %q", got)
	}
}

func TestDryRunRecordsRegistryAndHardLinks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	exe := filepath.Join(dir, "envup.exe")
	if err := os.WriteFile(exe, []byte("MZ"), 0o755); err != nil {
		t.Fatal(err)
	}
	d := NewDryRun(NewReal())
	if _, err := d.Registry(`HKCU\Environment`, "Path"); !errors.Is(err, fs.ErrNotExist) && runtime.GOOS != "windows" {
		t.Errorf("a value never set: err = %v, want ErrNotExist", err)
	}
	want := RegValue{Data: `%USERPROFILE%\bin`, Expand: true}
	if err := d.SetRegistry(`HKCU\Environment`, "Path", want); err != nil {
		t.Fatal(err)
	}
	if got, err := d.Registry(`hkcu\environment`, "PATH"); err != nil || got != want {
		t.Errorf("read back = %+v, %v; want %+v (keys and names ignore case)", got, err, want)
	}
	link := filepath.Join(dir, "python.exe")
	if err := d.Link(exe, link); err != nil {
		t.Fatal(err)
	}
	if data, err := d.ReadFile(link); err != nil || string(data) != "MZ" {
		t.Errorf("the link reads %q, %v; want the file's bytes", data, err)
	}
	if _, err := os.Lstat(link); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a dry run made the link")
	}
	steps := d.Steps()
	if len(steps) != 2 || steps[0].Verb != "registry" || steps[0].Name != "Path" || string(steps[0].Data) != want.Data || !steps[0].Expand ||
		steps[1].Verb != "hardlink" || steps[1].From != exe {
		t.Errorf("steps = %+v", steps)
	}
	if err := NewReadOnly(NewReal()).SetRegistry(`HKCU\Environment`, "Path", want); !errors.Is(err, ErrReadOnly) {
		t.Errorf("ReadOnly.SetRegistry = %v", err)
	}
}

// issue 13, bug 8: Windows paths in messages came out Go-quoted, with
// doubled backslashes, and a path with a space was not quoted at all.
func TestQuoteOnWindowsReadsAsWindowsTakesIt(t *testing.T) {
	t.Parallel()
	argv := []string{`C:\Users\Zoë Ådams\AppData\Local\envup\redis\redis-server.exe`, `C:\envup\redis.conf`, `say "hi"`, `a\b\`, `50%OS%`, ""}
	want := `"C:\Users\Zoë Ådams\AppData\Local\envup\redis\redis-server.exe" C:\envup\redis.conf "say \"hi\"" a\b\ "50%OS%" ""`
	if got := quoteFor("windows", argv); got != want {
		t.Errorf("windows:\n got %s\nwant %s", got, want)
	}
	if got := quoteFor("linux", []string{"/usr/bin/python3", "-c", "print('x')"}); got != `/usr/bin/python3 -c 'print('\''x'\'')'` {
		t.Errorf("linux: %s", got)
	}
}

// What a System cannot see reads as missing, word for word, and is
// ErrNotObserved too; a proof there cannot be made.
func TestAbsentAnswersAreMissingAndNotObserved(t *testing.T) {
	t.Parallel()
	var a Absent
	_, err := a.Stat("/etc/passwd")
	if !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, ErrNotObserved) || err.Error() != "stat /etc/passwd: file does not exist" {
		t.Errorf("Stat err = %v", err)
	}
	_, err = a.LookPath("sh")
	if !errors.Is(err, exec.ErrNotFound) || !errors.Is(err, ErrNotObserved) {
		t.Errorf("LookPath err = %v", err)
	}
	if _, err := a.Dial(t.Context(), "tcp", "127.0.0.1:6379"); !errors.Is(err, ErrNotObserved) {
		t.Errorf("Dial err = %v", err)
	}
	ran := false
	if err := a.Prove(t.Context(), "x works", func(context.Context) error { ran = true; return nil }); !errors.Is(err, ErrNotObserved) || ran {
		t.Errorf("Prove err = %v, ran %v", err, ran)
	}
}

// A plan records a proof as a check step and does not run it; the bytes
// of a download it only recorded are not there to read.
func TestDryRunRecordsProofsAndReadsNoDownload(t *testing.T) {
	t.Parallel()
	dry := NewDryRun(Absent{})
	if err := dry.Prove(t.Context(), "redis answers PING", func(context.Context) error { return errors.New("ran") }); err != nil {
		t.Fatal(err)
	}
	name, err := dry.Download(t.Context(), "https://example.org/f.ttf", "abc")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dry.Stat(name); err != nil {
		t.Errorf("Stat of the download: %v", err)
	}
	if _, err := dry.ReadFile(name); !errors.Is(err, ErrNotObserved) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile of the download: err = %v", err)
	}
	if got, want := dry.String(), "check redis answers PING\ndownload https://example.org/f.ttf (sha256 abc)\n"; got != want {
		t.Errorf("steps:\n%s\nwant:\n%s", got, want)
	}
}

// Real, ReadOnly and the proof's own reads: the check runs.
func TestRealAndReadOnlyRunProofs(t *testing.T) {
	t.Parallel()
	for _, sys := range []System{NewReal(), NewReadOnly(NewReal())} {
		want := errors.New("no PONG")
		if err := sys.Prove(t.Context(), "x", func(context.Context) error { return want }); !errors.Is(err, want) {
			t.Errorf("%T: Prove err = %v", sys, err)
		}
	}
}

// Intend: a DryRun records the intent on each change made through the
// view, into the same steps and overlay; the views nest; every other
// System is returned as it is.
func TestIntend(t *testing.T) {
	t.Parallel()
	dry := NewDryRun(Absent{})
	admin := Intend(dry, Intent{Admin: "it installs a Windows service"})
	done := Intend(admin, Intent{Done: "/p/marker", Produces: Product{Resource: "interpreter/python", Path: "/p/bin/python3.12"}})
	if err := done.WriteFile("/p/marker", []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Run(t.Context(), Cmd{Argv: []string{"redis-server", "--service-install"}}); err != nil {
		t.Fatal(err)
	}
	if err := dry.MkdirAll("/q", 0o755); err != nil {
		t.Fatal(err)
	}
	if data, err := dry.ReadFile("/p/marker"); err != nil || string(data) != "{}" {
		t.Errorf("the view's write, read through the DryRun: %q, %v", data, err)
	}
	want := []Intent{
		{Admin: "it installs a Windows service", Done: "/p/marker", Produces: Product{Resource: "interpreter/python", Path: "/p/bin/python3.12"}},
		{Admin: "it installs a Windows service"},
		{},
	}
	steps := dry.Steps()
	if len(steps) != len(want) {
		t.Fatalf("steps:\n%s", dry)
	}
	for i, st := range steps {
		if st.Intent != want[i] {
			t.Errorf("step %d (%s): intent %+v, want %+v", i, st, st.Intent, want[i])
		}
	}
	if got, want := dry.String(), "write /p/marker (2 bytes, mode 0644)\nrun redis-server --service-install\nmkdir /q\n"; got != want {
		t.Errorf("plan lines:\n%s\nwant:\n%s", got, want)
	}
	host := NewReal()
	for _, sys := range []System{host, NewReadOnly(host), Absent{}} {
		if got := Intend(sys, Intent{Admin: "x"}); got != sys {
			t.Errorf("Intend(%T) = %T, want it as it is", sys, got)
		}
	}
}
