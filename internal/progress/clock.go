package progress

import "time"

// Clock is the time Steps reads: the start of a step, and the ticks at
// which it looks at it again. Tests give a fake one; nil means the real
// clock.
type Clock interface {
	Now() time.Time
	// Tick sends the time every d until stop is called.
	Tick(d time.Duration) (ticks <-chan time.Time, stop func())
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Tick(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}
