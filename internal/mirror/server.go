package mirror

import (
	"fmt"
	"html"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Server serves the files of a mirror folder read-only over HTTP.
//
// It answers GET and HEAD (405 with an Allow header otherwise) for the
// folder's top-level regular files, by name: /python-3.12.1.tar.gz. The
// folder is flat, as fetch looks files up by base name, so a path with a
// folder in it is not served, and there are no directory listings; "/"
// is a page of links to the Python distributions index.json lists (404
// without an index; IndexFile.ForPip), which pip reads as --find-links,
// and /index.json the index. Hidden names
// (.git, a download in progress as .x.part) and names ending in .part are
// never served. A malformed path (.., ., an empty segment, a backslash, a
// NUL, a name Windows reads as a device or a drive) gets 400, however it
// was encoded; a missing, hidden or non-regular file gets 404, and so does
// a symlink that leads outside the folder (the folder is opened as an
// os.Root, which refuses them). Range and conditional requests work
// (http.ServeContent), so a seat's broken download resumes.
//
// Each request is logged as a Request: remote address, method, escaped
// path, status, bytes sent and duration.
//
// Server never writes to the folder; it reopens it for every request, so
// files added while it runs are served.
type Server struct {
	dir    string
	mounts []Mount

	logMu sync.Mutex // one request at a time
	log   func(Request)

	mu     sync.Mutex
	counts map[string]int
}

// Mount is a handler a Server serves beside the folder's files, at Path
// and under Path/ (the lab: /lab and /api). A mount hides a file of the
// folder with its name (a file called lab), and its requests are logged
// as the files' are. Stop, when
// set, is called as the server stops (to end streams that never idle).
type Mount struct {
	Path    string
	Handler http.Handler
	Stop    func()
}

// NewServer returns a Server for dir that logs its requests to log (nil
// means no log), with mounts beside its files. It does not check dir: a
// request finds out.
func NewServer(dir string, log func(Request), mounts ...Mount) *Server {
	if log == nil {
		log = func(Request) {}
	}
	return &Server{dir: dir, mounts: mounts, log: log, counts: map[string]int{}}
}

// Request is one request a Server answered.
type Request struct {
	Remote string        // the seat's address, host:port
	Method string        // GET, HEAD, ...
	Path   string        // escaped: what the seat sent, with no raw spaces or newlines to forge a log line with
	Status int           // the HTTP status answered
	Bytes  int64         // bytes of body sent
	Took   time.Duration // from the request read to the answer sent
}

// String is the request as one log line: remote address, method, escaped
// path, status, bytes sent and duration.
func (r Request) String() string {
	return fmt.Sprintf("%s %s %s %d %d %s", r.Remote, r.Method, r.Path, r.Status, r.Bytes, r.Took.Round(time.Microsecond))
}

// LogTo is a request log that writes each request to w as a line.
func LogTo(w io.Writer) func(Request) {
	return func(r Request) { _, _ = io.WriteString(w, r.String()+"\n") }
}

// indexName is the mirror folder's index, which "/" serves too.
const indexName = "index.json"

// Counts returns how many times each file was served whole: a GET that
// answered 200 and sent every byte. HEADs, Range answers (a resumed
// download), 304s and broken transfers do not count. The map is a copy,
// keyed by file name.
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.counts)
}

// ServeHTTP serves one request and logs it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w}
	name, size := "", int64(-1)
	if m := s.mount(r.URL.Path); m != nil {
		m.Handler.ServeHTTP(rec, r)
	} else {
		name, size = s.serve(rec, r)
	}
	if rec.code == 0 {
		rec.code = http.StatusOK
	}
	if r.Method == http.MethodGet && rec.code == http.StatusOK && size >= 0 && rec.n == size {
		s.mu.Lock()
		s.counts[name]++
		s.mu.Unlock()
	}
	req := Request{Remote: r.RemoteAddr, Method: r.Method, Path: r.URL.EscapedPath(), Status: rec.code, Bytes: rec.n, Took: time.Since(start)}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.log(req)
}

// serve answers r and returns the name and size of the file it served,
// or a size of -1 when it served none.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) (string, int64) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed: this mirror is read-only", http.StatusMethodNotAllowed)
		return "", -1
	}
	if r.URL.Path == "/" {
		return s.links(w, r)
	}
	name, code := nameFor(r.URL.Path)
	if code != 0 {
		http.Error(w, http.StatusText(code), code)
		return "", -1
	}
	root, err := os.OpenRoot(s.dir)
	if err != nil {
		http.Error(w, "mirror folder unreadable", http.StatusInternalServerError)
		return "", -1
	}
	defer root.Close()
	// Stat before Open: opening a FIFO would block until a writer came.
	if fi, err := root.Stat(name); err != nil || !fi.Mode().IsRegular() {
		http.NotFound(w, r)
		return "", -1
	}
	f, err := root.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return "", -1
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		http.NotFound(w, r)
		return "", -1
	}
	http.ServeContent(w, r, name, fi.ModTime(), f)
	return name, fi.Size()
}

// links writes the page of links to the indexed Python distributions:
// what pip's --find-links reads from a URL.
func (s *Server) links(w http.ResponseWriter, r *http.Request) (string, int64) {
	ix, err := ReadIndex(s.dir)
	if err != nil || len(ix.Files) == 0 {
		http.NotFound(w, r)
		return "", -1
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><title>envup mirror</title></head><body>\n")
	for _, f := range ix.Files {
		if !f.ForPip() {
			continue
		}
		name := html.EscapeString(f.Name)
		fmt.Fprintf(&b, "<a href=\"%s#sha256=%s\">%s</a><br>\n", html.EscapeString(url.PathEscape(f.Name)), f.SHA256, name)
	}
	b.WriteString("</body></html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method == http.MethodHead {
		return "", -1
	}
	n, _ := io.WriteString(w, b.String())
	return "", int64(n)
}

// nameFor maps a request's (decoded) path to a file name in the folder,
// or to the status that refuses it: 400 for a malformed or escaping path,
// 404 for one that is well formed but never served.
func nameFor(urlPath string) (string, int) {
	if urlPath == "/" {
		return indexName, 0
	}
	rest, ok := strings.CutPrefix(urlPath, "/")
	if !ok || rest == "" || strings.ContainsAny(rest, "\\\x00") {
		return "", http.StatusBadRequest
	}
	segs := strings.Split(rest, "/")
	for _, seg := range segs {
		if seg == "" || seg == "." || seg == ".." {
			return "", http.StatusBadRequest
		}
	}
	// On Windows this also refuses drive letters, colons (alternate data
	// streams) and device names such as NUL and COM1.
	if !filepath.IsLocal(filepath.FromSlash(rest)) {
		return "", http.StatusBadRequest
	}
	if len(segs) > 1 || hidden(rest) {
		return "", http.StatusNotFound
	}
	return rest, 0
}

// hidden reports whether a file name is kept from the seats: dot files
// (.git, fetch's .<sha>-*.part) and downloads in progress (*.part).
func hidden(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(strings.ToLower(name), ".part")
}

// recorder notes the status and the number of body bytes of a response.
type recorder struct {
	http.ResponseWriter
	code int
	n    int64
}

func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.n += int64(n)
	return n, err
}

// ReadFrom keeps the server's sendfile path for the bodies ServeContent
// copies.
func (r *recorder) ReadFrom(src io.Reader) (int64, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	n, err := io.Copy(r.ResponseWriter, src)
	r.n += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// mount is the Mount that serves urlPath, or nil.
func (s *Server) mount(urlPath string) *Mount {
	for i, m := range s.mounts {
		if urlPath == m.Path || strings.HasPrefix(urlPath, m.Path+"/") {
			return &s.mounts[i]
		}
	}
	return nil
}
