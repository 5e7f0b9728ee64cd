package cli

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/envup/envup/internal/mirror"
)

// serveShutdownGrace is how long a stopping server lets the downloads in
// flight finish before it cuts them (a seat resumes a cut download).
const serveShutdownGrace = 3 * time.Second

// serveOptions are envup serve's argument and flags.
type serveOptions struct {
	dir  string
	addr string
}

func newServeCmd(g *globals) *cobra.Command {
	var opts serveOptions
	cmd := &cobra.Command{
		Use:   "serve DIR",
		Short: "Serve a mirror folder read-only over HTTP, so a classroom downloads each file once (seats: apply --mirror http://HOST:PORT --offline)",
		Long: `envup serve shares a mirror folder (filled by envup fetch or envup wheels)
with the seats of a classroom: each file is downloaded once, from this
machine, and the seats apply with --mirror http://HOST:PORT --offline.

It serves the folder's files by name, read-only: no uploads, no listings
("/" serves index.json), no hidden files, nothing outside the folder. Each
request is logged on stderr; Ctrl-C stops it and says what was served.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dir = args[0]
			return runServe(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.addr, "addr", ":8080", "listen on this host:port (:0 picks a free port)")
	return cmd
}

func runServe(ctx context.Context, g *globals, opts serveOptions) error {
	fi, err := os.Stat(opts.dir)
	if err != nil {
		return fmt.Errorf("serve %s: %w", opts.dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("serve %s: not a folder", opts.dir)
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", opts.addr)
	if err != nil {
		return fmt.Errorf("serve %s: %w", opts.dir, err)
	}
	srv := mirror.NewServer(opts.dir, g.stderr)
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		// No WriteTimeout: a large file over a poor Wi-Fi takes its time.
		ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelDebug),
	}
	url := "http://" + seatAddr(ln.Addr())
	if err := announceServe(g, opts.dir, url); err != nil {
		ln.Close()
		return err
	}

	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve %s: %w", opts.dir, err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), serveShutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
	}
	<-done // http.ErrServerClosed
	return reportServed(g, srv.Counts())
}

// announceServe says where the seats find the mirror: the "serving" line
// a script waits for, or {"dir", "url"} with --output json.
func announceServe(g *globals, dir, url string) error {
	if g.output == "json" {
		return writeJSON(g.stdout, map[string]string{"dir": dir, "url": url})
	}
	_, err := fmt.Fprintf(g.stdout, "serving %s read-only at %s/ (seats: envup apply --mirror %s --offline recipe.yml)\n", dir, url, url)
	return err
}

// reportServed says, once stopped, how many times each file was
// downloaded whole.
func reportServed(g *globals, counts map[string]int) error {
	if g.output == "json" {
		return writeJSON(g.stdout, map[string]map[string]int{"served": counts})
	}
	names := slices.Sorted(maps.Keys(counts))
	if len(names) == 0 {
		_, err := fmt.Fprintln(g.stdout, "served no file whole")
		return err
	}
	for _, name := range names {
		times := "times"
		if counts[name] == 1 {
			times = "time"
		}
		if _, err := fmt.Fprintf(g.stdout, "served %s %d %s\n", name, counts[name], times); err != nil {
			return err
		}
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
