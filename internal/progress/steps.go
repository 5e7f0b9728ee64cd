package progress

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
)

const (
	// Quiet is how long a step may run before anything is said of it: a
	// terminal is never silent for much longer.
	Quiet = time.Second
	// Redraw is the least time between two drawings of a status line.
	Redraw = 250 * time.Millisecond
	// Every is how often a log hears that a step is still running: a log
	// is silent for well under 10 s.
	Every = 5 * time.Second
)

// maxLine is how much of one output line a step keeps.
const maxLine = 1 << 10

// Steps keeps the long steps of a run (a package manager, pip, make, an
// extraction) from going silent. On a terminal a step shows one status
// line redrawn in place, its elapsed time and its last output line
// ("  … pip install (12 s): Collecting redis"), blanked when it ends;
// elsewhere (a log) it writes a line every 5 s ("  … still running pip
// install (20 s): Collecting redis"). A step quicker than Quiet shows
// nothing. A nil *Steps shows nothing.
type Steps struct {
	w       io.Writer
	inPlace bool
	width   int
	clock   Clock

	mu    sync.Mutex // one line at a time; guards owner and drawn
	owner *Step      // the step whose status line is on the terminal
	drawn int        // that line's width, to blank it
}

// New returns the Steps that show on w: in place when Allowed(w,
// getenv), else as log lines. With no w (nil or io.Discard) it is nil.
func New(w io.Writer, getenv func(string) string) *Steps {
	if w == nil || w == io.Discard {
		return nil
	}
	inPlace := Allowed(w, getenv)
	opts := Options{InPlace: inPlace}
	if inPlace {
		opts.Width = width(w)
	}
	return NewWith(w, opts)
}

// Options say how Steps show: what New finds out, or a test's choice.
type Options struct {
	InPlace bool  // a status line redrawn in place, else log lines
	Width   int   // of the terminal; 0 means 80
	Clock   Clock // nil means the real clock
}

// NewWith returns the Steps that show on w as opts say.
func NewWith(w io.Writer, opts Options) *Steps {
	if opts.Clock == nil {
		opts.Clock = realClock{}
	}
	if opts.Width <= 0 {
		opts.Width = 80
	}
	return &Steps{w: w, inPlace: opts.InPlace, width: opts.Width, clock: opts.Clock}
}

// Start begins watching a step named name ("pip install"). Its output
// goes to the Step's Write; End ends it. A nil Steps gives a nil Step,
// which takes output and shows nothing.
func (s *Steps) Start(name string) *Step {
	if s == nil {
		return nil
	}
	every := Every
	if s.inPlace {
		every = Redraw
	}
	st := &Step{steps: s, name: name, start: s.clock.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	ticks, stopTicks := s.clock.Tick(every)
	go st.watch(ticks, stopTicks)
	return st
}

// Step is one step being watched: an io.Writer for its output.
type Step struct {
	steps *Steps
	name  string
	start time.Time
	stop  chan struct{} // closed by End
	done  chan struct{} // closed when watch has returned

	mu   sync.Mutex // stdout and stderr write at once
	last string     // the last non-empty output line
	part []byte     // the line being written

	shown string    // the status line drawn last (watch's own)
	at    time.Time // when it was drawn
}

// Write takes the step's output: its last non-empty line, ended by a
// newline or a carriage return (a progress bar), is what the step shows.
func (st *Step) Write(p []byte) (int, error) {
	if st == nil {
		return len(p), nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, b := range p {
		if b != '\n' && b != '\r' {
			if len(st.part) < maxLine {
				st.part = append(st.part, b)
			}
			continue
		}
		if l := clean(st.part); l != "" {
			st.last = l
		}
		st.part = st.part[:0]
	}
	return len(p), nil
}

// End stops watching and blanks the status line, leaving the terminal as
// it was. It returns once nothing more will be written.
func (st *Step) End() {
	if st == nil {
		return
	}
	close(st.stop)
	<-st.done
}

func (st *Step) watch(ticks <-chan time.Time, stopTicks func()) {
	defer close(st.done)
	defer stopTicks()
	for {
		select {
		case <-st.stop:
			st.steps.blank(st)
			return
		case now := <-ticks:
			st.show(now)
		}
	}
}

// show says the step at now, when it has run Quiet or longer: a log line,
// or the status line when it changed and Redraw has passed.
func (st *Step) show(now time.Time) {
	took := now.Sub(st.start)
	if took < Quiet {
		return
	}
	st.mu.Lock()
	last := st.last
	st.mu.Unlock()
	s := st.steps
	if !s.inPlace {
		s.say(Line(st.name, took, last, 0))
		return
	}
	if !st.at.IsZero() && now.Sub(st.at) < Redraw {
		return
	}
	line := Status(st.name, took, last, s.width-1)
	if line != st.shown && s.draw(st, line) {
		st.shown, st.at = line, now
	}
}

// Status is a step's status line, at most width columns (none: 0):
// "  … pip install (12 s): Collecting redis".
func Status(name string, took time.Duration, last string, width int) string {
	return fit(fmt.Sprintf("  … %s (%d s)%s", name, int(took/time.Second), colon(last)), width)
}

// Line is a step's line in a log, at most width columns (none: 0):
// "  … still running pip install (20 s): Collecting redis".
func Line(name string, took time.Duration, last string, width int) string {
	return fit(fmt.Sprintf("  … still running %s (%d s)%s", name, int(took/time.Second), colon(last)), width)
}

func colon(last string) string {
	if last == "" {
		return ""
	}
	return ": " + fit(last, 200)
}

// draw puts st's status line on the terminal, unless another step's is
// there: one line is redrawn in place, kept by the step that drew it first
// until that step ends.
func (s *Steps) draw(st *Step, line string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.owner != nil && s.owner != st {
		return false
	}
	s.owner = st
	n := len([]rune(line))
	pad := ""
	if n < s.drawn {
		pad = strings.Repeat(" ", s.drawn-n)
	}
	s.drawn = n
	fmt.Fprint(s.w, "\r"+line+pad)
	return true
}

// blank takes st's status line away, when it is on the terminal.
func (s *Steps) blank(st *Step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.owner != st {
		return
	}
	fmt.Fprint(s.w, "\r"+strings.Repeat(" ", s.drawn)+"\r")
	s.owner, s.drawn = nil, 0
}

// say writes a line of the log.
func (s *Steps) say(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintln(s.w, line)
}

// escape is a terminal control sequence (colour, cursor movement).
var escape = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]`)

// clean is a line of output as it can be shown: valid UTF-8, without
// control sequences or characters, trimmed.
func clean(b []byte) string {
	s := escape.ReplaceAllString(strings.ToValidUTF8(string(b), "?"), "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// fit cuts s to width runes (none: 0), its end made an ellipsis.
func fit(s string, width int) string {
	r := []rune(s)
	if width <= 0 || len(r) <= width {
		return s
	}
	if width == 1 {
		return "…"
	}
	return string(r[:width-1]) + "…"
}
