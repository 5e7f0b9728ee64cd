package system

import (
	"context"
	"errors"
	"fmt"
)

// Spawn starts cmd detached (see detach) and lets it go.
func (*Real) Spawn(c Cmd) error {
	if len(c.Argv) == 0 {
		return errors.New("spawn: empty argv")
	}
	// not bound to a context: the server outlives this run
	cmd := command(context.Background(), c)
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
