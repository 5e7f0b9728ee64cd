//go:build ansible

package ansible

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// prefix names everything the test makes on the machine (users, network
// namespaces, veth links), so a run killed half-way is cleaned up by the
// next one: nothing else on a machine is called envupans*.
const prefix = "envupans"

// seat is one machine of the lab: a Unix user with its own HOME, and an
// sshd of its own in a network namespace of its own, reached from the
// controller (this host) over a veth pair on a private /30.
type seat struct {
	name    string // the inventory's name: seat1
	user    string // envupans1
	home    string
	ns      string // the network namespace: envupans-1
	hostIP  string // the controller's end: 10.213.1.1
	seatIP  string // the seat's end, where its sshd listens: 10.213.1.2
	hostKey string // the sshd's public host key, for known_hosts
}

// link is the controller's end of the seat's veth pair (the seat's end
// goes with the namespace when it is deleted).
func (s *seat) link() string { return strings.TrimPrefix(s.ns, prefix+"-") + prefix + "h" }

// newSeats makes n seats that accept the public key pub, after removing
// whatever a killed run left; each is removed when the test ends, failed
// or not.
func newSeats(t *testing.T, n int, pub string) []*seat {
	t.Helper()
	removeLeftovers(t, n)
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil { // sshd's privilege separation folder
		t.Fatal(err)
	}
	var seats []*seat
	for i := 1; i <= n; i++ {
		s := &seat{
			name:   "seat" + strconv.Itoa(i),
			user:   prefix + strconv.Itoa(i),
			ns:     prefix + "-" + strconv.Itoa(i),
			hostIP: fmt.Sprintf("10.213.%d.1", i),
			seatIP: fmt.Sprintf("10.213.%d.2", i),
		}
		s.home = "/home/" + s.user
		t.Cleanup(func() { removeSeat(t, s) })
		s.create(t, pub)
		seats = append(seats, s)
	}
	return seats
}

// create makes the seat's user, network and sshd, and waits until the
// sshd answers.
func (s *seat) create(t *testing.T, pub string) {
	t.Helper()
	// "*" as the password: no password works, and sshd (without PAM) does
	// not take the account for locked as it would with useradd's "!".
	mustRun(t, "useradd", "--create-home", "--home-dir", s.home, "--shell", "/bin/bash", "--password", "*", s.user)
	ssh := filepath.Join(s.home, ".ssh")
	writeFile(t, filepath.Join(ssh, "authorized_keys"), pub, 0o600)
	mustRun(t, "chmod", "0700", ssh)
	mustRun(t, "chown", "-R", s.user+":"+s.user, ssh)

	peer := strings.TrimPrefix(s.ns, prefix+"-") + prefix + "s"
	mustRun(t, "ip", "netns", "add", s.ns)
	mustRun(t, "ip", "link", "add", s.link(), "type", "veth", "peer", "name", peer)
	mustRun(t, "ip", "link", "set", peer, "netns", s.ns)
	mustRun(t, "ip", "addr", "add", s.hostIP+"/30", "dev", s.link())
	mustRun(t, "ip", "link", "set", s.link(), "up")
	mustRun(t, "ip", "-n", s.ns, "addr", "add", s.seatIP+"/30", "dev", peer)
	mustRun(t, "ip", "-n", s.ns, "link", "set", peer, "up")
	mustRun(t, "ip", "-n", s.ns, "link", "set", "lo", "up")

	dir := t.TempDir()
	key := filepath.Join(dir, "host_ed25519")
	mustRun(t, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", s.name, "-f", key)
	pubKey, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	s.hostKey = strings.TrimSpace(string(pubKey))
	config := filepath.Join(dir, "sshd_config")
	writeFile(t, config, strings.Join([]string{
		"ListenAddress " + s.seatIP,
		"HostKey " + key,
		"PidFile " + filepath.Join(dir, "sshd.pid"),
		"AllowUsers " + s.user,
		"AuthenticationMethods publickey",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"UsePAM no",
		"Subsystem sftp /usr/lib/openssh/sftp-server",
		"",
	}, "\n"), 0o600)
	// sshd -D stays in the foreground; it and every session it starts are
	// in the namespace, where removeSeat finds and ends them.
	sshd := exec.Command("ip", "netns", "exec", s.ns, "/usr/sbin/sshd", "-D", "-e", "-f", config)
	var log bytes.Buffer
	sshd.Stdout, sshd.Stderr = &log, &log
	if err := sshd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- sshd.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", net.JoinHostPort(s.seatIP, "22"), time.Second)
		if err == nil {
			conn.Close()
			return
		}
		select {
		case err := <-done:
			t.Fatalf("%s: sshd ended: %v\n%s", s.name, err, log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: sshd does not answer on %s:22 after 20 s: %v\n%s", s.name, s.seatIP, err, log.String())
		}
		time.Sleep(50 * time.Millisecond) // polling a port with a deadline, not waiting blind
	}
}

// removeLeftovers removes what a killed run of this test left: its
// seats' processes, namespaces, links and users.
func removeLeftovers(t *testing.T, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		removeSeat(t, &seat{user: prefix + strconv.Itoa(i), ns: prefix + "-" + strconv.Itoa(i)})
	}
}

// removeSeat ends every process in the seat's namespace (its sshd and
// the sessions it started: all this test's), then deletes the
// namespace, the link and the user with its home. What is not there is
// skipped; what cannot be removed fails the test.
func removeSeat(t *testing.T, s *seat) {
	t.Helper()
	ctx := context.Background() // also in a Cleanup, after the test's context ended
	if out, err := exec.CommandContext(ctx, "ip", "netns", "pids", s.ns).Output(); err == nil {
		for _, f := range strings.Fields(string(out)) {
			if pid, err := strconv.Atoi(f); err == nil {
				if p, err := os.FindProcess(pid); err == nil {
					_ = p.Kill()
				}
			}
		}
		waitGone(t, s.ns)
		if out, err := exec.CommandContext(ctx, "ip", "netns", "del", s.ns).CombinedOutput(); err != nil {
			t.Errorf("ip netns del %s: %v\n%s", s.ns, err, out)
		}
	}
	if exec.CommandContext(ctx, "ip", "link", "show", s.link()).Run() == nil {
		if out, err := exec.CommandContext(ctx, "ip", "link", "del", s.link()).CombinedOutput(); err != nil {
			t.Errorf("ip link del %s: %v\n%s", s.link(), err, out)
		}
	}
	if exec.CommandContext(ctx, "id", s.user).Run() == nil {
		if out, err := exec.CommandContext(ctx, "userdel", "--remove", s.user).CombinedOutput(); err != nil {
			t.Errorf("userdel %s: %v\n%s", s.user, err, out)
		}
	}
}

// waitGone waits until no process is left in the namespace (killed
// processes take a moment to be reaped), up to 10 s.
func waitGone(t *testing.T, ns string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		out, err := exec.Command("ip", "netns", "pids", ns).Output()
		if err != nil || len(bytes.TrimSpace(out)) == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("processes still in %s after 10 s", ns)
}

func mustRun(t *testing.T, argv ...string) string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
	}
	return string(out)
}

func writeFile(t *testing.T, name, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}
