package service

import (
	"bufio"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// respServer is a tiny stand-in for a server's port: it reads RESP
// commands and answers them with answer (PING → +PONG by default).
type respServer struct {
	l net.Listener

	mu     sync.Mutex
	pings  int
	answer func(cmd []string, pings int) string
}

// serveRESP listens on addr ("127.0.0.1:0" for any port) until the test
// ends or close is called.
func serveRESP(t *testing.T, addr string, answer func(cmd []string, pings int) string) *respServer {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if answer == nil {
		answer = func([]string, int) string { return "+PONG" }
	}
	r := &respServer{l: l, answer: answer}
	t.Cleanup(r.close)
	go r.serve()
	return r
}

func (r *respServer) port() int { return r.l.Addr().(*net.TCPAddr).Port }

func (r *respServer) close() { _ = r.l.Close() }

func (r *respServer) serve() {
	for {
		c, err := r.l.Accept()
		if err != nil {
			return
		}
		go r.conn(c)
	}
}

func (r *respServer) conn(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	for {
		cmd, err := readCommand(br)
		if err != nil {
			return
		}
		r.mu.Lock()
		if strings.EqualFold(cmd[0], "PING") {
			r.pings++
		}
		reply := r.answer(cmd, r.pings)
		r.mu.Unlock()
		if _, err := c.Write([]byte(reply + "\r\n")); err != nil {
			return
		}
	}
}

func (r *respServer) pinged() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pings
}

// readCommand reads one RESP array of bulk strings.
func readCommand(br *bufio.Reader) ([]string, error) {
	line, err := readLine(br)
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(strings.TrimPrefix(line, "*"))
	if err != nil || n < 1 {
		return nil, net.ErrClosed
	}
	cmd := make([]string, 0, n)
	for range n {
		if _, err := readLine(br); err != nil { // $len
			return nil, err
		}
		arg, err := readLine(br)
		if err != nil {
			return nil, err
		}
		cmd = append(cmd, arg)
	}
	return cmd, nil
}
