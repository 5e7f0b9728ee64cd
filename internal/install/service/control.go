package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/envup/envup/internal/system"
)

// start starts the server the manager's way and waits for its PONG.
// With checkPort, a port another program holds is an error before
// anything starts (another platform's ports cannot be reached: free).
func (s *Service) start(ctx context.Context, sys system.System, manager string, have *Found, checkPort bool) error {
	if checkPort {
		if err := s.portFree(ctx, sys, s.endpoint(nil)); err != nil {
			return err
		}
	}
	if err := sys.MkdirAll(s.layout().data, 0o755); err != nil {
		return err
	}
	if _, err := s.writeUnit(ctx, sys, manager, have); err != nil {
		return err
	}
	if err := s.launch(ctx, sys, manager, have); err != nil {
		return err
	}
	return s.awaitPONG(ctx, sys, manager)
}

// restart stops the running server and starts have: systemd restarts
// its unit itself; elsewhere the old server is stopped (with the config
// it runs with), waited for, and have started.
func (s *Service) restart(ctx context.Context, sys system.System, st *State, have *Found) error {
	if st.Manager == managerSystemd {
		if _, err := sys.Run(ctx, systemctl("restart", s.unitName(managerSystemd))); err != nil {
			return err
		}
		return s.awaitPONG(ctx, sys, st.Manager)
	}
	if err := s.stop(ctx, sys, st.Manager, have, st.Running, st.confHave); err != nil {
		return err
	}
	// stop proved the port free (a plan stopped nothing, so there the
	// old server still holds it): no port check.
	return s.start(ctx, sys, st.Manager, have, false)
}

// stop asks the server to stop and waits until it has: gone, and its
// port free. A plan stopped nothing, so it records the wait.
func (s *Service) stop(ctx context.Context, sys system.System, manager string, have *Found, p *Process, conf []byte) error {
	if err := s.halt(ctx, sys, manager, have, p, conf); err != nil {
		return err
	}
	what := fmt.Sprintf("%s has stopped and port %d is free", s.kind.server, s.endpoint(conf).port)
	return sys.Prove(ctx, what, func(ctx context.Context) error { return s.awaitGone(ctx, sys, conf) })
}

// awaitPONG waits for the server just started to answer PING. A plan
// started nothing, so it records the check instead. A server that does
// not answer in time is said with the end of its log.
func (s *Service) awaitPONG(ctx context.Context, sys system.System, manager string) error {
	e := s.endpoint(nil)
	err := sys.Prove(ctx, fmt.Sprintf("%s answers PING on %s", s.kind.name, e.addr), func(ctx context.Context) error {
		return s.waitPONG(ctx, sys, e, s.deadline)
	})
	if err == nil {
		return nil
	}
	l := s.layout()
	msg := fmt.Sprintf("%s did not start: %v", s.kind.server, err)
	if tail := s.logTail(sys, l.log); tail != "" {
		msg += "; the end of " + l.log + ": " + tail
	}
	if manager == managerSystemd {
		msg += "; see systemctl --user status " + s.unitName(manager)
	}
	return fmt.Errorf("%s", msg)
}

// logTail is the last lines of the server's log, on one line.
func (s *Service) logTail(sys system.System, name string) string {
	data, err := sys.ReadFile(name)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, "; ")
}

// Status is a service's state for `envup services status`.
type Status struct {
	Service   string `json:"service"` // the recipe's key
	Kind      string `json:"kind"`    // redis or valkey
	Version   string `json:"version,omitempty"`
	Path      string `json:"path,omitempty"`   // the server program; "" when not installed
	Origin    string `json:"origin,omitempty"` // envup or system
	Config    string `json:"config"`           // envup's config file
	Log       string `json:"log"`
	Port      int    `json:"port"`
	Manager   string `json:"manager"` // systemd, launchd, windows-service or process
	Running   bool   `json:"running"`
	PID       int    `json:"pid,omitempty"`
	Answering bool   `json:"answering"` // PING → PONG on the port
}

// Status says whether the service is installed, how it runs, whether it
// runs and whether its port answers PING. It changes nothing.
func (s *Service) Status(ctx context.Context, sys system.System) (Status, error) {
	l := s.layout()
	out := Status{Service: s.key, Kind: s.kind.name, Config: l.conf, Log: l.log, Port: s.spec.Port}
	have, err := s.src.Satisfying(ctx, sys)
	if err != nil {
		return out, err
	}
	if have != nil {
		out.Version, out.Path, out.Origin = have.Version, have.Path, have.Origin
	}
	conf, err := readIfThere(sys, l.conf)
	if err != nil {
		return out, err
	}
	out.Manager = s.chooseManager(ctx, sys, conf)
	p, err := s.running(ctx, sys, conf)
	if err != nil {
		return out, err
	}
	if p != nil {
		out.Running, out.PID = true, p.PID
	}
	e := s.endpoint(conf)
	out.Port = e.port
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	out.Answering = s.ping(pctx, sys, e) == nil
	cancel()
	return out, nil
}

// Start starts the installed server when it is not running and waits
// for its PONG (`envup services start`); its config is brought up to
// date first, and a running server whose config changed is restarted.
func (s *Service) Start(ctx context.Context, sys system.System) error {
	have, err := s.src.Satisfying(ctx, sys)
	if err != nil {
		return err
	}
	if have == nil {
		return fmt.Errorf("no %s %s is installed here: run envup apply first", s.kind.name, s.spec.Version)
	}
	st, err := s.Observe(ctx, sys)
	if err != nil {
		return err
	}
	return s.converge(ctx, sys, st, true)
}

// Stop stops the running server and waits until it has gone (`envup
// services stop`). A server that does not run is no error.
func (s *Service) Stop(ctx context.Context, sys system.System) error {
	conf, err := readIfThere(sys, s.layout().conf)
	if err != nil {
		return err
	}
	p, err := s.running(ctx, sys, conf)
	if err != nil || p == nil {
		return err
	}
	have, err := s.src.Satisfying(ctx, sys)
	if err != nil {
		return err
	}
	return s.stop(ctx, sys, s.chooseManager(ctx, sys, conf), have, p, conf)
}
