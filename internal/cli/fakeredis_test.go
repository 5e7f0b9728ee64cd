package cli

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// fakeRedisVersion is what the stand-in server says it is.
const fakeRedisVersion = "7.0.99"

// fakeRedisServer stands in for redis-server in the CLI scripts: a source
// tarball's `make install` copies the test binary in under that name. It
// reads port, pidfile and daemonize from the config, answers PING and
// SHUTDOWN, and daemonizes by starting itself again in the background.
func fakeRedisServer() {
	args := os.Args[1:]
	if len(args) == 1 && (args[0] == "--version" || args[0] == "-v") {
		fmt.Printf("Redis server v=%s sha=00000000:0 malloc=libc bits=64 build=1\n", fakeRedisVersion)
		return
	}
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "fake redis-server: want one config file")
		os.Exit(1)
	}
	conf := map[string]string{}
	data, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), " "); ok && !strings.HasPrefix(k, "#") {
			conf[k] = strings.Trim(v, `"`)
		}
	}
	if conf["daemonize"] == "yes" && os.Getenv("FAKE_REDIS_CHILD") == "" {
		self, err := os.Executable()
		if err != nil {
			os.Exit(1)
		}
		child := exec.Command(self, args[0])
		child.Env = append(os.Environ(), "FAKE_REDIS_CHILD=1")
		if err := child.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+conf["port"])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if conf["pidfile"] != "" {
		_ = os.WriteFile(conf["pidfile"], []byte(fmt.Sprintf("%d\n", os.Getpid())), 0o644)
	}
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		if serveRESP(conn) {
			_ = os.Remove(conf["pidfile"])
			return
		}
	}
}

// serveRESP answers one connection; it reports whether SHUTDOWN came.
func serveRESP(conn net.Conn) bool {
	defer conn.Close()
	r := bufio.NewReader(conn)
	for {
		words, err := readRESP(r)
		if err != nil || len(words) == 0 {
			return false
		}
		switch strings.ToUpper(words[0]) {
		case "PING":
			fmt.Fprint(conn, "+PONG\r\n")
		case "SHUTDOWN":
			return true
		default:
			fmt.Fprintf(conn, "-ERR unknown command '%s'\r\n", words[0])
		}
	}
}

// readRESP reads one command: an array of bulk strings, or an inline line.
func readRESP(r *bufio.Reader) ([]string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "*") {
		return strings.Fields(line), nil
	}
	var n int
	fmt.Sscanf(line, "*%d", &n)
	words := make([]string, 0, n)
	for range n {
		if _, err := r.ReadString('\n'); err != nil { // $len
			return nil, err
		}
		w, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		words = append(words, strings.TrimSpace(w))
	}
	return words, nil
}

// fakeRedisCli stands in for redis-cli: [-h HOST] [-p PORT] COMMAND...
func fakeRedisCli() {
	host, port, args := "127.0.0.1", "6379", os.Args[1:]
	for len(args) >= 2 && (args[0] == "-h" || args[0] == "-p") {
		if args[0] == "-h" {
			host = args[1]
		} else {
			port = args[1]
		}
		args = args[2:]
	}
	conn, err := net.Dial("tcp", net.JoinHostPort(host, port))
	if err != nil {
		fmt.Fprintf(os.Stderr, "Could not connect to Redis at %s:%s: Connection refused\n", host, port)
		os.Exit(1)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(conn, "$%d\r\n%s\r\n", len(a), a)
	}
	if strings.EqualFold(args[0], "shutdown") {
		return
	}
	reply, _ := bufio.NewReader(conn).ReadString('\n')
	fmt.Println(strings.TrimPrefix(strings.TrimSpace(reply), "+"))
}

// cmdSHA256 sets an environment variable to a file's sha256:
// sha256 FILE VAR.
func cmdSHA256(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: sha256 FILE VAR")
	}
	sum := sha256.Sum256([]byte(ts.ReadFile(args[0])))
	ts.Setenv(args[1], hex.EncodeToString(sum[:]))
}

// cmdExpand writes IN to OUT with $VARS expanded from the script's
// environment: expand IN OUT.
func cmdExpand(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: expand IN OUT")
	}
	out := os.Expand(ts.ReadFile(args[0]), ts.Getenv)
	if err := os.WriteFile(ts.MkAbs(args[1]), []byte(out), 0o644); err != nil {
		ts.Fatalf("expand: %v", err)
	}
}

// cmdFreePort sets an environment variable to a free loopback port:
// freeport VAR.
func cmdFreePort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: freeport VAR")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ts.Fatalf("freeport: %v", err)
	}
	defer l.Close()
	ts.Setenv(args[0], fmt.Sprint(l.Addr().(*net.TCPAddr).Port))
}
