package system

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// /proc/self/fd/N, as /dev/stdout and a shell's >(…) give: a link whose
// text ("pipe:[123]") names no file. The pipe it leads to is written
// through, as the kernel follows the link.
func TestWriteOutputProcPipe(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(r)
		got <- string(b)
	}()
	name := fmt.Sprintf("/proc/self/fd/%d", w.Fd())
	werr := WriteOutput(name, []byte("through the pipe\n"), 0o644)
	w.Close()
	if werr != nil {
		t.Fatal(werr)
	}
	if g := <-got; g != "through the pipe\n" {
		t.Errorf("the reader got %q", g)
	}
}

// /proc/self/fd/N of a file that was deleted: its link reads
// "/…/out.json (deleted)". The open file is written in place; no file of
// that name is made.
func TestWriteOutputProcDeleted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "out.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("old content, longer than the new"); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(f.Name()); err != nil {
		t.Fatal(err)
	}
	if err := WriteOutput(fmt.Sprintf("/proc/self/fd/%d", f.Fd()), []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "new" {
		t.Errorf("the open file holds %q", b)
	}
	if names := readDir(t, dir); !slices.Equal(names, nil) {
		t.Errorf("made %q", names)
	}
}
