package service

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/envup/envup/internal/system"
)

// A plain RESP PING, and AUTH when the config sets requirepass.
const pingRequest = "*1\r\n$4\r\nPING\r\n"

func authRequest(password string) string {
	return fmt.Sprintf("*2\r\n$4\r\nAUTH\r\n$%d\r\n%s\r\n", len(password), password)
}

// endpoint is where a server with config conf (nil: the one the recipe
// wants) answers: a loopback address it binds, its port, and its
// password.
type endpoint struct {
	addr     string
	port     int
	password string
}

func (s *Service) endpoint(conf []byte) endpoint {
	e := endpoint{port: s.spec.Port, password: s.directive("requirepass")}
	bind := s.directive("bind")
	if conf != nil {
		if p, err := strconv.Atoi(configValue(conf, "port")); err == nil && p > 0 {
			e.port = p
		}
		e.password = configValue(conf, "requirepass")
		bind = configValue(conf, "bind")
	}
	e.addr = net.JoinHostPort(pingHost(bind), strconv.Itoa(e.port))
	return e
}

// directive is the recipe's value for a config directive, whatever
// its case ("" when it sets none).
func (s *Service) directive(name string) string {
	for k, v := range s.spec.Config {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// pingHost is the address to reach a server that binds bind on: its
// first address, loopback for a wildcard.
func pingHost(bind string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(bind), " ")
	first = strings.TrimPrefix(first, "-")
	switch first {
	case "", "*", "0.0.0.0", "localhost":
		return "127.0.0.1"
	case "::", "::*", "[::]":
		return "::1"
	}
	return first
}

// ping asks the server at e once, through the host's network: nil when
// it answers +PONG.
func (s *Service) ping(ctx context.Context, sys system.System, e endpoint) error {
	conn, err := sys.Dial(ctx, "tcp", e.addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(2 * time.Second)
	}
	if err := conn.SetDeadline(deadline); err != nil {
		return err
	}
	r := bufio.NewReader(conn)
	if e.password != "" {
		if _, err := conn.Write([]byte(authRequest(e.password))); err != nil {
			return err
		}
		if line, err := readLine(r); err != nil {
			return err
		} else if line != "+OK" {
			return fmt.Errorf("AUTH answered %q", line)
		}
	}
	if _, err := conn.Write([]byte(pingRequest)); err != nil {
		return err
	}
	line, err := readLine(r)
	if err != nil {
		return err
	}
	if line != "+PONG" {
		return fmt.Errorf("answered %q, not +PONG", line)
	}
	return nil
}

func readLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// waitPONG polls e every s.every until it answers PONG, for at most
// within. Each try has the rest of the time; a failure says what the
// last whole try got.
func (s *Service) waitPONG(ctx context.Context, sys system.System, e endpoint, within time.Duration) error {
	wctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	tick := time.NewTicker(s.every)
	defer tick.Stop()
	var last error
	for {
		err := s.ping(wctx, sys, e)
		if err == nil {
			return nil
		}
		// A try the deadline cut short says less than the one before.
		var ne net.Error
		if cut := errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout(); last == nil || !cut {
			last = err
		}
		select {
		case <-wctx.Done():
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("no PONG from %s within %s: %w", e.addr, within, last)
		case <-tick.C:
		}
	}
}

// PortTakenError is a port the service wants that another program holds.
type PortTakenError struct {
	Port    int
	PID     int    // 0 when unknown
	Program string // its name, when known
}

func (e *PortTakenError) Error() string {
	who := "pid unknown"
	if e.PID > 0 {
		who = "pid " + strconv.Itoa(e.PID)
		if e.Program != "" {
			who += ", " + e.Program
		}
	}
	return fmt.Sprintf("port %d is taken by another program (%s); set port: in the recipe", e.Port, who)
}

// portFree fails with a *PortTakenError when something already accepts
// connections on the service's port: a server would not bind it, and
// waiting for its PONG would only time out. A port that cannot be
// reached (another platform's) is free.
func (s *Service) portFree(ctx context.Context, sys system.System, e endpoint) error {
	dctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	conn, err := sys.Dial(dctx, "tcp", e.addr)
	if err != nil {
		return nil //nolint:nilerr // nothing answers: the port is free
	}
	_ = conn.Close()
	taken := &PortTakenError{Port: e.port}
	if s.p.OS == "linux" {
		taken.PID, taken.Program = listener(sys, s.p, s.proc, e.port)
	}
	return taken
}
