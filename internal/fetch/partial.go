package fetch

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"os"
	"sync"
)

// partial is a download in progress: a temporary file in the cache folder
// and the running sha256 of what it holds. It gets its final name only
// through keep, after the caller checked the digest.
type partial struct {
	file *os.File
	hash hash.Hash
	n    int64 // bytes held
	// total is the whole file's size when the server said it, else -1.
	total int64
	// validator is the ETag or Last-Modified of the first answer, sent as
	// If-Range so a resume never splices two versions of a file.
	validator string
	// tee, when set, gets the bytes too, as they come (GetExtract); mu
	// orders its joining with the writes.
	tee *stream
	mu  sync.Mutex
}

// follow has s get this transfer's bytes: those written so far, then the
// rest as they come.
func (p *partial) follow(s *stream) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tee != nil || p.file == nil {
		return
	}
	have := make([]byte, p.n)
	if _, err := p.file.ReadAt(have, 0); err != nil && p.n > 0 {
		return
	}
	if s.join(have) {
		p.tee = s
	}
}

func newPartial(dir, want string) (*partial, error) {
	f, err := os.CreateTemp(dir, "."+want+"-*.part")
	if err != nil {
		return nil, err
	}
	return &partial{file: f, hash: sha256.New(), total: -1}, nil
}

// reset empties the file to start over; bytes already given to tee were
// the start of another transfer, so it stops.
func (p *partial) reset() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n > 0 && p.tee != nil {
		p.tee.stop(errStreamStopped)
		p.tee = nil
	}
	if err := p.file.Truncate(0); err != nil {
		return err
	}
	if _, err := p.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	p.hash.Reset()
	p.n, p.total, p.validator = 0, -1, ""
	return nil
}

// Write appends to the file and the digest.
func (p *partial) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n, err := p.file.Write(b)
	p.hash.Write(b[:n])
	p.tee.write(b[:n])
	p.n += int64(n)
	return n, err
}

// readFrom appends all of r.
func (p *partial) readFrom(r io.Reader) (int64, error) {
	return io.Copy(struct{ io.Writer }{p}, r)
}

func (p *partial) sum() string { return hex.EncodeToString(p.hash.Sum(nil)) }

// keep syncs the file and renames it to final. If another process stored
// the same digest first, its file is as good as this one.
func (p *partial) keep(final string) (err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer func() {
		if err == nil {
			p.tee.finish() // the file is whole and verified
		}
	}()
	if err := p.file.Sync(); err != nil {
		return err
	}
	if err := p.file.Close(); err != nil {
		return err
	}
	if err := os.Rename(p.file.Name(), final); err != nil {
		if fi, serr := os.Stat(final); serr == nil && fi.Mode().IsRegular() {
			_ = os.Remove(p.file.Name())
			p.file = nil
			return nil
		}
		return err
	}
	p.file = nil
	return nil
}

// discard removes the file unless keep took it.
func (p *partial) discard() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.file == nil {
		return
	}
	p.tee.stop(errStreamStopped)
	name := p.file.Name()
	_ = p.file.Close()
	_ = os.Remove(name)
}
