package cli

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// The colours of a line's mark: what plan, apply, check and diff print
// at the start of a line (after its indent) says what happens to a
// resource, as terraform's and git's colours do.
var markColour = map[byte]string{
	'+': "\x1b[32m", // green: created
	'~': "\x1b[33m", // yellow: changed
	'!': "\x1b[31m", // red: failed
	'=': "\x1b[2m",  // dim: unchanged
	'-': "\x1b[2m",  // dim: skipped, removed
}

const colourOff = "\x1b[0m"

// colourModes are --color's values.
var colourModes = []string{"auto", "always", "never"}

// wantColour says whether output to w is coloured: --color always or
// never, and auto (the default) when w is a terminal, NO_COLOR
// (no-color.org) is unset or empty and TERM is not dumb. JSON is never
// coloured.
func wantColour(mode string, w io.Writer, g *globals) bool {
	switch {
	case g.output == "json" || mode == "never":
		return false
	case mode == "always":
		return true
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) && g.getenv("NO_COLOR") == "" && g.getenv("TERM") != "dumb"
}

// colourMarks is w with each line's mark coloured: a line that starts,
// after spaces, with one of markColour's marks and a space. Lines may
// come in any pieces: the start of a line is held back only until it
// shows whether it has a mark.
type colourMarks struct {
	w       io.Writer
	pending []byte // the start of a line, still only spaces and maybe a mark
	mid     bool   // within a line whose start was decided
}

func (c *colourMarks) Write(p []byte) (int, error) {
	var out bytes.Buffer
	for _, b := range p {
		switch {
		case c.mid:
			out.WriteByte(b)
			c.mid = b != '\n'
		case b == ' ' && !c.hasMark():
			c.pending = append(c.pending, b)
		case c.hasMark():
			mark := c.pending[len(c.pending)-1]
			indent := c.pending[:len(c.pending)-1]
			out.Write(indent)
			if b == ' ' {
				out.WriteString(markColour[mark] + string(mark) + colourOff)
			} else {
				out.WriteByte(mark)
			}
			out.WriteByte(b)
			c.pending, c.mid = c.pending[:0], b != '\n'
		case markColour[b] != "":
			c.pending = append(c.pending, b)
		default:
			out.Write(c.pending)
			out.WriteByte(b)
			c.pending, c.mid = c.pending[:0], b != '\n'
		}
	}
	if _, err := c.w.Write(out.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// hasMark says whether the held start of a line ends in a mark.
func (c *colourMarks) hasMark() bool {
	return len(c.pending) > 0 && markColour[c.pending[len(c.pending)-1]] != ""
}

// Flush writes what is held back: the run's output ended mid-line.
func (c *colourMarks) Flush() error {
	if len(c.pending) == 0 {
		return nil
	}
	_, err := c.w.Write(c.pending)
	c.pending = c.pending[:0]
	return err
}
