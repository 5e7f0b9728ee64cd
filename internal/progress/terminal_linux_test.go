package progress

import (
	"os"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// pty opens a pseudo-terminal pair and returns its terminal end.
func pty(t *testing.T) *os.File {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close() })
	return tty
}

// TestAllowedNeedsAWidth: a terminal that says it is 0×0 (as under
// `script -qc` and some CI consoles) gets plain lines, since bars drawn
// into no columns vanish; the same terminal at 80×24 gets bars.
func TestAllowedNeedsAWidth(t *testing.T) {
	t.Parallel()
	tty := pty(t)
	noEnv := func(string) string { return "" }
	for _, size := range []struct {
		rows, cols uint16
		want       bool
	}{{0, 0, false}, {24, 80, true}} {
		if err := unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: size.rows, Col: size.cols}); err != nil {
			t.Fatal(err)
		}
		if got := Allowed(tty, noEnv); got != size.want {
			t.Errorf("a %d×%d terminal: Allowed = %v, want %v", size.cols, size.rows, got, size.want)
		}
	}
}
