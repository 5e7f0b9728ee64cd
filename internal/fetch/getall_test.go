package fetch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// blob is one of several distinct files a test server holds.
type blob struct {
	name string
	data []byte
	sum  string
}

// newBlobs returns n files of size bytes each, named f0.bin, f1.bin, ...
func newBlobs(n, size int) []blob {
	out := make([]blob, n)
	for i := range out {
		b := make([]byte, size)
		r := rand.NewChaCha8([32]byte{'b', 'l', 'o', 'b', byte(i)})
		_, _ = r.Read(b)
		s := sha256.Sum256(b)
		out[i] = blob{name: "f" + strconv.Itoa(i) + ".bin", data: b, sum: hex.EncodeToString(s[:])}
	}
	return out
}

// wantsFor asks for each blob from the server at base.
func wantsFor(base string, blobs []blob) []Want {
	out := make([]Want, len(blobs))
	for i, b := range blobs {
		out[i] = Want{URL: base + "/" + b.name, SHA256: b.sum}
	}
	return out
}

// serveBlob answers with the blob the request's path names, or 404.
func serveBlob(w http.ResponseWriter, r *http.Request, blobs []blob) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	for _, b := range blobs {
		if b.name == name {
			http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b.data))
			return
		}
	}
	http.NotFound(w, r)
}

// checkBlobs checks that GetAll's paths are the blobs' cache files, in
// order, holding their bytes.
func checkBlobs(t *testing.T, f *Fetcher, paths []string, blobs []blob) {
	t.Helper()
	if len(paths) != len(blobs) {
		t.Fatalf("GetAll returned %d paths for %d files", len(paths), len(blobs))
	}
	for i, b := range blobs {
		if paths[i] != f.Path(b.sum) {
			t.Errorf("path %d = %s; want %s", i, paths[i], f.Path(b.sum))
			continue
		}
		got, err := os.ReadFile(paths[i])
		if err != nil || !bytes.Equal(got, b.data) {
			t.Errorf("%s: cached file differs (%d bytes, %v)", b.name, len(got), err)
		}
	}
}

// raise makes peak at least n.
func raise(peak *atomic.Int64, n int64) {
	for {
		p := peak.Load()
		if n <= p || peak.CompareAndSwap(p, n) {
			return
		}
	}
}

func TestGetAllBoundsTransfers(t *testing.T) {
	t.Parallel()
	const jobs = 3
	blobs := newBlobs(8, 64<<10)
	var cur, peak atomic.Int64
	full := make(chan struct{}) // closed once jobs requests are in flight
	var once sync.Once
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		n := cur.Add(1)
		defer cur.Add(-1)
		raise(&peak, n)
		if n >= jobs {
			once.Do(func() { close(full) })
		}
		// The first answers wait until the bound is reached, so the test
		// sees it reached without timing luck.
		select {
		case <-full:
		case <-r.Context().Done():
			return
		case <-time.After(10 * time.Second):
			t.Errorf("only %d requests ever in flight at once; want %d", peak.Load(), jobs)
		}
		serveBlob(w, r, blobs)
	})
	f, _ := newFetcher(t, Options{})

	paths, err := f.GetAll(t.Context(), wantsFor(srv.URL, blobs), jobs)
	if err != nil {
		t.Fatalf("GetAll: %v", err)
	}
	checkBlobs(t, f, paths, blobs)
	if p := peak.Load(); p > jobs || p <= 1 {
		t.Errorf("at most %d requests were in flight at once; want %d", p, jobs)
	}
	if got := len(srv.requests()); got != len(blobs) {
		t.Errorf("server saw %d requests; want %d", got, len(blobs))
	}
}

func TestGetAllDefaultJobs(t *testing.T) {
	t.Parallel()
	blobs := newBlobs(2*DefaultJobs, 16<<10)
	var cur, peak atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		n := cur.Add(1)
		defer cur.Add(-1)
		raise(&peak, n)
		serveBlob(w, r, blobs)
	})
	f, _ := newFetcher(t, Options{})
	paths, err := f.GetAll(t.Context(), wantsFor(srv.URL, blobs), 0)
	if err != nil {
		t.Fatalf("GetAll: %v", err)
	}
	checkBlobs(t, f, paths, blobs)
	if p := peak.Load(); p > DefaultJobs {
		t.Errorf("%d requests were in flight at once; want at most %d", p, DefaultJobs)
	}
}

func TestGetAllFailuresDoNotStopTheOthers(t *testing.T) {
	t.Parallel()
	blobs := newBlobs(5, 32<<10)
	missing, corrupt := blobs[1], blobs[3]
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch strings.TrimPrefix(r.URL.Path, "/") {
		case missing.name:
			http.NotFound(w, r)
		case corrupt.name:
			_, _ = w.Write([]byte("not the file"))
		default:
			serveBlob(w, r, blobs)
		}
	})
	f, cache := newFetcher(t, Options{})
	wants := wantsFor(srv.URL, blobs)

	paths, err := f.GetAll(t.Context(), wants, 2)

	if err == nil {
		t.Fatal("GetAll succeeded with a missing and a corrupt file")
	}
	t.Logf("error: %v", err)
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) || len(joined.Unwrap()) != 2 {
		t.Fatalf("error %v does not join two errors", err)
	}
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusNotFound {
		t.Errorf("error %v holds no 404 *StatusError", err)
	}
	var de *DigestError
	if !errors.As(err, &de) || de.Want != corrupt.sum {
		t.Errorf("error %v holds no *DigestError for %s", err, corrupt.name)
	}
	for i, e := range joined.Unwrap() {
		b := []blob{missing, corrupt}[i]
		var fe *FileError
		if !errors.As(e, &fe) || fe.Name != b.name || fe.URL != srv.URL+"/"+b.name {
			t.Errorf("error %d = %v; want a *FileError for %s", i, e, b.name)
		}
		for _, part := range []string{b.name, srv.URL + "/" + b.name} {
			if !strings.Contains(e.Error(), part) {
				t.Errorf("message %q lacks %q", e, part)
			}
		}
	}
	for i, b := range blobs {
		switch {
		case b.name == missing.name || b.name == corrupt.name:
			if paths[i] != "" {
				t.Errorf("path of failed %s = %q; want empty", b.name, paths[i])
			}
			if _, ok := f.Lookup(b.sum); ok {
				t.Errorf("failed %s is in the cache", b.name)
			}
		default:
			checkBlobs(t, f, paths[i:i+1], blobs[i:i+1])
		}
	}
	if files := cacheFiles(t, cache); len(files) != 3 {
		t.Errorf("cache holds %v; want the 3 good files only", files)
	}
}

func TestGetAllCancelStopsPromptly(t *testing.T) {
	t.Parallel()
	blobs := newBlobs(5, 16<<10)
	arrived := make(chan struct{}, len(blobs))
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		arrived <- struct{}{}
		stall(w, r, nil)
	})
	f, cache := newFetcher(t, Options{})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	type result struct {
		paths []string
		err   error
	}
	done := make(chan result, 1)
	go func() {
		paths, err := f.GetAll(ctx, wantsFor(srv.URL, blobs), 2)
		done <- result{paths, err}
	}()
	for range 2 {
		select {
		case <-arrived:
		case <-time.After(10 * time.Second):
			t.Fatal("the first two requests never arrived")
		}
	}
	cancel()
	var res result
	select {
	case res = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("GetAll still running 5s after its context ended")
	}
	if !errors.Is(res.err, context.Canceled) {
		t.Fatalf("GetAll = %v; want context.Canceled", res.err)
	}
	if !strings.Contains(res.err.Error(), "5 of 5 files not fetched") {
		t.Errorf("message %q does not count the files not fetched", res.err)
	}
	if got := len(srv.requests()); got != 2 {
		t.Errorf("server saw %d requests; want only the 2 started before the cancel", got)
	}
	for i, p := range res.paths {
		if p != "" {
			t.Errorf("path %d = %q after a cancel", i, p)
		}
	}
	if files := cacheFiles(t, cache); len(files) != 0 {
		t.Errorf("cache holds %v; want nothing", files)
	}
}

func TestGetAllLines(t *testing.T) {
	t.Parallel()
	blobs := newBlobs(4, 32<<10)
	cached, mirrored, missing := blobs[1], blobs[2], blobs[3] // blobs[0] is downloaded
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if strings.TrimPrefix(r.URL.Path, "/") == missing.name {
			http.NotFound(w, r)
			return
		}
		serveBlob(w, r, blobs)
	})
	mirror := t.TempDir()
	if err := os.WriteFile(filepath.Join(mirror, mirrored.name), mirrored.data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	f, _ := newFetcher(t, Options{Mirrors: []string{mirror}, Progress: &out})
	wants := wantsFor(srv.URL, blobs)
	if _, err := f.Get(t.Context(), wants[1].URL, cached.sum); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Fatalf("a lone Get wrote %q to a non-terminal", out.String())
	}
	wants[0].Name = "fetched.bin" // a Want's name is what the lines say

	_, err := f.GetAll(t.Context(), wants, 2)

	if err == nil {
		t.Fatal("GetAll succeeded with a missing file")
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	want := []*regexp.Regexp{
		regexp.MustCompile(`^fetching fetched\.bin$`),
		regexp.MustCompile(`^fetched fetched\.bin \(32\.0 KiB in [0-9.]+m?s\)$`),
		regexp.MustCompile(`^` + cached.name + `: already in the cache$`),
		regexp.MustCompile(`^` + mirrored.name + `: copied from ` + regexp.QuoteMeta(filepath.Join(mirror, mirrored.name)) + `$`),
		regexp.MustCompile(`^fetching ` + missing.name + `$`),
		regexp.MustCompile(`^` + missing.name + `: failed$`),
	}
	if len(lines) != len(want) {
		t.Fatalf("GetAll wrote %d lines; want %d:\n%s", len(lines), len(want), out.String())
	}
	at := map[int]int{} // want index -> line index
	for i, re := range want {
		j := slices.IndexFunc(lines, re.MatchString)
		if j < 0 {
			t.Errorf("no line matches %s in:\n%s", re, out.String())
		}
		at[i] = j
	}
	if at[0] > at[1] || at[4] > at[5] {
		t.Errorf("a download ended before it started:\n%s", out.String())
	}
}

func TestGetAllBarsOnATerminal(t *testing.T) {
	t.Parallel()
	blobs := newBlobs(3, 128<<10)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { serveBlob(w, r, blobs) })
	missing := Want{URL: srv.URL + "/missing.bin", SHA256: strings.Repeat("0", 64)}
	var out bytes.Buffer
	f, _ := newFetcher(t, Options{Progress: &out})
	// As if Progress were a terminal where bars are allowed: a lone Get
	// would draw its own bar now.
	f.bar = true
	if _, err := f.Get(t.Context(), srv.URL+"/"+blobs[0].name, blobs[0].sum); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\r"+blobs[0].name) {
		t.Fatalf("a lone Get drew no bar: %q", out.String())
	}
	out.Reset()

	paths, err := f.GetAll(t.Context(), append(wantsFor(srv.URL, blobs), missing), 2)
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusNotFound {
		t.Fatalf("GetAll = %v; want the 404 of missing.bin", err)
	}
	checkBlobs(t, f, paths[:3], blobs)
	got := out.String()
	t.Logf("terminal output: %q", got)
	for _, line := range []string{
		blobs[0].name + ": already in the cache",
		"fetched " + blobs[1].name + " (128.0 KiB in ",
		"fetched " + blobs[2].name + " (128.0 KiB in ",
		"missing.bin: failed",
	} {
		if !strings.Contains(got, line) {
			t.Errorf("the terminal never showed %q", line)
		}
	}
	// Lines stay in the order said, though mpb pops those that end between
	// two redraws together.
	if i, j := strings.LastIndex(got, blobs[0].name+": already"), strings.LastIndex(got, "fetched "+blobs[1].name); i > j {
		t.Errorf("the cache hit's line is below the downloads' lines: %q", got)
	}
	// The single-line bar of a lone Get draws with a carriage return and a
	// percentage; mpb's bars do neither.
	if strings.Contains(got, "\r") || strings.Contains(got, "%") {
		t.Errorf("the single-line bar drew while GetAll ran: %q", got)
	}
}

func TestFileErrorNamesTheURLOnce(t *testing.T) {
	t.Parallel()
	url := "https://example.org/x/python.tar.gz"
	cases := []struct {
		err  error
		want string
	}{
		{&StatusError{URL: url, Code: 404, Status: "404 Not Found"}, "python.tar.gz: download " + url + ": 404 Not Found"},
		{context.Canceled, "python.tar.gz (" + url + "): context canceled"},
	}
	for _, c := range cases {
		e := &FileError{Name: "python.tar.gz", URL: url, Err: c.err}
		if e.Error() != c.want {
			t.Errorf("FileError = %q; want %q", e, c.want)
		}
		if !errors.Is(e, c.err) {
			t.Errorf("FileError does not wrap %v", c.err)
		}
	}
	if got := (Want{URL: "https://example.org/a/b%2Bc.tgz"}).name(); got != "b+c.tgz" {
		t.Errorf("Want name = %q; want the URL's base name", got)
	}
}

// throttled serves blobs at most rate bytes a second on each connection,
// as a slow origin does.
func throttled(blobs []blob, rate int) http.HandlerFunc {
	const chunk = 16 << 10
	every := time.Duration(float64(time.Second) * chunk / float64(rate))
	return func(w http.ResponseWriter, r *http.Request) {
		i := slices.IndexFunc(blobs, func(b blob) bool { return "/"+b.name == r.URL.Path })
		if i < 0 {
			http.NotFound(w, r)
			return
		}
		data := blobs[i].data
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		tick := time.NewTicker(every)
		defer tick.Stop()
		for len(data) > 0 {
			n := min(chunk, len(data))
			if _, err := w.Write(data[:n]); err != nil {
				return
			}
			_ = http.NewResponseController(w).Flush()
			data = data[n:]
			select {
			case <-tick.C:
			case <-r.Context().Done():
				return
			}
		}
	}
}

// BenchmarkGetAllThrottled times bringing 4 artifacts of 256 KiB from a
// local origin that sends 2 MiB/s per connection, one at a time and 4 at
// a time, each iteration on a fresh cache.
func BenchmarkGetAllThrottled(b *testing.B) {
	const rate = 2 << 20
	blobs := newBlobs(4, 256<<10)
	srv := httptest.NewServer(throttled(blobs, rate))
	b.Cleanup(srv.Close)
	wants := wantsFor(srv.URL, blobs)
	for _, jobs := range []int{1, 4} {
		b.Run(fmt.Sprintf("jobs=%d", jobs), func(b *testing.B) {
			b.SetBytes(int64(len(blobs)) * 256 << 10)
			for b.Loop() {
				b.StopTimer()
				cache, err := os.MkdirTemp(b.TempDir(), "cache")
				if err != nil {
					b.Fatal(err)
				}
				f := New(Options{CacheDir: cache})
				b.StartTimer()
				if _, err := f.GetAll(b.Context(), wants, jobs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
