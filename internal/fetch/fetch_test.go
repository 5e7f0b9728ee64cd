package fetch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/envup/envup/internal/system"
)

// A Fetcher is what system.Real downloads and unpacks with.
var _ system.Fetcher = (*Fetcher)(nil)

// payload is the file the test servers serve, and its digest.
var payload, payloadSum = func() ([]byte, string) {
	b := make([]byte, 300<<10)
	r := rand.NewChaCha8([32]byte{'e', 'n', 'v', 'u', 'p'})
	_, _ = r.Read(b)
	s := sha256.Sum256(b)
	return b, hex.EncodeToString(s[:])
}()

// server is an httptest server that counts requests and keeps their Range
// headers; handle answers the n-th request (from 1). A request's context
// ends when the client hangs up or the test ends, whichever comes first.
type server struct {
	*httptest.Server
	mu     sync.Mutex
	ranges []string
	done   chan struct{}
}

func newServer(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int)) *server {
	t.Helper()
	s := &server{done: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.ranges = append(s.ranges, r.Header.Get("Range"))
		n := len(s.ranges)
		s.mu.Unlock()
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		go func() {
			select {
			case <-s.done:
				cancel()
			case <-ctx.Done():
			}
		}()
		handle(w, r.WithContext(ctx), n)
	}))
	t.Cleanup(s.Close)
	t.Cleanup(func() { close(s.done) }) // runs first: unblocks stalled handlers
	return s
}

func (s *server) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ranges...)
}

// serve answers with the payload, honouring Range and If-Range.
func serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("ETag", `"v1"`)
	http.ServeContent(w, r, "payload", time.Time{}, bytes.NewReader(payload))
}

// truncated announces the whole payload and sends half of it; the server
// then drops the connection.
func truncated(w http.ResponseWriter) {
	w.Header().Set("ETag", `"v1"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(payload[:len(payload)/2])
}

// reset hijacks the connection, writes head (possibly nothing) and closes
// it with an RST.
func reset(t *testing.T, w http.ResponseWriter, head []byte) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	_, _ = conn.Write(head)
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // close with RST, not FIN
	}
	_ = conn.Close()
}

// stall writes part of the payload (or nothing) and then goes silent until
// the client gives up or the test ends.
func stall(w http.ResponseWriter, r *http.Request, part []byte) {
	if part != nil {
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(part)
		_ = http.NewResponseController(w).Flush()
	}
	<-r.Context().Done()
}

// newFetcher returns a Fetcher on a fresh cache with quick retries.
func newFetcher(t *testing.T, opts Options) (*Fetcher, string) {
	t.Helper()
	if opts.CacheDir == "" {
		opts.CacheDir = t.TempDir()
	}
	if opts.Backoff == 0 {
		opts.Backoff = time.Millisecond
	}
	if opts.ReadTimeout == 0 {
		opts.ReadTimeout = 10 * time.Second
	}
	return New(opts), opts.CacheDir
}

// cacheFiles lists what the cache's sha256 folder holds, temp files too.
func cacheFiles(t *testing.T, cache string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(cache, "sha256"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func checkCached(t *testing.T, cache, path string) {
	t.Helper()
	if want := filepath.Join(cache, "sha256", payloadSum); path != want {
		t.Errorf("path = %s; want %s", path, want)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, payload) {
		t.Errorf("cached file differs from the payload (%d bytes, %v)", len(got), err)
	}
	if files := cacheFiles(t, cache); len(files) != 1 {
		t.Errorf("cache holds %v; want only the file", files)
	}
}

func TestGetTransfers(t *testing.T) {
	t.Parallel()
	half := "bytes=" + strconv.Itoa(len(payload)/2) + "-"
	cases := []struct {
		name        string
		readTimeout time.Duration
		handle      func(t *testing.T, w http.ResponseWriter, r *http.Request, n int)
		// ranges are the Range headers the requests must carry, in order.
		ranges []string
	}{
		{
			name:   "right bytes",
			handle: func(_ *testing.T, w http.ResponseWriter, r *http.Request, _ int) { serve(w, r) },
			ranges: []string{""},
		},
		{
			name: "truncated then resumed",
			handle: func(_ *testing.T, w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					truncated(w)
					return
				}
				serve(w, r)
			},
			ranges: []string{"", half},
		},
		{
			name: "truncated, server ignores Range",
			handle: func(_ *testing.T, w http.ResponseWriter, _ *http.Request, n int) {
				if n == 1 {
					truncated(w)
					return
				}
				_, _ = w.Write(payload) // 200, whole file
			},
			ranges: []string{"", half},
		},
		{
			name: "truncated, server answers the wrong range",
			handle: func(_ *testing.T, w http.ResponseWriter, r *http.Request, n int) {
				switch n {
				case 1:
					truncated(w)
				case 2:
					w.Header().Set("Content-Range", "bytes 0-"+strconv.Itoa(len(payload)-1)+"/"+strconv.Itoa(len(payload)))
					w.WriteHeader(http.StatusPartialContent)
					_, _ = w.Write(payload)
				default:
					serve(w, r)
				}
			},
			ranges: []string{"", half, ""},
		},
		{
			name: "reset before the answer",
			handle: func(t *testing.T, w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					reset(t, w, nil)
					return
				}
				serve(w, r)
			},
			ranges: []string{"", ""},
		},
		{
			name: "reset mid-body",
			handle: func(t *testing.T, w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					head := "HTTP/1.1 200 OK\r\nETag: \"v1\"\r\nContent-Length: " + strconv.Itoa(len(payload)) + "\r\n\r\n"
					reset(t, w, append([]byte(head), payload[:1000]...))
					return
				}
				serve(w, r)
			},
			ranges: []string{"", "bytes=1000-"},
		},
		{
			name:        "stall mid-body",
			readTimeout: 200 * time.Millisecond,
			handle: func(t *testing.T, w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					stall(w, r, payload[:len(payload)/2])
					return
				}
				serve(w, r)
			},
			ranges: []string{"", half},
		},
		{
			name:        "stall before the answer",
			readTimeout: 200 * time.Millisecond,
			handle: func(t *testing.T, w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					stall(w, r, nil)
					return
				}
				serve(w, r)
			},
			ranges: []string{"", ""},
		},
		{
			name: "500 twice then 200",
			handle: func(_ *testing.T, w http.ResponseWriter, r *http.Request, n int) {
				if n <= 2 {
					http.Error(w, "busy", http.StatusInternalServerError)
					return
				}
				serve(w, r)
			},
			ranges: []string{"", "", ""},
		},
		{
			name: "complete when the line broke",
			handle: func(_ *testing.T, w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					// Every byte, but one more announced: the line breaks
					// after the last byte came.
					w.Header().Set("ETag", `"v1"`)
					w.Header().Set("Content-Length", strconv.Itoa(len(payload)+1))
					_, _ = w.Write(payload)
					return
				}
				serve(w, r) // 416 for a range from the end
			},
			ranges: []string{"", "bytes=" + strconv.Itoa(len(payload)) + "-"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) { c.handle(t, w, r, n) })
			f, cache := newFetcher(t, Options{ReadTimeout: c.readTimeout})

			res, err := f.Fetch(t.Context(), srv.URL+"/python.tar.gz", payloadSum)
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			checkCached(t, cache, res.Path)
			if res.Cached || res.Source != srv.URL+"/python.tar.gz" {
				t.Errorf("result = %+v; want served by the origin", res)
			}
			if got := srv.requests(); strings.Join(got, "|") != strings.Join(c.ranges, "|") {
				t.Errorf("requests carried Range %q; want %q", got, c.ranges)
			}
		})
	}
}

func TestGetFailures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		handle   func(w http.ResponseWriter, r *http.Request, n int)
		requests int
		check    func(t *testing.T, url string, err error)
	}{
		{
			name:     "wrong bytes",
			handle:   func(w http.ResponseWriter, _ *http.Request, _ int) { _, _ = w.Write([]byte("not the payload")) },
			requests: 1,
			check: func(t *testing.T, url string, err error) {
				var de *DigestError
				if !errors.As(err, &de) {
					t.Fatalf("error %v is not a *DigestError", err)
				}
				got := sha256.Sum256([]byte("not the payload"))
				if de.URL != url || de.Want != payloadSum || de.Got != hex.EncodeToString(got[:]) {
					t.Errorf("DigestError = %+v", de)
				}
				for _, part := range []string{url, de.Want, de.Got} {
					if !strings.Contains(err.Error(), part) {
						t.Errorf("message %q lacks %q", err, part)
					}
				}
			},
		},
		{
			name:     "404 is not retried",
			handle:   func(w http.ResponseWriter, r *http.Request, _ int) { http.NotFound(w, r) },
			requests: 1,
			check: func(t *testing.T, url string, err error) {
				var se *StatusError
				if !errors.As(err, &se) || se.Code != http.StatusNotFound {
					t.Fatalf("error %v is not a 404 *StatusError", err)
				}
				if !strings.Contains(err.Error(), url) || !strings.Contains(err.Error(), "404") {
					t.Errorf("message %q lacks the URL or the status", err)
				}
			},
		},
		{
			name: "500 forever gives up after four tries",
			handle: func(w http.ResponseWriter, _ *http.Request, _ int) {
				http.Error(w, "down", http.StatusInternalServerError)
			},
			requests: 4,
			check: func(t *testing.T, url string, err error) {
				if !strings.Contains(err.Error(), "500") || !strings.Contains(err.Error(), "after 4 tries") {
					t.Errorf("message %q lacks the status or the tries", err)
				}
			},
		},
		{
			name: "redirect to plain http elsewhere",
			handle: func(w http.ResponseWriter, r *http.Request, _ int) {
				http.Redirect(w, r, "http://downloads.example.invalid/python.tar.gz", http.StatusFound)
			},
			requests: 1,
			check: func(t *testing.T, _ string, err error) {
				if !errors.Is(err, ErrInsecure) {
					t.Errorf("error %v does not wrap ErrInsecure", err)
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, c.handle)
			f, cache := newFetcher(t, Options{})
			url := srv.URL + "/python.tar.gz"

			path, err := f.Get(t.Context(), url, payloadSum)

			if err == nil {
				t.Fatalf("Get = %s; want an error", path)
			}
			t.Logf("error: %v", err)
			c.check(t, url, err)
			if got := len(srv.requests()); got != c.requests {
				t.Errorf("server saw %d requests; want %d", got, c.requests)
			}
			if files := cacheFiles(t, cache); len(files) != 0 {
				t.Errorf("cache holds %v after a failure; want nothing", files)
			}
		})
	}
}

func TestGetCacheHitMakesNoRequest(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { serve(w, r) })
	f, cache := newFetcher(t, Options{})
	url := srv.URL + "/python.tar.gz"
	first, err := f.Get(t.Context(), url, payloadSum)
	if err != nil {
		t.Fatal(err)
	}
	// A new Fetcher on the same cache, as the next apply would have.
	again, _ := newFetcher(t, Options{CacheDir: cache})
	res, err := again.Fetch(t.Context(), url, strings.ToUpper(payloadSum))
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != first || !res.Cached {
		t.Errorf("second Fetch = %+v; want a cache hit at %s", res, first)
	}
	if got := len(srv.requests()); got != 1 {
		t.Errorf("server saw %d requests; want 1", got)
	}
	if p, ok := again.Lookup(payloadSum); !ok || p != first {
		t.Errorf("Lookup = %s, %v; want %s", p, ok, first)
	}
}

func TestGetConcurrentDownloadsOnce(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { serve(w, r) })
	f, cache := newFetcher(t, Options{})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			p, err := f.Get(t.Context(), srv.URL+"/python.tar.gz", payloadSum)
			if err == nil && p != f.Path(payloadSum) {
				err = errors.New("wrong path " + p)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := len(srv.requests()); got != 1 {
		t.Errorf("server saw %d requests; want 1", got)
	}
	checkCached(t, cache, f.Path(payloadSum))
}

func TestGetCancelled(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { stall(w, r, payload[:10]) })
	f, cache := newFetcher(t, Options{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := f.Get(ctx, srv.URL+"/python.tar.gz", payloadSum); !errors.Is(err, context.Canceled) {
		t.Errorf("Get = %v; want context.Canceled", err)
	}
	if files := cacheFiles(t, cache); len(files) != 0 {
		t.Errorf("cache holds %v; want nothing", files)
	}
}

func TestGetLocalFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "python 3.tar.gz")
	if err := os.WriteFile(src, payload, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{src, "file://" + filepath.ToSlash(src)} {
		t.Run(ref, func(t *testing.T) {
			t.Parallel()
			f, cache := newFetcher(t, Options{Offline: true})
			p, err := f.Get(t.Context(), ref, payloadSum)
			if err != nil {
				t.Fatal(err)
			}
			checkCached(t, cache, p)
		})
	}
	t.Run("wrong digest", func(t *testing.T) {
		t.Parallel()
		f, cache := newFetcher(t, Options{})
		other := strings.Repeat("ab", 32)
		_, err := f.Get(t.Context(), src, other)
		var de *DigestError
		if !errors.As(err, &de) || de.URL != src || de.Want != other || de.Got != payloadSum {
			t.Errorf("Get = %v; want a DigestError for %s", err, src)
		}
		if files := cacheFiles(t, cache); len(files) != 0 {
			t.Errorf("cache holds %v; want nothing", files)
		}
	})
}

// refuseTransport fails the test if a request is ever made.
type refuseTransport struct{ t *testing.T }

func (rt refuseTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.t.Errorf("unexpected request to %s", r.URL)
	return nil, errors.New("no network in tests")
}

// serveTransport answers every request with body, as a plain-http mirror
// on the lab's network would.
type serveTransport struct{ body string }

func (st serveTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader(st.body)), ContentLength: int64(len(st.body)), Request: r, Header: http.Header{}}, nil
}

// A mirror may be plain http on any host (a teacher's envup serve): what
// it gives is checked against the pin all the same.
func TestGetPlainHTTPMirror(t *testing.T) {
	t.Parallel()
	mirrors := []string{"http://teacher.lab:8080"}
	f, cache := newFetcher(t, Options{Mirrors: mirrors, Offline: true, Client: &http.Client{Transport: serveTransport{string(payload)}}})
	if _, err := f.Get(t.Context(), "https://downloads.example.org/python.tar.gz", payloadSum); err != nil {
		t.Fatalf("Get through an http mirror: %v", err)
	}
	f, cache = newFetcher(t, Options{Mirrors: mirrors, Offline: true, Client: &http.Client{Transport: serveTransport{"tampered"}}})
	_, err := f.Get(t.Context(), "https://downloads.example.org/python.tar.gz", payloadSum)
	var de *DigestError
	if !errors.As(err, &de) {
		t.Fatalf("a tampered file from an http mirror: %v, want a DigestError", err)
	}
	if files := cacheFiles(t, cache); len(files) != 0 {
		t.Errorf("cache holds %v after a tampered download", files)
	}
}

func TestGetRefusesPlainHTTP(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, url string
		mirrors   []string
	}{
		{"origin", "http://downloads.example.org/python.tar.gz", nil},
		{"origin by IP", "http://192.0.2.7/python.tar.gz", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f, _ := newFetcher(t, Options{Mirrors: c.mirrors, Client: &http.Client{Transport: refuseTransport{t}}})
			_, err := f.Get(t.Context(), c.url, payloadSum)
			if !errors.Is(err, ErrInsecure) {
				t.Fatalf("Get = %v; want ErrInsecure", err)
			}
			if !strings.Contains(err.Error(), "https") || !strings.Contains(err.Error(), "loopback") {
				t.Errorf("message %q does not say why", err)
			}
		})
	}
}

func TestGetRejectsBadDigest(t *testing.T) {
	t.Parallel()
	f, _ := newFetcher(t, Options{Client: &http.Client{Transport: refuseTransport{t}}})
	for _, sum := range []string{"", "abc", strings.Repeat("zz", 32)} {
		if _, err := f.Get(t.Context(), "https://example.org/x.tgz", sum); err == nil {
			t.Errorf("Get with sha256 %q succeeded", sum)
		}
	}
}

func TestVerified(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, payload, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Verified(p, "sha256:"+payloadSum); err != nil {
		t.Errorf("Verified = %v", err)
	}
	var de *DigestError
	if err := Verified(p, strings.Repeat("0", 64)); !errors.As(err, &de) || de.Got != payloadSum {
		t.Errorf("Verified with another sum = %v; want a DigestError", err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Errorf("Verified removed the file: %v", err)
	}
}
