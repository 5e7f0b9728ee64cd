package systemtest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"slices"
	"syscall"
	"time"

	"github.com/envup/envup/internal/system"
)

// Answer is a scripted command and what it does when it runs: by
// default it succeeds and prints nothing.
type Answer struct {
	verb   Verb
	argv   []string // nil: any argv (AllowAny)
	prefix bool     // argv is what the command's argv begins with
	stdout string
	stderr string
	code   int
	err    error
	do     func(system.Cmd)
	fn     func(context.Context, system.Cmd) (*system.Result, error)
}

// Expect scripts the next command: the commands Expect names must run
// in the order they were expected, each once, and the test fails at its
// end for any that did not run. Without argv it takes any command
// through v.
func (s *System) Expect(v Verb, argv ...string) *Answer {
	a := &Answer{verb: v, argv: argv}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expected = append(s.expected, a)
	return a
}

// Allow lets a command run in any order, any number of times (none
// included); without argv it is AllowAny. When two Allow calls name the
// same argv, the later answers: a test overrides its fixture's default.
func (s *System) Allow(v Verb, argv ...string) *Answer {
	return s.allow(&Answer{verb: v, argv: argv, prefix: len(argv) == 0})
}

// AllowPrefix lets any command whose argv begins with argv run, in any
// order, any number of times: a program whatever its arguments (a real
// make, a stand-in server), or one subcommand of it. An exact Allow
// answers before it, a longer prefix before a shorter one.
func (s *System) AllowPrefix(v Verb, argv ...string) *Answer {
	return s.allow(&Answer{verb: v, argv: argv, prefix: true})
}

// AllowAny lets any command through verb v run, when neither Expect nor
// Allow names it: a catch-all, mostly with Func. It is AllowPrefix of
// nothing.
func (s *System) AllowAny(v Verb) *Answer { return s.Allow(v) }

func (s *System) allow(a *Answer) *Answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.allowed = append(s.allowed, a)
	return a
}

// Stdout sets what the command prints.
func (a *Answer) Stdout(out string) *Answer { a.stdout = out; return a }

// Exit makes the command fail with code: a *system.ExitError carrying
// the last lines of stderr on one line, as system.Real's runner keeps them.
func (a *Answer) Exit(code int, stderr string) *Answer {
	a.code, a.stderr = code, stderr
	return a
}

// Err makes the command fail with err (it could not start).
func (a *Answer) Err(err error) *Answer { a.err = err; return a }

// Do has f run before the command answers, as the command would change
// the host (write the venv a real python makes).
func (a *Answer) Do(f func(system.Cmd)) *Answer { a.do = f; return a }

// Func makes f the command: its result and error are the answer.
func (a *Answer) Func(f func(context.Context, system.Cmd) (*system.Result, error)) *Answer {
	a.fn = f
	return a
}

func (a *Answer) matches(v Verb, argv []string) bool {
	if a.verb != v {
		return false
	}
	if a.prefix || a.argv == nil {
		return len(argv) >= len(a.argv) && slices.Equal(a.argv, argv[:len(a.argv)])
	}
	return slices.Equal(a.argv, argv)
}

// rank orders the allowed answers that match one argv: exact first,
// then the longest prefix.
func (a *Answer) rank() int {
	if a.prefix {
		return len(a.argv)
	}
	return math.MaxInt
}

// Query answers from the script.
func (s *System) Query(ctx context.Context, cmd system.Cmd) (*system.Result, error) {
	return s.command(ctx, Query, cmd)
}

// Run answers from the script.
func (s *System) Run(ctx context.Context, cmd system.Cmd) (*system.Result, error) {
	return s.command(ctx, Run, cmd)
}

// Spawn answers from the script; only the answer's error counts.
func (s *System) Spawn(cmd system.Cmd) error {
	_, err := s.command(context.Background(), Spawn, cmd)
	return err
}

// Dial connects for real: a test serves what it dials (a listener of its
// own), as its files are real files. It is a read, so it is not logged.
func (s *System) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	return system.Dial(ctx, network, addr)
}

// Prove runs the check, as Real does; it is not logged (the commands
// and reads of the check are what a test sees).
func (s *System) Prove(ctx context.Context, _ string, check func(context.Context) error) error {
	return check(ctx)
}

// command finds the answer for cmd: the next expected command, else the
// allowed one that matches best (an exact argv, then the longest prefix,
// the latest of equals: find), else none, and the test fails.
func (s *System) command(ctx context.Context, v Verb, cmd system.Cmd) (*system.Result, error) {
	s.mu.Lock()
	a := s.find(v, cmd.Argv)
	if a == nil {
		var want string
		if len(s.expected) > 0 {
			e := s.expected[0]
			want = fmt.Sprintf("\nwant %s %s", e.verb, system.Quote(e.argv))
		}
		s.mu.Unlock()
		s.t.Errorf("systemtest: unexpected %s %s%s", v, system.Quote(cmd.Argv), want)
		return nil, fmt.Errorf("%s: systemtest: unexpected command", system.Quote(cmd.Argv))
	}
	s.log = append(s.log, entry{verb: v, subject: system.Quote(cmd.Argv), cmd: cmd})
	s.mu.Unlock()
	if a.do != nil {
		a.do(cmd)
	}
	if a.fn != nil {
		return a.fn(ctx, cmd)
	}
	res := &system.Result{Stdout: []byte(a.stdout), Stderr: []byte(a.stderr), ExitCode: a.code}
	switch {
	case a.err != nil:
		return res, a.err
	case a.code != 0:
		return res, &system.ExitError{Argv: cmd.Argv, ExitCode: a.code, Stderr: system.Tail([]byte(a.stderr))}
	}
	return res, nil
}

// find takes the next expected command when cmd is it, else returns the
// allowed one of the highest rank, the latest of equals; s.mu is held.
func (s *System) find(v Verb, argv []string) *Answer {
	if len(s.expected) > 0 && s.expected[0].matches(v, argv) {
		a := s.expected[0]
		s.expected = s.expected[1:]
		return a
	}
	var best *Answer
	for _, a := range s.allowed {
		if a.matches(v, argv) && (best == nil || a.rank() >= best.rank()) {
			best = a
		}
	}
	return best
}

// Exec runs cmd on this machine, as system.Real does: for a Func whose
// command is a stand-in script the test wrote, or a real program (make).
// argv is run as given, so it suits New; a test of NewChroot maps
// argv[0] through Local first. Parallel tests write scripts while others
// fork: a child forked while a script was open for writing holds it open
// until it execs, and running the script fails with "text file busy"
// (golang/go#22315) for that moment, so Exec tries again.
func Exec(ctx context.Context, cmd system.Cmd) (*system.Result, error) {
	for try := 0; ; try++ {
		res, err := system.NewReal().Run(ctx, cmd)
		if !errors.Is(err, syscall.ETXTBSY) || try == 20 {
			return res, err
		}
		time.Sleep(10 * time.Millisecond)
	}
}
