package fetch

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"os"
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
}

func newPartial(dir, want string) (*partial, error) {
	f, err := os.CreateTemp(dir, "."+want+"-*.part")
	if err != nil {
		return nil, err
	}
	return &partial{file: f, hash: sha256.New(), total: -1}, nil
}

// reset empties the file to start over.
func (p *partial) reset() error {
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
	n, err := p.file.Write(b)
	p.hash.Write(b[:n])
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
func (p *partial) keep(final string) error {
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
	if p.file == nil {
		return
	}
	name := p.file.Name()
	_ = p.file.Close()
	_ = os.Remove(name)
}
