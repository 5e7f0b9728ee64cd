package mirror

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

// shutdownGrace is how long a stopping server lets the downloads in
// flight finish before it cuts them (a seat resumes a cut download).
const shutdownGrace = 3 * time.Second

// Serve serves the mirror folder dir read-only on addr, logging each
// request to log (nil: no log), until ctx is done; then it lets the downloads in flight
// finish (for a while) and returns how many times each file was served
// whole. announce is told the URL the seats use once it listens; mounts
// are served beside the files (NewServer).
func Serve(ctx context.Context, dir, addr string, log func(Request), announce func(url string) error, mounts ...Mount) (map[string]int, error) {
	if err := Servable(dir); err != nil {
		return nil, err
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("serve %s: %w", dir, err)
	}
	srv := NewServer(dir, log, mounts...)
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		// No WriteTimeout: a large file over a poor Wi-Fi takes its time.
		ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelDebug),
	}
	for _, m := range mounts {
		if m.Stop != nil {
			hs.RegisterOnShutdown(m.Stop)
		}
	}
	if err := announce("http://" + seatAddr(ln.Addr())); err != nil {
		ln.Close()
		return nil, err
	}

	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return nil, fmt.Errorf("serve %s: %w", dir, err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
	}
	<-done // http.ErrServerClosed
	return srv.Counts(), nil
}

// Servable says why dir cannot be served (it is not there, or not a
// folder), or nil: what Serve checks first, for a caller that sets up
// more beside it before serving.
func Servable(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("serve %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("serve %s: not a folder", dir)
	}
	return nil
}

// seatAddr is host:port as the seats dial it. A server listening on every
// interface (":8080") is announced at this machine's LAN address.
func seatAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = lanHost()
	}
	return net.JoinHostPort(host, strconv.Itoa(tcp.Port))
}

// lanHost is this machine's first IPv4 address on a running, non-loopback
// interface (a lab's DNS may not know the teacher's laptop), else its host
// name, else localhost.
func lanHost() string {
	ifaces, _ := net.Interfaces()
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagRunning == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if ok && ipn.IP.To4() != nil && !ipn.IP.IsLoopback() && !ipn.IP.IsLinkLocalUnicast() {
				return ipn.IP.String()
			}
		}
	}
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "localhost"
}
