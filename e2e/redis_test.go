//go:build e2e

package e2e

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// redisSource is Debian's copy of Redis 7.0.15's source. It is not byte
// for byte upstream's tarball, so the recipe pins Debian's own digest.
const (
	redisSource = "redis"
	redisSHA256 = "4b1dc4ee6d622a09fff9c6777191209750fb5e5a725ef78ea012d6eef4c22982"
)

// TestRedisBuildStartPingStop builds the real Redis 7.0.15 from its source
// tarball through a mirror folder, starts it on a free port, gets PONG
// through redis-cli and through a Go client, stops it, and checks that a
// second apply does not build again.
func TestRedisBuildStartPingStop(t *testing.T) {
	m := newMachine(t)
	mirror := t.TempDir()
	work := t.TempDir()
	cmd := exec.CommandContext(t.Context(), "apt-get", "source", "--download-only", "-qq", redisSource)
	cmd.Dir = work
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("apt-get source redis: %v\n%s", err, out)
	}
	origs, _ := filepath.Glob(filepath.Join(work, "redis_7.0.15.orig.tar.gz"))
	if len(origs) != 1 {
		t.Fatalf("no redis_7.0.15.orig.tar.gz from apt-get source")
	}
	if err := os.Rename(origs[0], filepath.Join(mirror, "redis-7.0.15.tar.gz")); err != nil {
		t.Fatal(err)
	}

	port := freePort(t)
	envupHome := filepath.Join(m.home, ".envup")
	recipe := filepath.Join(t.TempDir(), "redis.yml")
	writeFile(t, recipe, `envup: 1
services:
  redis:
    version: "7.0.15"
    sources: [build]
    source: {url: "https://download.redis.io/releases/redis-7.0.15.tar.gz", sha256: `+redisSHA256+`}
    port: `+strconv.Itoa(port)+`
    config: {maxmemory: 64mb, appendonly: "yes"}
    start: true
checks:
  - name: redis answers
    run: ["`+envupHome+`/bin/redis-cli", -p, "`+strconv.Itoa(port)+`", ping]
    expect: PONG
`)
	t.Cleanup(func() { m.envup(-1, "services", "stop", recipe) })

	start := time.Now()
	out := m.envup(0, "apply", "--mirror", mirror, "--offline", recipe)
	t.Logf("build, start and PONG took %s", time.Since(start).Round(time.Second))
	if !strings.Contains(out, "ok   redis answers") {
		t.Fatalf("redis-cli does not get PONG:\n%s", out)
	}
	if got := ping(t, port); got != "+PONG" {
		t.Fatalf("a Go client got %q, want +PONG", got)
	}

	execLog := filepath.Join(t.TempDir(), "exec.log")
	m.env = []string{"ENVUP_EXEC_LOG=" + execLog}
	out = m.envup(0, "apply", "--mirror", mirror, "--offline", recipe)
	if !strings.Contains(out, "Nothing to change") {
		t.Errorf("second apply changed something:\n%s", out)
	}
	if spawned, _ := os.ReadFile(execLog); strings.Contains(string(spawned), "make") {
		t.Errorf("second apply built again:\n%s", spawned)
	}

	m.envup(0, "services", "stop", recipe)
	if conn, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second); err == nil {
		conn.Close()
		t.Errorf("redis still answers on %d after services stop", port)
	}
	start = time.Now()
	out = m.envup(0, "apply", "--mirror", mirror, "--offline", recipe)
	t.Logf("apply to PONG, already built: %s", time.Since(start).Round(time.Millisecond))
	if got := ping(t, port); got != "+PONG" {
		t.Fatalf("after a restart a Go client got %q:\n%s", got, out)
	}
}

// freePort asks the kernel for a free loopback port.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// ping sends one RESP PING and returns the reply line.
func ping(t *testing.T, port int) string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 2*time.Second)
	if err != nil {
		t.Fatalf("dial redis: %v", err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := conn.Write([]byte("*1\r\n$4\r\nPING\r\n")); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatalf("read PING reply: %v", err)
	}
	return strings.TrimSpace(line)
}
