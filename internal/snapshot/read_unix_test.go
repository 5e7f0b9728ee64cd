//go:build unix

package snapshot

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A named pipe, as `envup diff <(ssh lab-7 envup snapshot) here` gives
// one (/dev/fd/63, no extension), is read once and whole: its first bytes
// tell it is a snapshot and are part of it.
func TestReadSidePipe(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(realSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(t.TempDir(), "63")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			done <- err
			return
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		done <- err
	}()
	recipePath, snap, err := readSide(fifo)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if recipePath != "" || snap == nil || snap.Summary() != "106 packages, 11 interpreters, 1 virtualenvs, 0 services, 1 fonts, 1 editors" {
		t.Errorf("read %q, %v", recipePath, snap)
	}
}
