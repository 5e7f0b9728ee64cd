package progress

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// fakeClock is a Clock whose ticks the test sends.
type fakeClock struct {
	t0    time.Time
	ticks chan time.Time
	every time.Duration // what Start asked for
}

func newClock() *fakeClock {
	return &fakeClock{t0: time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC), ticks: make(chan time.Time)}
}

func (c *fakeClock) Now() time.Time { return c.t0 }

func (c *fakeClock) Tick(d time.Duration) (<-chan time.Time, func()) {
	c.every = d
	return c.ticks, func() {}
}

// tick sends the time d after the start, and returns once the step has
// handled it: the second send, of a time before the start (which shows
// nothing), is taken only when the first is done.
func (c *fakeClock) tick(d time.Duration) {
	c.ticks <- c.t0.Add(d)
	c.ticks <- time.Time{}
}

// took is the output since the last call.
func took(out *bytes.Buffer) string {
	s := out.String()
	out.Reset()
	return s
}

func TestStatusLineInPlace(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	c := newClock()
	st := NewWith(&out, Options{InPlace: true, Width: 60, Clock: c}).Start("pip install")
	if c.every != Redraw {
		t.Errorf("in place, ticks every %s, want %s", c.every, Redraw)
	}
	_, _ = st.Write([]byte("Collecting redis\n"))
	c.tick(500 * time.Millisecond)
	if got := took(&out); got != "" {
		t.Errorf("at 0.5 s: %q, want nothing (under %s)", got, Quiet)
	}
	c.tick(time.Second)
	first := "\r  … pip install (1 s): Collecting redis"
	if got := took(&out); got != first {
		t.Errorf("at 1 s: %q, want %q", got, first)
	}
	_, _ = st.Write([]byte("  Downloading redis-5.0.1-py3-none-any.whl (250 kB)\n"))
	c.tick(1100 * time.Millisecond)
	if got := took(&out); got != "" {
		t.Errorf("100 ms later: %q, want nothing (at most one drawing each %s)", got, Redraw)
	}
	c.tick(1350 * time.Millisecond)
	second := "\r  … pip install (1 s): Downloading redis-5.0.1-py3-none-an…" // 59 columns
	if got := took(&out); got != second {
		t.Errorf("at 1.35 s: %q, want %q", got, second)
	}
	c.tick(1600 * time.Millisecond)
	if got := took(&out); got != "" {
		t.Errorf("unchanged at 1.6 s: %q, want nothing", got)
	}
	c.tick(2 * time.Second)
	if got, want := took(&out), strings.Replace(second, "(1 s)", "(2 s)", 1); got != want {
		t.Errorf("at 2 s: %q, want %q", got, want)
	}
	_, _ = st.Write([]byte("ok\n"))
	c.tick(2500 * time.Millisecond)
	third := "  … pip install (2 s): ok"
	if got, want := took(&out), "\r"+third+strings.Repeat(" ", 59-len([]rune(third))); got != want {
		t.Errorf("a shorter line blanks the rest: %q, want %q", got, want)
	}
	st.End()
	if got, want := took(&out), "\r"+strings.Repeat(" ", len([]rune(third)))+"\r"; got != want {
		t.Errorf("End: %q, want %q", got, want)
	}
}

func TestStillRunningInALog(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	c := newClock()
	st := NewWith(&out, Options{Clock: c}).Start("pip install")
	if c.every != Every {
		t.Errorf("in a log, ticks every %s, want %s", c.every, Every)
	}
	_, _ = st.Write([]byte("Collecting redis\n"))
	c.tick(5 * time.Second)
	_, _ = st.Write([]byte("WARNING: Retrying (Retry(total=3, connect=None, read=None, redirect=None, status=None))\n"))
	c.tick(10 * time.Second)
	st.End()
	want := "  … still running pip install (5 s): Collecting redis\n" +
		"  … still running pip install (10 s): WARNING: Retrying (Retry(total=3, connect=None, read=None, redirect=None, status=None))\n"
	if got := out.String(); got != want {
		t.Errorf("log:\n%q\nwant\n%q", got, want)
	}
}

func TestShortStepSaysNothing(t *testing.T) {
	t.Parallel()
	for _, inPlace := range []bool{true, false} {
		var out bytes.Buffer
		c := newClock()
		st := NewWith(&out, Options{InPlace: inPlace, Clock: c}).Start("apt-get install")
		_, _ = st.Write([]byte("Reading package lists...\n"))
		c.tick(500 * time.Millisecond)
		c.tick(900 * time.Millisecond)
		st.End()
		if out.Len() != 0 {
			t.Errorf("in place %v: a step under %s wrote %q", inPlace, Quiet, out.String())
		}
	}
}

func TestLastLine(t *testing.T) {
	t.Parallel()
	cases := []struct{ out, want string }{
		{"Collecting redis\n", "Collecting redis"},
		{"one\ntwo\n\n   \n", "two"},
		{"one\nhalf a line", "one"},                                  // a line counts once it ends
		{"Progress: [ 10%]\rProgress: [ 40%]\r", "Progress: [ 40%]"}, // a bar redrawn with \r
		{"\x1b[1;31mE: Unable\x1b[0m to locate\tx\n", "E: Unable to locate x"},
		{"caf\xc3\n", "caf?"},
	}
	for _, c := range cases {
		st := &Step{}
		// Written in two pieces, as a pipe may hand it over.
		_, _ = st.Write([]byte(c.out[:len(c.out)/2]))
		_, _ = st.Write([]byte(c.out[len(c.out)/2:]))
		if st.last != c.want {
			t.Errorf("last line of %q = %q, want %q", c.out, st.last, c.want)
		}
	}
}

func TestNilStepsShowNothing(t *testing.T) {
	t.Parallel()
	var s *Steps
	st := s.Start("make")
	if n, err := st.Write([]byte("cc -c x.c\n")); n != 10 || err != nil {
		t.Errorf("Write = %d, %v", n, err)
	}
	st.End()
	if New(nil, os.Getenv) != nil {
		t.Error("New(nil) is not nil")
	}
}

func TestAllowedOffTerminal(t *testing.T) {
	t.Parallel()
	if Allowed(&bytes.Buffer{}, func(string) string { return "" }) {
		t.Error("allowed on a buffer")
	}
	if Allowed(os.Stderr, func(string) string { return "1" }) {
		t.Error("allowed with NO_COLOR and CI set")
	}
}
