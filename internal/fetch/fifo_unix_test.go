//go:build unix

package fetch

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// mkfifo makes a named pipe at p: opened for reading without O_NONBLOCK,
// it would block until a writer came.
func mkfifo(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A FIFO that cannot be removed is refused, never read.
func TestGetRefusesStuckFIFO(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root removes from a read-only folder")
	}
	f, cache := newFetcher(t, Options{Mirrors: []string{mirrorDir(t, "python.tar.gz")}})
	mkfifo(t, f.Path(payloadSum))
	dir := filepath.Join(cache, "sha256")
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
	_, err := f.Get(t.Context(), "https://downloads.example.org/python.tar.gz", payloadSum)
	if err == nil || !strings.Contains(err.Error(), f.Path(payloadSum)+" is a named pipe (FIFO), not a file, and could not be removed") {
		t.Errorf("Get = %v; want the FIFO refused by its path", err)
	}
}
