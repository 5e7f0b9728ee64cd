//go:build unix

package system

import (
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
