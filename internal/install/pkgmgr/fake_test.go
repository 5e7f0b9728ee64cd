package pkgmgr

import (
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/envup/envup/internal/system"
)

// call is one command the test expects, in order, and what it answers.
type call struct {
	run    bool // Run; else Query
	argv   []string
	stdout string
	code   int    // non-zero: the command fails with a *system.ExitError
	stderr string // with code: the tail the ExitError carries
	err    error  // any other failure
}

func query(argv ...string) call { return call{argv: argv} }
func run(argv ...string) call   { return call{run: true, argv: argv} }

func (c call) out(s string) call { c.stdout = s; return c }
func (c call) exit(code int, stderr string) call {
	c.code, c.stderr = code, stderr
	return c
}

// fakeSys reads and writes files for real (under the test's temp dirs)
// but answers commands from a script, failing the test on any command it
// does not expect. Its environment and PATH are its own, not the host's.
type fakeSys struct {
	system.System
	t *testing.T

	mu    sync.Mutex
	calls []call
	ran   []system.Cmd
	env   map[string]string
	path  map[string]string // LookPath answers
}

func newFake(t *testing.T, calls ...call) *fakeSys {
	t.Helper()
	f := &fakeSys{System: system.NewReal(), t: t, calls: calls, env: map[string]string{}, path: map[string]string{}}
	t.Cleanup(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, c := range f.calls {
			t.Errorf("expected command never ran: %s", system.Quote(c.argv))
		}
	})
	return f
}

func (f *fakeSys) Query(_ context.Context, cmd system.Cmd) (*system.Result, error) {
	return f.next(false, cmd)
}

func (f *fakeSys) Run(_ context.Context, cmd system.Cmd) (*system.Result, error) {
	return f.next(true, cmd)
}

func (f *fakeSys) next(isRun bool, cmd system.Cmd) (*system.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	verb := map[bool]string{true: "Run", false: "Query"}[isRun]
	if len(f.calls) == 0 {
		f.t.Errorf("unexpected %s %s", verb, system.Quote(cmd.Argv))
		return nil, fmt.Errorf("unexpected command %s", system.Quote(cmd.Argv))
	}
	c := f.calls[0]
	if c.run != isRun || !slices.Equal(c.argv, cmd.Argv) {
		f.t.Errorf("got %s %s\nwant %s %s", verb, system.Quote(cmd.Argv),
			map[bool]string{true: "Run", false: "Query"}[c.run], system.Quote(c.argv))
		return nil, fmt.Errorf("unexpected command %s", system.Quote(cmd.Argv))
	}
	f.calls = f.calls[1:]
	f.ran = append(f.ran, cmd)
	res := &system.Result{Stdout: []byte(c.stdout), Stderr: []byte(c.stderr), ExitCode: c.code}
	switch {
	case c.err != nil:
		return res, c.err
	case c.code != 0:
		// as system's runner does: the last lines of stderr, on one line
		lines := strings.Split(strings.TrimSpace(c.stderr), "\n")
		return res, &system.ExitError{Argv: cmd.Argv, ExitCode: c.code, Stderr: strings.Join(lines, "; ")}
	}
	return res, nil
}

func (f *fakeSys) Getenv(key string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.env[key]
}

func (f *fakeSys) LookPath(file string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p, ok := f.path[file]; ok {
		return p, nil
	}
	return "", &exec.Error{Name: file, Err: exec.ErrNotFound}
}

// commands returns the argv of every command run, quoted, one per line.
func (f *fakeSys) commands() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.ran {
		out = append(out, system.Quote(c.Argv))
	}
	return out
}
