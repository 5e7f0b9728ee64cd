//go:build !unix

package recipe

import "time"

var start = time.Now()

// cpuTime stands in for the CPU time where getrusage is missing: the
// time since the tests started.
func cpuTime() time.Duration { return time.Since(start) }
