package fetch

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// barEvery is how often the progress line is redrawn at most.
const barEvery = 100 * time.Millisecond

// meter shows one transfer attempt's bytes as they come in.
type meter interface {
	set(n int64) // n bytes of the file are held
	done()       // the attempt is over, whichever way
}

// watcher follows one file's transfers for GetAll, which draws them as one
// bar among others or as log lines; a lone Get has none and draws its own
// single-line bar.
type watcher interface {
	// begin says a transfer from a URL starts (once per place tried).
	begin()
	// meter says an answer came with the file from byte n on, of total
	// bytes (-1 unknown), and returns what hears the rest.
	meter(n, total int64) meter
	// note says a line about the file that stays (a bad cache entry removed).
	note(line string)
}

// say tells the user of something done on their behalf (a bad cache entry
// removed): among GetAll's lines, else on the progress writer, else in the
// log.
func (f *Fetcher) say(w watcher, line string) {
	switch {
	case f.opts.Progress != nil && w != nil:
		w.note(line)
	case f.opts.Progress != nil:
		f.barMu.Lock()
		defer f.barMu.Unlock()
		fmt.Fprintln(f.opts.Progress, line)
	case f.opts.Log != nil:
		f.opts.Log.Warn(line)
	}
}

// meter returns what shows a transfer attempt: w's when GetAll watches,
// else the single-line bar, else nothing.
func (f *Fetcher) meter(w watcher, loc string, n, total int64) meter {
	if w != nil {
		return w.meter(n, total)
	}
	if b := f.newBar(loc, total); b != nil {
		return b
	}
	return noMeter{}
}

// noMeter shows nothing.
type noMeter struct{}

func (noMeter) set(int64) {}
func (noMeter) done()     {}

// bar is one download's progress line, redrawn in place. A nil bar draws
// nothing.
type bar struct {
	w     io.Writer
	lock  func() func()
	name  string
	total int64 // -1 when unknown
	n     int64
	last  time.Time
	width int // of the last line drawn, to blank it out
}

// newBar returns the progress line for a transfer, or nil when no bar is
// wanted.
func (f *Fetcher) newBar(loc string, total int64) *bar {
	if !f.bar {
		return nil
	}
	name := loc
	if names := baseNames(loc); len(names) > 0 {
		name = names[0]
	}
	return &bar{
		w:     f.opts.Progress,
		lock:  func() func() { f.barMu.Lock(); return f.barMu.Unlock },
		name:  name,
		total: total,
	}
}

// set records that n bytes are in, and redraws at most every barEvery.
func (b *bar) set(n int64) {
	if b == nil {
		return
	}
	b.n = n
	if now := time.Now(); now.Sub(b.last) >= barEvery {
		b.last = now
		b.draw(barLine(b.name, b.n, b.total))
	}
}

// done blanks the line, leaving the terminal as it was.
func (b *bar) done() {
	if b == nil || b.width == 0 {
		return
	}
	defer b.lock()()
	fmt.Fprint(b.w, "\r"+strings.Repeat(" ", b.width)+"\r")
}

func (b *bar) draw(line string) {
	defer b.lock()()
	pad := ""
	if len(line) < b.width {
		pad = strings.Repeat(" ", b.width-len(line))
	}
	b.width = len(line)
	fmt.Fprint(b.w, "\r"+line+pad)
}

// barLine is the text of a progress line:
// "cpython-3.12.1.tar.gz  12.0 MiB / 30.0 MiB  40%".
func barLine(name string, n, total int64) string {
	if total <= 0 {
		return fmt.Sprintf("%s  %s", name, size(n))
	}
	return fmt.Sprintf("%s  %s / %s  %d%%", name, size(n), size(total), n*100/total)
}

// size writes a byte count for people.
func size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}
