package fetch

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// errStreamStopped says a download stopped feeding its unpacking: the
// transfer started over (a retry without resume, the next mirror), so
// the bytes unpacked so far are not the file's.
var errStreamStopped = errors.New("the transfer started over")

// errNoStream: a zip cannot be unpacked as it comes (its index is at the
// end); it is unpacked from the cache once whole.
var errNoStream = errors.New("a zip is unpacked once whole")

// stream carries a transfer's bytes, as they come, to an unpacking into
// a staging folder: queued in order and pumped into a pipe, so the
// transfer is only held up when the unpacking is far behind. A write the
// unpacking no longer reads stops the stream, never the transfer. It
// follows the transfer that brings its file, its own or one already
// under way (the apply's warm-up): joining late, it first gets the bytes
// already written.
type stream struct {
	pw       *io.PipeWriter
	queue    chan []byte
	pumped   chan struct{}
	mu       sync.Mutex
	joined   bool // a transfer feeds it (or fed it)
	stopped  bool
	complete bool        // the whole file came, and was verified
	failed   atomic.Bool // the unpacking stopped reading
}

func newStream(pw *io.PipeWriter) *stream {
	s := &stream{pw: pw, queue: make(chan []byte, 1024), pumped: make(chan struct{})}
	go func() {
		defer close(s.pumped)
		for b := range s.queue {
			if _, err := pw.Write(b); err != nil {
				s.failed.Store(true)
				for range s.queue { // the transfer goes on without it
				}
				return
			}
		}
	}()
	return s
}

// join makes s the stream of a transfer that holds have bytes so far;
// false when another transfer fed it already.
func (s *stream) join(have []byte) bool {
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.joined || s.stopped {
		return false
	}
	s.joined = true
	if len(have) > 0 {
		s.queue <- have
	}
	return true
}

func (s *stream) write(b []byte) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stopped {
		s.queue <- append([]byte(nil), b...)
	}
}

// finish ends the stream after a verified file: the unpacking reads to
// its end.
func (s *stream) finish() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stopped {
		s.stopped, s.complete = true, true
		close(s.queue)
	}
}

// stop ends the stream with err, unless it ended already.
func (s *stream) stop(err error) {
	if s == nil {
		return
	}
	s.mu.Lock()
	if !s.stopped {
		s.stopped = true
		close(s.queue)
	}
	s.mu.Unlock()
	s.pw.CloseWithError(err)
}

// done waits for the pump and says whether a whole verified file went
// through.
func (s *stream) done() bool {
	s.mu.Lock()
	if !s.stopped {
		s.stopped = true
		close(s.queue)
	}
	s.mu.Unlock()
	<-s.pumped
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.complete || s.failed.Load() {
		s.pw.CloseWithError(errStreamStopped)
	} else {
		s.pw.Close()
	}
	return s.complete && !s.failed.Load()
}

// inflight keeps, by digest, the partial file of each transfer under way
// and the stream waiting for one, so that GetExtract follows a transfer
// the warm-up started.
type inflight struct {
	mu       sync.Mutex
	partials map[string]*partial
	waiting  map[string]*stream
}

// begin registers p for want, and gives it the stream waiting for want.
func (in *inflight) begin(want string, p *partial) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.partials == nil {
		in.partials, in.waiting = map[string]*partial{}, map[string]*stream{}
	}
	in.partials[want] = p
	if s := in.waiting[want]; s != nil {
		delete(in.waiting, want)
		p.follow(s)
	}
}

func (in *inflight) end(want string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	delete(in.partials, want)
}

// follow has s fed by the transfer of want under way, or by the next one
// to begin.
func (in *inflight) follow(want string, s *stream) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if p := in.partials[want]; p != nil {
		p.follow(s)
		return
	}
	if in.waiting == nil {
		in.partials, in.waiting = map[string]*partial{}, map[string]*stream{}
	}
	in.waiting[want] = s
}

// unfollow forgets s if no transfer took it.
func (in *inflight) unfollow(want string, s *stream) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.waiting[want] == s {
		delete(in.waiting, want)
	}
}

// GetExtract is Get then Extract, overlapped: while the file downloads
// (or is read from a mirror folder), by this call or by a transfer
// already under way (the apply's warm-up), its bytes are unpacked into a
// staging folder beside destDir; the file's sha256 is checked at the
// end, and only then is the staging folder renamed to destDir. A file
// whose digest is wrong leaves no staging folder (the DigestError says
// so) and is not cached. The cache gets the file as Get stores it. A
// file already cached, a zip, or a transfer that starts over is unpacked
// from the cache once whole, as Extract does. It returns the cached
// file's path.
func (f *Fetcher) GetExtract(ctx context.Context, rawURL, sum, destDir string, strip int) (string, error) {
	destDir = filepath.Clean(destDir)
	want, err := normalizeSum(sum)
	if err != nil {
		return "", fmt.Errorf("download %s: %w", rawURL, err)
	}
	if p, ok := f.hit(want); ok {
		return p, f.Extract(ctx, p, destDir, strip)
	}
	if _, err := os.Lstat(destDir); err == nil {
		return "", &ExtractError{Archive: rawURL, Err: fmt.Errorf("%s already exists: %w", destDir, os.ErrExist)}
	}
	pr, pw := io.Pipe()
	s := newStream(pw)
	type unpacked struct {
		stage string
		err   error
	}
	out := make(chan unpacked, 1)
	go func() {
		stage, err := unpackStream(ctx, rawURL, pr, destDir, strip)
		pr.CloseWithError(errors.Join(err, errStreamStopped)) // the pump's writes stop here
		out <- unpacked{stage, err}
	}()
	f.inflight.follow(want, s)
	res, err := f.Fetch(ctx, rawURL, sum)
	f.inflight.unfollow(want, s)
	whole := s.done()
	u := <-out
	if u.err == nil && (err != nil || !whole) {
		if rmErr := os.RemoveAll(u.stage); rmErr != nil {
			return "", errors.Join(err, rmErr)
		}
	}
	if err != nil {
		var digest *DigestError
		if errors.As(err, &digest) {
			return "", fmt.Errorf("%w (what was unpacked while it came is removed)", err)
		}
		return "", err
	}
	if !whole || u.err != nil {
		f.debug("unpacked once whole", rawURL, "why", cmp.Or(errors.Join(u.err), error(errStreamStopped)).Error())
		return res.Path, f.Extract(ctx, res.Path, destDir, strip)
	}
	f.debug("unpacked while it came", rawURL)
	return res.Path, placeStage(rawURL, u.stage, destDir)
}

func (f *Fetcher) debug(msg, rawURL string, args ...any) {
	if f.opts.Log != nil {
		f.opts.Log.Debug(msg, append([]any{"file", rawURL}, args...)...)
	}
}

// unpackStream unpacks a tar (compressed as its first bytes say) from r
// into a staging folder beside destDir, then reads r to its end, so the
// download behind it is never held up.
func unpackStream(ctx context.Context, name string, r io.Reader, destDir string, strip int) (string, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	head, err := br.Peek(512)
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	fm := formatByMagic(head)
	switch fm {
	case formatUnknown:
		if fm = formatByName(name); fm == formatUnknown {
			return "", ErrUnknownFormat
		}
	case formatZip:
		return "", errNoStream
	}
	stage, err := unpackStage(ctx, name, destDir, ExtractOptions{StripComponents: strip}, func(t *tree) error {
		return extractTarFrom(name, br, fm, t)
	})
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		return "", errors.Join(err, os.RemoveAll(stage))
	}
	return stage, nil
}
