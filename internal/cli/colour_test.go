package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestColourMarks colours the mark of each line that has one, whatever
// pieces the output comes in, and leaves every other byte as it was.
func TestColourMarks(t *testing.T) {
	t.Parallel()
	in := "envup plan lab.yml on linux/debian/12/amd64\n\n+ file/~/a  create (12 bytes)\n~ editor/vscode  2 settings\n    + a.b: new\n    ~ c: 1 → 2\n! font/x  failed\n= file/~/b  unchanged\n- venv/lab  skipped: needs interpreter/python\n-x not a mark\n+\n3 to change.\n  + tail"
	want := strings.NewReplacer(
		"+ file", "\x1b[32m+\x1b[0m file", "~ editor", "\x1b[33m~\x1b[0m editor",
		"    + a.b", "    \x1b[32m+\x1b[0m a.b", "    ~ c", "    \x1b[33m~\x1b[0m c",
		"! font", "\x1b[31m!\x1b[0m font", "= file", "\x1b[2m=\x1b[0m file",
		"- venv", "\x1b[2m-\x1b[0m venv", "  + tail", "  \x1b[32m+\x1b[0m tail",
	).Replace(in)
	for _, size := range []int{1, 2, 3, 7, len(in)} {
		var out bytes.Buffer
		c := &colourMarks{w: &out}
		for i := 0; i < len(in); i += size {
			if _, err := c.Write([]byte(in[i:min(i+size, len(in))])); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.Flush(); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Errorf("in pieces of %d:\n%q\nwant\n%q", size, out.String(), want)
		}
	}
}
