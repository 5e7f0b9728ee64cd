//go:build unix

package system

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// A named pipe is written through to its reader, and stays a pipe; a
// link to one is followed to it.
func TestWriteOutputFIFO(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	link := filepath.Join(dir, "lab.tar")
	symlink(t, "pipe", link)
	data := strings.Repeat("snapshot line\n", 10000) // more than a pipe holds
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			got <- err.Error()
			return
		}
		got <- string(b)
	}()
	if err := WriteOutput(link, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if g := <-got; g != data {
		t.Errorf("the reader got %d bytes (%.40q), want %d", len(g), g, len(data))
	}
	fi, err := os.Lstat(fifo)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the pipe is now %v", fi.Mode())
	}
	if names := readDir(t, dir); !slices.Equal(names, []string{"lab.tar", "pipe"}) {
		t.Errorf("left %q", names)
	}
}

// TestRealWriteFileReplacesOtherLinks: a link to anything but a regular
// file is replaced, as before, and what it pointed at is left alone: a
// named pipe (standing in for ~/.bash_history -> /dev/null, which a test
// must not risk) stays a pipe, and a dangling link makes no folders.
func TestRealWriteFileReplacesOtherLinks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	toFifo := filepath.Join(dir, "history")
	dangling := filepath.Join(dir, "dangling")
	for link, to := range map[string]string{toFifo: "fifo", dangling: "nowhere/file"} {
		if err := os.Symlink(to, link); err != nil {
			t.Fatal(err)
		}
		if err := NewReal().WriteFile(link, []byte("new\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(link); err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s: want the link replaced by a regular file, got %v %v", link, fi, err)
		}
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the pipe is no longer a pipe: %v %v", fi, err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "nowhere")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a dangling link made its folder: %v", err)
	}
}
