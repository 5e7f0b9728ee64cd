package mirror

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	toolName = "tool-1.0.tar.gz"
	secret   = "TOP-SECRET-BYTES"
)

var toolBytes = []byte("0123456789 the tool's bytes, abcdefghijklmnopqrstuvwxyz\n")

// newMirror makes a mirror folder holding a tool, a subfolder, hidden
// files and downloads in progress, beside a secret file that must never
// be served. It returns the folder and the secret's path.
func newMirror(t *testing.T) (dir, outside string) {
	t.Helper()
	top := t.TempDir()
	dir = filepath.Join(top, "mirror")
	outside = filepath.Join(top, "secret.txt")
	files := map[string]string{
		outside:                                    secret,
		filepath.Join(dir, toolName):               string(toolBytes),
		filepath.Join(dir, "sub", "inner.txt"):     "inner",
		filepath.Join(dir, ".git", "config"):       "[core]",
		filepath.Join(dir, ".hidden"):              "hidden",
		filepath.Join(dir, ".abc123-42.part"):      "half",
		filepath.Join(dir, "tool-2.0.tar.gz.part"): "half",
	}
	for name, content := range files {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, outside
}

// syncBuffer is a log the server's goroutines may share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serveMirror starts an HTTP server for dir. Closing it waits for the
// handlers, so the log and counts are complete afterwards.
func serveMirror(t *testing.T, dir string) (*Server, *httptest.Server, *syncBuffer) {
	t.Helper()
	var log syncBuffer
	s := NewServer(dir, LogTo(&log))
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts, &log
}

// rawRequest sends target byte for byte on the request line, so that no
// client cleans or re-encodes it, and returns the status, headers and body.
func rawRequest(t *testing.T, addr, method, target string, header ...string) (int, http.Header, string) {
	t.Helper()
	var d net.Dialer
	conn, err := d.DialContext(t.Context(), "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	req := method + " " + target + " HTTP/1.1\r\nHost: mirror\r\nConnection: close\r\n"
	for _, h := range header {
		req += h + "\r\n"
	}
	if _, err := io.WriteString(conn, req+"\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	return resp.StatusCode, resp.Header, string(body)
}

func TestServeFile(t *testing.T) {
	t.Parallel()
	dir, _ := newMirror(t)
	_, ts, _ := serveMirror(t, dir)
	addr := ts.Listener.Addr().String()

	code, h, body := rawRequest(t, addr, "GET", "/"+toolName)
	if code != http.StatusOK || body != string(toolBytes) {
		t.Fatalf("GET: %d %q, want 200 and the file", code, body)
	}
	if got := h.Get("Content-Length"); got != strconv.Itoa(len(toolBytes)) {
		t.Errorf("GET: Content-Length %q, want %d", got, len(toolBytes))
	}
	if h.Get("Last-Modified") == "" {
		t.Error("GET: no Last-Modified, which a resume sends back as If-Range")
	}

	code, h, body = rawRequest(t, addr, "HEAD", "/"+toolName)
	if code != http.StatusOK || body != "" || h.Get("Content-Length") != strconv.Itoa(len(toolBytes)) {
		t.Errorf("HEAD: %d, Content-Length %q, body %q; want 200, %d, empty", code, h.Get("Content-Length"), body, len(toolBytes))
	}

	// A broken download resumes from byte 10.
	code, h, body = rawRequest(t, addr, "GET", "/"+toolName, "Range: bytes=10-")
	if code != http.StatusPartialContent || body != string(toolBytes[10:]) {
		t.Fatalf("Range: %d %q, want 206 and the rest of the file", code, body)
	}
	if want := fmt.Sprintf("bytes 10-%d/%d", len(toolBytes)-1, len(toolBytes)); h.Get("Content-Range") != want {
		t.Errorf("Range: Content-Range %q, want %q", h.Get("Content-Range"), want)
	}
	lastMod := h.Get("Last-Modified")
	code, _, body = rawRequest(t, addr, "GET", "/"+toolName, "Range: bytes=10-", "If-Range: "+lastMod)
	if code != http.StatusPartialContent || body != string(toolBytes[10:]) {
		t.Errorf("Range with a matching If-Range: %d %q, want 206 and the rest", code, body)
	}
	code, _, body = rawRequest(t, addr, "GET", "/"+toolName, "Range: bytes=10-", "If-Range: Mon, 02 Jan 2006 15:04:05 GMT")
	if code != http.StatusOK || body != string(toolBytes) {
		t.Errorf("Range with a stale If-Range: %d %q, want 200 and the whole (new) file", code, body)
	}
}

func TestServeRoot(t *testing.T) {
	t.Parallel()
	dir, _ := newMirror(t)
	_, ts, _ := serveMirror(t, dir)
	addr := ts.Listener.Addr().String()

	if code, _, _ := rawRequest(t, addr, "GET", "/"); code != http.StatusNotFound {
		t.Errorf("GET / without index.json: %d, want 404 (no listing)", code)
	}
	sum := strings.Repeat("a", 64)
	index := `{"envup_mirror": 1, "files": [{"name": "alpha-1.0-py3-none-any.whl", "url": "https://example.org/alpha-1.0-py3-none-any.whl", "sha256": "` + sum + `", "size": 3, "platforms": ["linux/debian/12/amd64"]}]}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "index.json"), []byte(index), 0o644); err != nil {
		t.Fatal(err)
	}
	// "/" is a page of links to the indexed files, as pip's --find-links reads it.
	code, h, body := rawRequest(t, addr, "GET", "/")
	if code != http.StatusOK || !strings.Contains(body, `<a href="alpha-1.0-py3-none-any.whl#sha256=`+sum+`">alpha-1.0-py3-none-any.whl</a>`) {
		t.Errorf("GET /: %d %q, want 200 and a link to the wheel", code, body)
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("GET /: Content-Type %q, want text/html", ct)
	}
	if code, _, body := rawRequest(t, addr, "GET", "/index.json"); code != http.StatusOK || body != index {
		t.Errorf("GET /index.json: %d %q, want 200 and the index", code, body)
	}
}

func TestServeRefusesTraversal(t *testing.T) {
	t.Parallel()
	dir, outside := newMirror(t)
	_, ts, log := serveMirror(t, dir)
	addr := ts.Listener.Addr().String()
	abs := filepath.ToSlash(outside)
	if !strings.HasPrefix(abs, "/") {
		abs = "/" + abs // C:/x on Windows
	}
	targets := []string{
		"/../secret.txt",
		"/%2e%2e/secret.txt",
		"/%2E%2E/secret.txt",
		"/..%2fsecret.txt",
		"/..%2Fsecret.txt",
		"/%2e%2e%2fsecret.txt",
		"/sub/../../secret.txt",
		"/sub/%2e%2e/%2e%2e/secret.txt",
		"/sub/..%2f..%2fsecret.txt",
		`/..\secret.txt`,
		`/sub\..\..\secret.txt`,
		"/..%5csecret.txt",
		"/%5c..%5csecret.txt",
		"/" + abs,
		"/" + url.PathEscape(abs),
		"/C:%5Csecret.txt",
		"/C:/secret.txt",
		"/secret.txt%00",
		"/secret.txt%00.tar.gz",
		"/.",
		"/..",
		"/%2e",
		"/./" + toolName,
		"//" + toolName,
		"http://mirror/../secret.txt",
		"http://mirror/%2e%2e/secret.txt",
	}
	for _, target := range targets {
		code, _, body := rawRequest(t, addr, "GET", target)
		if code != http.StatusBadRequest && code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 400 or 404", target, code)
		}
		if strings.Contains(body, secret) {
			t.Errorf("GET %s: served the file outside the mirror folder", target)
		}
	}
	// Every one reached the handler (a log line each): none was left to
	// net/http's own checks.
	ts.Close()
	if n := strings.Count(log.String(), "\n"); n != len(targets) {
		t.Errorf("the handler logged %d requests, want %d:\n%s", n, len(targets), log)
	}
}

func TestServeRefusesHidden(t *testing.T) {
	t.Parallel()
	dir, _ := newMirror(t)
	_, ts, _ := serveMirror(t, dir)
	addr := ts.Listener.Addr().String()
	for _, target := range []string{
		"/.git/config",
		"/.git",
		"/%2egit/config",
		"/.hidden",
		"/%2ehidden",
		"/.abc123-42.part",
		"/tool-2.0.tar.gz.part",
		"/tool-2.0.tar.gz.PART",
		"/sub",
		"/sub/",
		"/sub/inner.txt",
		"/missing.tar.gz",
	} {
		code, _, body := rawRequest(t, addr, "GET", target)
		if code != http.StatusNotFound && code != http.StatusBadRequest {
			t.Errorf("GET %s: %d %q, want 404", target, code, body)
		}
		if strings.Contains(body, "half") || strings.Contains(body, "hidden") || strings.Contains(body, "[core]") || strings.Contains(body, "inner") {
			t.Errorf("GET %s: served %q", target, body)
		}
	}
}

func TestServeRefusesSymlinkOutside(t *testing.T) {
	t.Parallel()
	dir, outside := newMirror(t)
	links := map[string]string{
		"escape.tar.gz":     outside,
		"rel-escape.tar.gz": filepath.Join("..", "secret.txt"),
		"outdir":            filepath.Dir(outside),
		"alias.tar.gz":      toolName, // inside: served
	}
	for name, to := range links {
		if err := os.Symlink(to, filepath.Join(dir, name)); err != nil {
			t.Skipf("no symlinks here: %v", err)
		}
	}
	_, ts, _ := serveMirror(t, dir)
	addr := ts.Listener.Addr().String()
	for _, target := range []string{"/escape.tar.gz", "/rel-escape.tar.gz", "/outdir/secret.txt", "/outdir"} {
		code, _, body := rawRequest(t, addr, "GET", target)
		if code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", target, code)
		}
		if strings.Contains(body, secret) {
			t.Errorf("GET %s: served the file outside the mirror folder through a symlink", target)
		}
	}
	if code, _, body := rawRequest(t, addr, "GET", "/alias.tar.gz"); code != http.StatusOK || body != string(toolBytes) {
		t.Errorf("GET /alias.tar.gz (a symlink inside the folder): %d %q, want 200 and the file", code, body)
	}
}

func TestServeReadOnly(t *testing.T) {
	t.Parallel()
	dir, _ := newMirror(t)
	_, ts, _ := serveMirror(t, dir)
	addr := ts.Listener.Addr().String()
	before := listFolder(t, dir)
	for _, method := range []string{"PUT", "POST", "DELETE", "PATCH", "OPTIONS", "MKCOL"} {
		for _, target := range []string{"/" + toolName, "/new.tar.gz"} {
			code, h, _ := rawRequest(t, addr, method, target, "Content-Length: 4", "", "evil")
			if code != http.StatusMethodNotAllowed {
				t.Errorf("%s %s: %d, want 405", method, target, code)
			}
			if allow := h.Get("Allow"); allow != "GET, HEAD" {
				t.Errorf("%s %s: Allow %q, want \"GET, HEAD\"", method, target, allow)
			}
		}
	}
	if after := listFolder(t, dir); !slices.Equal(before, after) {
		t.Errorf("the folder changed:\n%s\nwas\n%s", after, before)
	}
}

// listFolder lists every file under dir with its content.
func listFolder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		out = append(out, path+"="+string(data))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCounts(t *testing.T) {
	t.Parallel()
	dir, _ := newMirror(t)
	if err := os.WriteFile(filepath.Join(dir, "index.json"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, ts, _ := serveMirror(t, dir)
	addr := ts.Listener.Addr().String()

	const seats = 8
	var wg sync.WaitGroup
	for range seats {
		wg.Go(func() {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, ts.URL+"/"+toolName, http.NoBody)
			if err != nil {
				t.Error(err)
				return
			}
			resp, err := ts.Client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	rawRequest(t, addr, "HEAD", "/"+toolName)
	rawRequest(t, addr, "GET", "/"+toolName, "Range: bytes=1-")
	rawRequest(t, addr, "GET", "/"+toolName, "If-Modified-Since: "+time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
	rawRequest(t, addr, "GET", "/missing.tar.gz")
	rawRequest(t, addr, "GET", "/index.json")
	ts.Close()

	got := s.Counts()
	want := map[string]int{toolName: seats, "index.json": 1}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Counts() = %v, want %v (HEAD, Range, 304 and 404 do not count)", got, want)
	}
	got[toolName] = 99
	if s.Counts()[toolName] != seats {
		t.Error("Counts() returned the server's own map")
	}
}

func TestLog(t *testing.T) {
	t.Parallel()
	dir, _ := newMirror(t)
	_, ts, log := serveMirror(t, dir)
	addr := ts.Listener.Addr().String()
	rawRequest(t, addr, "GET", "/"+toolName)
	rawRequest(t, addr, "HEAD", "/"+toolName)
	rawRequest(t, addr, "GET", "/"+toolName, "Range: bytes=10-")
	rawRequest(t, addr, "GET", "/..%2fsecret.txt")
	rawRequest(t, addr, "PUT", "/x")
	rawRequest(t, addr, "GET", "/a%0a127.0.0.1:1%20GET%20/forged%20200%201%201s")
	ts.Close()

	lines := strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n")
	n := len(toolBytes)
	want := []string{
		fmt.Sprintf(`GET /%s 200 %d`, regexp.QuoteMeta(toolName), n),
		fmt.Sprintf(`HEAD /%s 200 0`, regexp.QuoteMeta(toolName)),
		fmt.Sprintf(`GET /%s 206 %d`, regexp.QuoteMeta(toolName), n-10),
		`GET /\.\.%2fsecret\.txt 400 \d+`,
		`PUT /x 405 \d+`,
		`GET /a%0[aA]127\.0\.0\.1:1%20GET%20/forged%20200%201%201s 404 \d+`,
	}
	if len(lines) != len(want) {
		t.Fatalf("log has %d lines, want %d:\n%s", len(lines), len(want), log)
	}
	for i, line := range lines {
		re := `^127\.0\.0\.1:\d+ ` + want[i] + ` \d[0-9.]*[µnm]?s$`
		if !regexp.MustCompile(re).MatchString(line) {
			t.Errorf("log line %d = %q, want %s", i+1, line, re)
		}
	}
}

func TestNameFor(t *testing.T) {
	t.Parallel()
	// Paths as net/http decodes them, so every encoding of a form lands
	// on one of these.
	for _, tc := range []struct {
		path, name string
		code       int
	}{
		{"/", "index.json", 0},
		{"/" + toolName, toolName, 0},
		{"/index.json", "index.json", 0},
		{"/a+b%c.whl", "a+b%c.whl", 0},
		{"", "", 400},
		{"*", "", 400},
		{"secret", "", 400},
		{"/../secret", "", 400},
		{"/..", "", 400},
		{"/.", "", 400},
		{"/sub/../../x", "", 400},
		{"/sub/./x", "", 400},
		{"//etc/passwd", "", 400},
		{`/..\secret`, "", 400},
		{`/C:\secret`, "", 400},
		{"/x\x00.tar.gz", "", 400},
		{"/etc/passwd", "", 404},
		{"/sub/", "", 400},
		{"/.git/config", "", 404},
		{"/.hidden", "", 404},
		{"/.abc-1.part", "", 404},
		{"/x.tar.gz.part", "", 404},
	} {
		name, code := nameFor(tc.path)
		if name != tc.name || code != tc.code {
			t.Errorf("nameFor(%q) = %q, %d; want %q, %d", tc.path, name, code, tc.name, tc.code)
		}
	}
}

func TestServeMissingFolder(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	h := NewServer(filepath.Join(t.TempDir(), "gone"), LogTo(&log))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/"+toolName, http.NoBody))
	if w.Code != http.StatusInternalServerError {
		t.Errorf("GET from a missing folder: %d, want 500", w.Code)
	}
	if !strings.Contains(log.String(), " 500 ") {
		t.Errorf("log %q does not show the 500", log.String())
	}
}

// TestServeRootListsOnlyPythonDistributions: the page pip reads lists a
// virtualenv's files and leaves out the rest, so a Redis source tarball
// (redis-7.0.15.tar.gz, from `apt-get source redis`'s upstream name) is
// not taken for redis-py's sdist 7.0.15 when a venv asks for "redis".
// An entry of an index that does not say its kinds stays listed.
func TestServeRootListsOnlyPythonDistributions(t *testing.T) {
	t.Parallel()
	dir, _ := newMirror(t)
	_, ts, _ := serveMirror(t, dir)
	var ix Index
	for _, f := range []IndexFile{
		{Name: "redis-7.0.15.tar.gz", URL: "https://download.redis.io/releases/redis-7.0.15.tar.gz", SHA256: sumA, Size: 1, Kinds: []string{"service"}},
		{Name: "redis-5.0.1-py3-none-any.whl", URL: "https://files.pythonhosted.org/packages/redis-5.0.1-py3-none-any.whl", SHA256: sumB, Size: 1, Kinds: []string{"virtualenv"}},
		{Name: "old-1.0-py3-none-any.whl", URL: "https://example.org/old-1.0-py3-none-any.whl", SHA256: strings.Repeat("c", 64), Size: 1},
	} {
		if err := ix.Add(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Write(dir); err != nil {
		t.Fatal(err)
	}
	code, _, body := rawRequest(t, ts.Listener.Addr().String(), "GET", "/")
	if code != http.StatusOK {
		t.Fatalf("GET /: %d", code)
	}
	for name, listed := range map[string]bool{"redis-7.0.15.tar.gz": false, "redis-5.0.1-py3-none-any.whl": true, "old-1.0-py3-none-any.whl": true} {
		if got := strings.Contains(body, ">"+name+"</a>"); got != listed {
			t.Errorf("GET /: %s listed %v, want %v:\n%s", name, got, listed, body)
		}
	}
}
