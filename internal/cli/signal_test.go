package cli

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/envup/envup/internal/system"
)

// scriptSignals are the signals a script can send with signal.
var scriptSignals = map[string]os.Signal{"TERM": syscall.SIGTERM, "HUP": syscall.SIGHUP, "INT": os.Interrupt}

// cmdSignal sends a signal to the process whose pid a file holds:
// signal TERM|HUP|INT PIDFILE (testscript's kill knows INT and KILL only,
// and only for its own background commands).
func cmdSignal(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 || scriptSignals[args[0]] == nil {
		ts.Fatalf("usage: signal TERM|HUP|INT PIDFILE")
	}
	p, err := os.FindProcess(readPid(ts, args[1]))
	if err != nil {
		ts.Fatalf("signal: %v", err)
	}
	if err := p.Signal(scriptSignals[args[0]]); err != nil {
		ts.Fatalf("signal: %v", err)
	}
}

// cmdGone waits until the process whose pid a file holds has ended:
// gone PIDFILE. It polls with a deadline.
func cmdGone(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: gone PIDFILE")
	}
	pid := readPid(ts, args[0])
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if !system.Alive(pid) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	ts.Fatalf("gone: pid %d still runs after 30s", pid)
}

func readPid(ts *testscript.TestScript, name string) int {
	data, err := os.ReadFile(ts.MkAbs(name))
	if err != nil {
		ts.Fatalf("%v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		ts.Fatalf("%s: %v", name, err)
	}
	return pid
}
