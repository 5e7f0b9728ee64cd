package service

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

func testService(t *testing.T, port int, config map[string]string) *Service {
	t.Helper()
	f := newFixture(t)
	s := f.service(&recipe.Service{Version: "7", Port: port, Config: config})
	return s
}

func TestWaitPONGPollsUntilTheServerHasLoaded(t *testing.T) {
	t.Parallel()
	srv := serveRESP(t, "127.0.0.1:0", func(_ []string, pings int) string {
		if pings < 4 {
			return "-LOADING Redis is loading the dataset in memory"
		}
		return "+PONG"
	})
	s := testService(t, srv.port(), nil)
	if err := s.waitPONG(t.Context(), system.NewReal(), s.endpoint(nil), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if n := srv.pinged(); n != 4 {
		t.Errorf("pinged %d times, want 4", n)
	}
}

func TestWaitPONGGivesUpAtItsDeadline(t *testing.T) {
	t.Parallel()
	srv := serveRESP(t, "127.0.0.1:0", func([]string, int) string { return "-ERR unknown command" })
	s := testService(t, srv.port(), nil)
	start := time.Now()
	err := s.waitPONG(t.Context(), system.NewReal(), s.endpoint(nil), 300*time.Millisecond)
	want := "no PONG from 127.0.0.1:" + strconv.Itoa(srv.port()) + " within 300ms: answered \"-ERR unknown command\", not +PONG"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("gave up after %s", took)
	}
	if n := srv.pinged(); n < 3 {
		t.Errorf("pinged %d times in 300ms at one try every 50ms", n)
	}
}

func TestWaitPONGWithNothingListening(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	s := testService(t, port, nil)
	err = s.waitPONG(t.Context(), system.NewReal(), s.endpoint(nil), 200*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "within 200ms") {
		t.Fatalf("err = %v", err)
	}
}

func TestPingAuthenticatesWithRequirepass(t *testing.T) {
	t.Parallel()
	authed := false
	srv := serveRESP(t, "127.0.0.1:0", func(cmd []string, _ int) string {
		switch strings.ToUpper(cmd[0]) {
		case "AUTH":
			if len(cmd) == 2 && cmd[1] == "s3cret" {
				authed = true
				return "+OK"
			}
			return "-WRONGPASS invalid username-password pair"
		case "PING":
			if !authed {
				return "-NOAUTH Authentication required."
			}
			return "+PONG"
		}
		return "-ERR"
	})
	s := testService(t, srv.port(), map[string]string{"requirepass": "s3cret"})
	if err := s.ping(t.Context(), system.NewReal(), s.endpoint(nil)); err != nil {
		t.Fatal(err)
	}
	wrong := testService(t, srv.port(), map[string]string{"requirepass": "guess"})
	if err := wrong.ping(t.Context(), system.NewReal(), wrong.endpoint(nil)); err == nil || !strings.Contains(err.Error(), "WRONGPASS") {
		t.Errorf("a wrong password: err = %v", err)
	}
}

func TestPortTakenByAnotherProgramIsAClearError(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	srv := serveRESP(t, "127.0.0.1:0", nil) // some other program's server
	installTree(t, f, "7.2.4")
	s := f.service(&recipe.Service{Version: "7.2", Port: srv.port(), Start: true})
	s.proc = "/proc" // the real process table: the listener is this test's
	_, err := f.apply(s)
	var taken *PortTakenError
	if !errors.As(err, &taken) || taken.Port != srv.port() {
		t.Fatalf("err = %v, want a *PortTakenError for port %d", err, srv.port())
	}
	if _, statErr := os.Stat("/proc/self/net/tcp"); statErr == nil {
		if taken.PID != os.Getpid() {
			t.Errorf("pid = %d, want this test's %d", taken.PID, os.Getpid())
		}
		want := "port " + strconv.Itoa(srv.port()) + " is taken by another program (pid " + strconv.Itoa(os.Getpid()) + ", "
		if !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "); set port: in the recipe") {
			t.Errorf("err = %q", err)
		}
	}
	for _, ran := range f.sys.Ran() {
		if strings.Contains(ran, "redis-server") && !strings.HasSuffix(ran, "--version") {
			t.Errorf("the server was started on a taken port: %s", ran)
		}
	}
	if _, err := os.Stat(filepath.Join(f.p.Dirs.State, "services", "redis", "redis.pid")); err == nil {
		t.Error("a pidfile appeared")
	}
}

func TestPortTakenErrorWithoutPID(t *testing.T) {
	t.Parallel()
	err := &PortTakenError{Port: 6379}
	if got := err.Error(); got != "port 6379 is taken by another program (pid unknown); set port: in the recipe" {
		t.Errorf("%q", got)
	}
}

func TestListeningInodes(t *testing.T) {
	t.Parallel()
	table := `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41721 1 0000000000000000 100 0 0 10 0
   1: 0100007F:18EB 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000  1000        0 41999 1 0000000000000000 20 4 30 10 -1
   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0
`
	got := listeningInodes(table, 6379)
	if len(got) != 1 || !got["41721"] {
		t.Errorf("listeningInodes = %v, want only 41721 (6379 is 18EB; the connected socket is not listening)", got)
	}
}

func TestVerifySaysWhenThereIsNoPONG(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	f := newFixture(t)
	s := f.service(&recipe.Service{Version: "7", Port: port, Start: true})
	err = s.Verify(t.Context(), f.sys, &State{Have: &Found{Version: "7.2.4"}})
	if err == nil || !strings.HasPrefix(err.Error(), "redis on 127.0.0.1:"+strconv.Itoa(port)+" does not answer PING: no PONG") {
		t.Errorf("err = %v", err)
	}
	quiet := f.service(&recipe.Service{Version: "7", Port: port})
	if err := quiet.Verify(t.Context(), f.sys, &State{Have: &Found{Version: "7.2.4"}}); err != nil {
		t.Errorf("start: false verified the port: %v", err)
	}
}
