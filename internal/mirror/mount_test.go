package mirror

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMountBesideTheFiles: a mount answers its paths (and streams,
// flushed through the request log); the files and the traversal rules
// are as without it; its requests are logged, and counted as no file.
func TestMountBesideTheFiles(t *testing.T) {
	t.Parallel()
	dir, _ := newMirror(t)
	var log syncBuffer
	lab := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, "data: "+r.URL.Path+"\n\n")
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("flush through the log: %v", err)
		}
	})
	ts := httptest.NewServer(NewServer(dir, LogTo(&log), Mount{Path: "/lab", Handler: lab}))
	t.Cleanup(ts.Close)
	addr := ts.Listener.Addr().String()

	for target, want := range map[string]int{
		"/lab":               http.StatusOK,
		"/lab/":              http.StatusOK,
		"/lab/api/x":         http.StatusOK,
		"/" + toolName:       http.StatusOK,
		"/labx":              http.StatusNotFound, // not under the mount: a file name
		"/../secret.txt":     http.StatusBadRequest,
		"/%2e%2e/secret.txt": http.StatusBadRequest,
		"/.hidden":           http.StatusNotFound,
		"/sub/inner.txt":     http.StatusNotFound,
	} {
		code, _, body := rawRequest(t, addr, "GET", target)
		if code != want {
			t.Errorf("GET %s: %d, want %d", target, code, want)
		}
		if want == http.StatusOK && strings.HasPrefix(target, "/lab") && body != "data: "+target+"\n\n" {
			t.Errorf("GET %s: %q, want the mount's answer", target, body)
		}
	}
	ts.Close()
	if !strings.Contains(log.String(), "GET /lab/api/x 200 ") {
		t.Errorf("the mount's requests are not logged:\n%s", log.String())
	}
}

// TestServeStopsMounts: a mount's stream that never idles does not keep
// a stopping server waiting out its grace: Stop ends it.
func TestServeStopsMounts(t *testing.T) {
	t.Parallel()
	dir, _ := newMirror(t)
	stop := make(chan struct{})
	var once sync.Once
	stream := Mount{
		Path: "/events",
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, "open\n")
			_ = http.NewResponseController(w).Flush()
			select {
			case <-stop:
			case <-r.Context().Done():
			}
		}),
		Stop: func() { once.Do(func() { close(stop) }) },
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		_, err := Serve(ctx, dir, "127.0.0.1:0", nil, func(url string) error { urls <- url; return nil }, stream)
		done <- err
	}()
	url := <-urls
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url+"/events", http.NoBody)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if line, _ := bufio.NewReader(resp.Body).ReadString('\n'); line != "open\n" {
		t.Fatalf("stream said %q", line)
	}
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took >= shutdownGrace {
			t.Errorf("stopped in %s: the stream held it for the grace", took)
		}
	case <-time.After(2 * shutdownGrace):
		t.Fatal("Serve did not return")
	}
}
