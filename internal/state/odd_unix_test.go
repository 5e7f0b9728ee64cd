//go:build unix

package state

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/envup/envup/internal/system"
)

// within fails the test when f has not returned after a while: what it
// guards against is a read that blocks forever.
func within(t *testing.T, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("blocked: a named pipe was opened")
		return nil
	}
}

func TestNamedPipeIsRefusedNotOpened(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file string
		run  func(dir string) error
	}{
		{FileName, func(dir string) error { _, err := Load(system.NewReal(), dir); return err }},
		{LockName, func(dir string) error {
			l, err := Acquire(t.Context(), dir, time.Second, &bytes.Buffer{})
			if err == nil {
				_ = l.Unlock()
			}
			return err
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			name := filepath.Join(dir, tc.file)
			if err := syscall.Mkfifo(name, 0o600); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			err := within(t, func() error { return tc.run(dir) })
			var nr *NotRegularError
			if !errors.As(err, &nr) || nr.Path != name {
				t.Fatalf("err = %v, want NotRegularError for %s", err, name)
			}
			if want := " is a named pipe, not envup's "; !strings.Contains(err.Error(), name+want) || !strings.HasSuffix(err.Error(), "; remove it") {
				t.Errorf("message = %q", err)
			}
		})
	}
}

func TestDirectoryStateIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, FileName), 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Load(system.NewReal(), dir)
	if err == nil || !strings.Contains(err.Error(), "is a directory, not envup's state; remove it") {
		t.Fatalf("err = %v", err)
	}
}

func TestLockNamesOnlyALiveHolderAndIsClearedOnUnlock(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := filepath.Join(dir, LockName)
	first, err := Acquire(t.Context(), dir, time.Second, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	// A pid no process has any more: one this test started and reaped.
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(strconv.Itoa(gone.Process.Pid)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var msg bytes.Buffer
	if _, err := Acquire(t.Context(), dir, 50*time.Millisecond, &msg); !errors.Is(err, ErrLocked) {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
	if strings.Contains(msg.String(), "pid") {
		t.Errorf("a dead holder was named: %q", msg.String())
	}
	if err := first.Unlock(); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(name); err != nil || len(data) != 0 {
		t.Errorf("lock after unlock holds %q, %v; want it empty", data, err)
	}
}
