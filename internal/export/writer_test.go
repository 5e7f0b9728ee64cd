package export

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// The three writers share writeScript's loop: each refuses the same
// malformed operations with the same words, naming the operation.
func TestWritersRefuseAlike(t *testing.T) {
	t.Parallel()
	win7 := Target{OS: "windows", Version: "6.1", Arch: "amd64", Name: "windows 7"}
	writers := []struct {
		name   string
		write  func(io.Writer, *Script) error
		target Target
	}{
		{"cmd", WriteCmd, win7},
		{"ps1", WritePS1, win7},
		{"sh", WriteSh, debianTarget},
	}
	for _, c := range []struct {
		ops  []Op
		want string
	}{
		{[]Op{{Kind: OpKind(99), Resource: "a/b"}}, "op 1 (kind 99 a/b): unknown kind 99"},
		{[]Op{{Kind: Section, Resource: "a/b"}, {Kind: Copy, Resource: "a/b", Path: "~/x"}}, "op 2 (copy a/b): copy has no From"},
		{[]Op{{Kind: Run, Resource: "a/b"}}, "op 1 (run a/b): no command to run"},
		{[]Op{{Kind: Check, Title: "c"}}, "op 1 (check ): no command to run"},
	} {
		for _, w := range writers {
			err := w.write(&bytes.Buffer{}, &Script{Target: w.target, Ops: c.ops})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %v, want an error about %q", w.name, err, c.want)
			}
		}
	}
}
