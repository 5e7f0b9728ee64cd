//go:build unix

package recipe

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used, user and system: what
// a timing test compares, since a busy machine stretches wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
