package service

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// Process is a running server of this service.
type Process struct {
	PID int `json:"pid,omitempty"` // 0 when not known (Windows)
}

// running finds the server envup runs for this service, given the config
// it was started with (conf; nil when there is none), and spawns nothing.
//
// On Linux the pidfile names a pid and /proc/<pid>/cmdline says whether
// that process is the server (a stale pidfile names a dead pid, or one
// reused by another program). Elsewhere telling whether a pid is alive
// takes OS-specific code (kill(pid, 0), OpenProcess) that package system
// does not have, so a pidfile is believed when the port answers PING,
// and on Windows, where the ports write none, the PING alone says it.
// Another platform's host has no pidfile and answers no PING: nothing
// runs there.
func (s *Service) running(ctx context.Context, sys system.System, conf []byte) (*Process, error) {
	pid := 0
	if s.p.OS != "windows" {
		data, err := sys.ReadFile(s.layout().pid)
		if err != nil {
			return nil, nil //nolint:nilerr // no pidfile: not running
		}
		pid, err = strconv.Atoi(strings.TrimSpace(string(data)))
		if err != nil || pid <= 0 {
			return nil, nil //nolint:nilerr // a pidfile without a pid says nothing
		}
	}
	if s.p.OS == "linux" {
		if s.isServer(sys, pid) {
			return &Process{PID: pid}, nil
		}
		return nil, nil
	}
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if s.ping(pctx, sys, s.endpoint(conf)) == nil {
		return &Process{PID: pid}, nil
	}
	return nil, nil
}

// isServer says whether process pid is this kind's server, from its
// command line: the server rewrites it to "redis-server 127.0.0.1:6379",
// or it is still "/path/redis-server /path/redis.conf".
func (s *Service) isServer(sys system.System, pid int) bool {
	data, err := sys.ReadFile(s.p.Join(s.proc, strconv.Itoa(pid), "cmdline"))
	if err != nil || len(data) == 0 {
		return false // gone, or a zombie
	}
	cmdline := string(data)
	for _, name := range append([]string{s.kind.server}, s.kind.aliases...) {
		if strings.Contains(cmdline, name) {
			return true
		}
	}
	return false
}

// awaitGone polls until the server started with conf is no longer
// running, for at most s.deadline.
func (s *Service) awaitGone(ctx context.Context, sys system.System, conf []byte) error {
	wctx, cancel := context.WithTimeout(ctx, s.deadline)
	defer cancel()
	tick := time.NewTicker(s.every)
	defer tick.Stop()
	for {
		p, err := s.running(wctx, sys, conf)
		if err != nil {
			return err
		}
		// A server removes its pidfile a moment before it closes its
		// listener: gone means both, or a restart finds the port taken.
		if p == nil && s.portFree(wctx, sys, s.endpoint(conf)) == nil {
			return nil
		}
		select {
		case <-wctx.Done():
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if p == nil {
				return fmt.Errorf("%s stopped, but port %d still answers %s later", s.kind.server, s.endpoint(conf).port, s.deadline)
			}
			return fmt.Errorf("%s (pid %d) still runs %s after it was asked to stop", s.kind.server, p.PID, s.deadline)
		case <-tick.C:
		}
	}
}

// listener finds, through /proc, which process listens on TCP port: the
// socket's inode from /proc/net/tcp and tcp6, then the process holding a
// descriptor to it. 0 and "" when it cannot tell (another user's
// process, whose descriptors cannot be read).
func listener(sys system.System, host detect.Platform, proc string, port int) (pid int, program string) {
	inodes := map[string]bool{}
	for _, table := range []string{"tcp", "tcp6"} {
		data, err := sys.ReadFile(host.Join(proc, "net", table))
		if err != nil {
			continue
		}
		for inode := range listeningInodes(string(data), port) {
			inodes[inode] = true
		}
	}
	if len(inodes) == 0 {
		return 0, ""
	}
	procs, err := sys.ReadDir(proc)
	if err != nil {
		return 0, ""
	}
	for _, p := range procs {
		n, err := strconv.Atoi(p.Name())
		if err != nil {
			continue
		}
		fdDir := host.Join(proc, p.Name(), "fd")
		fds, err := sys.ReadDir(fdDir)
		if err != nil {
			continue
		}
		for _, fd := range fds {
			target, err := sys.Readlink(host.Join(fdDir, fd.Name()))
			if err != nil {
				continue
			}
			if inode, ok := strings.CutPrefix(target, "socket:["); ok && inodes[strings.TrimSuffix(inode, "]")] {
				comm, _ := sys.ReadFile(host.Join(proc, p.Name(), "comm"))
				return n, strings.TrimSpace(string(comm))
			}
		}
	}
	return 0, ""
}

// listeningInodes reads a /proc/net/tcp table: the inodes of the sockets
// listening (state 0A) on port.
func listeningInodes(table string, port int) map[string]bool {
	out := map[string]bool{}
	want := fmt.Sprintf(":%04X", port)
	for _, line := range strings.Split(table, "\n") {
		f := strings.Fields(line)
		// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
		if len(f) < 10 || f[3] != "0A" || !strings.HasSuffix(f[1], want) {
			continue
		}
		out[f[9]] = true
	}
	return out
}
