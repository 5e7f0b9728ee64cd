package system

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// Spawn starts cmd detached (see detach) and lets it go.
func (*Real) Spawn(c Cmd) error {
	if len(c.Argv) == 0 {
		return errors.New("spawn: empty argv")
	}
	logExec(c.Argv)
	cmd := exec.Command(c.Argv[0], c.Argv[1:]...)
	cmd.Dir = c.Dir
	if len(c.Env) > 0 {
		cmd.Env = append(os.Environ(), c.Env...)
	}
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%s: %w", Quote(c.Argv), err)
	}
	return cmd.Process.Release()
}

// Spawn cannot change the host.
func (Absent) Spawn(c Cmd) error { return fmt.Errorf("%s: %w", Quote(c.Argv), ErrNotObserved) }

// Spawn refuses.
func (s *ReadOnly) Spawn(c Cmd) error { return refuse("start", Quote(c.Argv)) }

// Spawn records the start.
func (s *DryRun) Spawn(c Cmd) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record(Step{Verb: "start", Target: Quote(c.Argv), Argv: append([]string(nil), c.Argv...), Dir: c.Dir})
	return nil
}
