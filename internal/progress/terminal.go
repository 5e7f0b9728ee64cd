// Package progress says what a run is doing while it waits: whether a
// writer may show a line redrawn in place (Allowed), and Steps, which
// keeps a long step (a command, an extraction) from going silent.
package progress

import (
	"io"

	"golang.org/x/term"
)

// Allowed reports whether w may show a line redrawn in place (a progress
// bar, a step's status): a terminal that says how wide it is, and neither
// NO_COLOR nor CI set, nor TERM=dumb. A terminal of no width (`script
// -qc`, some CI consoles report 0×0) gets plain lines: bars drawn into
// zero columns vanish, and the lines with them.
func Allowed(w io.Writer, getenv func(string) string) bool {
	fd, ok := w.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(fd.Fd())) {
		return false
	}
	if cols, _, err := term.GetSize(int(fd.Fd())); err != nil || cols <= 0 {
		return false
	}
	return getenv("NO_COLOR") == "" && getenv("CI") == "" && getenv("TERM") != "dumb"
}

// width is the terminal's width in columns, 80 when it cannot be read.
func width(w io.Writer) int {
	if fd, ok := w.(interface{ Fd() uintptr }); ok {
		if cols, _, err := term.GetSize(int(fd.Fd())); err == nil && cols > 0 {
			return cols
		}
	}
	return 80
}
