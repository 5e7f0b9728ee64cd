package state

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"

	"github.com/envup/envup/internal/system"
)

// LockName is the apply lock's file name in the state directory.
const LockName = "apply.lock"

// ErrLocked is returned when another apply held the lock past the timeout.
var ErrLocked = errors.New("another envup apply is running")

// Lock is the held apply lock; Unlock releases it.
type Lock struct {
	fl   *flock.Flock
	name string
}

// Acquire takes the apply lock in dir. When another apply holds it,
// Acquire says so once on wait and keeps trying until timeout; a zero
// timeout waits for as long as ctx allows. The lock is an OS file lock,
// so a killed apply never leaves it stuck.
func Acquire(ctx context.Context, dir string, timeout time.Duration, wait io.Writer) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	name := filepath.Join(dir, LockName)
	if err := regular(system.NewReal(), name, "lock"); err != nil {
		return nil, err
	}
	fl := flock.New(name)
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	if !ok {
		holder := readHolder(name)
		fmt.Fprintf(wait, "envup: waiting for another apply%s to finish (lock %s)\n", holder, name)
		if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		ok, err = fl.TryLockContext(ctx, 100*time.Millisecond)
		if !ok {
			if errors.Is(err, context.DeadlineExceeded) {
				return nil, fmt.Errorf("lock %s: %w%s, still held after %s", name, ErrLocked, holder, timeout)
			}
			return nil, fmt.Errorf("lock %s: %w", name, err)
		}
	}
	// Say who holds it, for the message another apply prints. The lock
	// is on the open file, so rewriting its content is safe.
	_ = os.WriteFile(name, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
	return &Lock{fl: fl, name: name}, nil
}

// readHolder is " (pid N)" for the apply holding the lock, by the pid it
// wrote; nothing when that pid is not running (written by an apply that
// was killed before it could clear it) or not written yet.
func readHolder(name string) string {
	data, err := os.ReadFile(name)
	if err != nil {
		return ""
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || !system.Alive(pid) {
		return ""
	}
	return " (pid " + strconv.Itoa(pid) + ")"
}

// Unlock clears the holder's pid and releases the lock.
func (l *Lock) Unlock() error {
	_ = os.Truncate(l.name, 0)
	return l.fl.Unlock()
}
