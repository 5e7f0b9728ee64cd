package system

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// readDir lists dir's names, sorted.
func readDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func readString(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// A new file is made with perm; an old one is replaced by another file
// (a rename, so a reader holding the old one keeps it whole) that keeps
// the old one's permissions, and nothing else is left in the folder.
func TestWriteOutputRegular(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := filepath.Join(dir, "new", "snap.json")
	if err := WriteOutput(name, []byte("one\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, name); got != "one\n" {
		t.Errorf("wrote %q", got)
	}
	before, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && before.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", before.Mode().Perm())
	}
	if runtime.GOOS != "windows" {
		if err := os.Chmod(name, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteOutput(name, []byte("two\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if got := readString(t, name); got != "two\n" {
		t.Errorf("rewrote %q", got)
	}
	if os.SameFile(before, after) {
		t.Error("the file was written in place, not replaced")
	}
	if runtime.GOOS != "windows" && after.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the old file's 0600", after.Mode().Perm())
	}
	if got := readDir(t, filepath.Dir(name)); !slices.Equal(got, []string{"snap.json"}) {
		t.Errorf("left %q", got)
	}
}

// An aborted output leaves the old file as it was, and no temporary file.
func TestOutputAbort(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := filepath.Join(dir, "lab.tar")
	if err := os.WriteFile(name, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	o, err := CreateOutput(name, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if o.Staged() == "" || filepath.Dir(o.Staged()) != dir || !IsTemp(filepath.Base(o.Staged())) {
		t.Errorf("staged at %q, want a temporary file in %s", o.Staged(), dir)
	}
	if _, err := o.Write([]byte("half of a new")); err != nil {
		t.Fatal(err)
	}
	o.Abort()
	o.Abort() // twice is harmless
	if got := readString(t, name); got != "old" {
		t.Errorf("after Abort the file holds %q", got)
	}
	if got := readDir(t, dir); !slices.Equal(got, []string{"lab.tar"}) {
		t.Errorf("left %q", got)
	}
	if err := o.Commit(); err == nil {
		t.Error("Commit after Abort: no error")
	}
}

// symlink makes a link or skips the test where links cannot be made.
func symlink(t *testing.T, to, name string) {
	t.Helper()
	if err := os.Symlink(to, name); err != nil {
		t.Skipf("cannot make a symbolic link here: %v", err)
	}
}

// A link is followed, through a second link and relative to each link's
// own folder; the target is replaced beside itself and the links stay.
func TestWriteOutputSymlink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, d := range []string{"dotfiles", "lab", "usb"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	real := filepath.Join(dir, "usb", "snap.json")
	if err := os.WriteFile(real, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	symlink(t, "../usb/snap.json", filepath.Join(dir, "dotfiles", "snap.json"))
	link := filepath.Join(dir, "lab", "snap.json")
	symlink(t, filepath.Join("..", "dotfiles", "snap.json"), link)

	if err := WriteOutput(link, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, real); got != "new" {
		t.Errorf("the target holds %q", got)
	}
	for _, l := range []string{link, filepath.Join(dir, "dotfiles", "snap.json")} {
		fi, err := os.Lstat(l)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link: %v", l, fi.Mode())
		}
	}
	for _, d := range []string{"dotfiles", "lab", "usb"} {
		if got := readDir(t, filepath.Join(dir, d)); !slices.Equal(got, []string{"snap.json"}) {
			t.Errorf("%s holds %q", d, got)
		}
	}
}

// A link to nothing yet makes its target; a loop of links is an error.
func TestWriteOutputDanglingAndLoop(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	link := filepath.Join(dir, "out.json")
	symlink(t, "made.json", link)
	if err := WriteOutput(link, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, filepath.Join(dir, "made.json")); got != "x" {
		t.Errorf("the target holds %q", got)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link is not a link any more: %v", err)
	}

	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	symlink(t, "b", a)
	symlink(t, "a", b)
	err := WriteOutput(a, []byte("x"), 0o644)
	if err == nil || !strings.Contains(err.Error(), "symbolic links") {
		t.Errorf("a loop of links: %v", err)
	}
}

func TestWriteOutputFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	err := WriteOutput(dir, []byte("x"), 0o644)
	if err == nil || !strings.Contains(err.Error(), "it is a folder") {
		t.Errorf("a folder: %v", err)
	}
	if got := readDir(t, dir); len(got) != 0 {
		t.Errorf("left %q", got)
	}
}

// The null device is written through and stays the device. The output
// must not be staged: a Commit would rename a file over the device (as
// root it could), so the test stops before one.
func TestWriteOutputNullDevice(t *testing.T) {
	t.Parallel()
	before, err := os.Lstat(os.DevNull)
	if err != nil {
		t.Skipf("no %s: %v", os.DevNull, err)
	}
	o, err := CreateOutput(os.DevNull, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if o.Staged() != "" {
		o.Abort()
		t.Fatalf("%s would be replaced by %s", os.DevNull, o.Staged())
	}
	if _, err := o.Write([]byte("into the void\n")); err != nil {
		t.Fatal(err)
	}
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	after, err := os.Lstat(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	if after.Mode() != before.Mode() || after.Mode().IsRegular() {
		t.Errorf("%s was %v, is %v", os.DevNull, before.Mode(), after.Mode())
	}
}
