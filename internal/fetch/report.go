package fetch

import (
	"fmt"
	"io"
	"math"
	"os"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// report shows GetAll's progress: on a terminal where bars are allowed, a
// bar per download in flight with the finished files' lines above them;
// elsewhere plain lines. It is the one progress mechanism while GetAll
// runs: the transfers it watches draw no single-line bar of their own.
type report struct {
	bars  *mpb.Progress // on a terminal; nil otherwise
	mu    sync.Mutex    // one line at a time; guards said too
	lines io.Writer     // off a terminal; nil when there is no Progress
	said  int           // lines said above the bars so far
}

func (f *Fetcher) newReport() *report {
	switch {
	case f.bar:
		return &report{bars: mpb.New(
			mpb.WithOutput(f.opts.Progress),
			// progress.Allowed already found a terminal; the writer may be one
			// that mpb does not recognise as such (ForceTTY alone does
			// not turn the refresh on, whatever its doc says).
			mpb.ForceTTY(),
			mpb.WithAutoRefresh(),
			// Finished lines move above the bars and stay there.
			mpb.PopCompletedMode(),
		)}
	case f.opts.Progress != nil:
		return &report{lines: f.opts.Progress}
	}
	return &report{}
}

// close waits for the bars to be drawn for the last time.
func (r *report) close() {
	if r.bars != nil {
		r.bars.Wait()
	}
}

// log writes a line that only the log needs, not the terminal.
func (r *report) log(line string) {
	if r.lines == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintln(r.lines, line)
}

// say writes a line that stays: above the bars on a terminal, else in the
// log.
func (r *report) say(line string) {
	if r.bars == nil {
		r.log(line)
		return
	}
	r.mu.Lock()
	r.said++
	// Bars that complete between two redraws are popped above the others
	// in falling priority: the earlier said, the higher.
	prio := math.MaxInt32 - r.said
	r.mu.Unlock()
	// A bar that is complete as it is made, and popped above the others.
	b := r.bars.New(0, mpb.NopStyle(), mpb.BarFillerTrim(), mpb.BarPriority(prio),
		mpb.PrependDecorators(decor.Name(line)))
	b.SetTotal(-1, true)
}

// track returns the watcher of one file's transfers.
func (r *report) track(w Want) *tracker {
	return &tracker{r: r, name: w.name(), size: w.Size}
}

// tracker follows one file through GetAll. Its methods are called from the
// one goroutine that fetches the file. It is the meter of every attempt
// too: the file keeps one bar across retries, resumes and places.
type tracker struct {
	r     *report
	name  string
	size  int64     // expected, 0 unknown
	start time.Time // of the first transfer; zero while none began
	bar   *mpb.Bar  // on a terminal, from the first transfer on
	last  time.Time // of the bar's last update, for its speed
}

func (t *tracker) begin() {
	if !t.start.IsZero() {
		return
	}
	t.start = time.Now()
	if t.r.bars == nil {
		t.r.log("fetching " + t.name)
		return
	}
	// Made with no total, so that only end completes it: a full bar may
	// still fail its digest check.
	t.bar = t.r.bars.New(0, mpb.BarStyle(),
		mpb.BarNoPop(), // removed when done: its line is said instead
		mpb.BarRemoveOnComplete(),
		mpb.PrependDecorators(
			decor.Name(t.name, decor.WCSyncSpaceR),
			decor.Any(func(s decor.Statistics) string { return counts(s.Current, s.Total) }, decor.WCSyncSpace),
		),
		mpb.AppendDecorators(decor.EwmaSpeed(decor.SizeB1024(0), "% .1f", 30, decor.WCSyncSpace)),
	)
	if t.size > 0 {
		t.bar.SetTotal(t.size, false)
	}
}

func (t *tracker) meter(n, total int64) meter {
	if t.bar == nil {
		return noMeter{}
	}
	if total >= 0 {
		t.bar.SetTotal(total, false)
	}
	t.bar.SetCurrent(n)
	t.last = time.Now()
	return t
}

func (t *tracker) set(n int64) {
	now := time.Now()
	t.bar.EwmaSetCurrent(n, now.Sub(t.last))
	t.last = now
}

func (t *tracker) done() {}

func (t *tracker) note(line string) { t.r.say(line) }

// end takes the file's bar away and says how its fetch ended.
func (t *tracker) end(res Result, err error) {
	if t.bar != nil {
		if err != nil {
			t.bar.Abort(true)
		} else {
			t.bar.SetTotal(-1, true)
		}
	}
	switch {
	case err != nil:
		t.r.say(t.name + ": failed")
	case res.Cached:
		t.r.say(t.name + ": already in the cache")
	case isLocal(res.Source):
		t.r.say(t.name + ": copied from " + res.Source)
	default:
		var n int64
		if fi, err := os.Stat(res.Path); err == nil {
			n = fi.Size()
		}
		t.r.say(fmt.Sprintf("fetched %s (%s in %s)", t.name, size(n), took(time.Since(t.start))))
	}
}

// isLocal reports whether a Result's Source is a path rather than a URL.
func isLocal(source string) bool {
	pl, err := parsePlace(source)
	return err == nil && pl.local
}

// counts is a bar's "3.0 MiB / 12.0 MiB", or "3.0 MiB" with no total.
func counts(n, total int64) string {
	if total <= 0 {
		return size(n)
	}
	return size(n) + " / " + size(total)
}

// took words a duration to a tenth of a second, or to the millisecond
// under a second.
func took(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}
