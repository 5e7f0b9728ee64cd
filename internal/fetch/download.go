package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// errStalled is the cause given to a transfer cancelled for silence.
var errStalled = errors.New("transfer stalled")

// maxDownload bounds a single file, so a server that never stops sending
// cannot fill the disk before the digest check would catch it.
const maxDownload = 64 << 30

// download transfers pl into p, retrying and resuming broken transfers.
func (f *Fetcher) download(ctx context.Context, pl place, p *partial, w watcher) error {
	if w != nil {
		w.begin()
	}
	for try := 1; ; try++ {
		retry, err := f.attempt(ctx, pl.loc, p, w)
		if err == nil {
			return nil
		}
		if !retry || try >= f.tries || ctx.Err() != nil {
			return tried(pl.loc, err, try)
		}
		wait := f.opts.Backoff << (try - 1)
		if limit := f.opts.Backoff * maxBackoffFactor; wait > limit || wait <= 0 {
			wait = limit
		}
		if err := sleep(ctx, wait); err != nil {
			return fmt.Errorf("download %s: %w", pl.loc, err)
		}
	}
}

// tried words the last error of a transfer, saying how often it was tried.
func tried(loc string, err error, tries int) error {
	var se *StatusError
	switch {
	case errors.As(err, &se) && tries > 1:
		return fmt.Errorf("%w (after %d tries)", err, tries)
	case errors.As(err, &se):
		return err
	case tries > 1:
		return fmt.Errorf("download %s: %w (after %d tries)", loc, err, tries)
	default:
		return fmt.Errorf("download %s: %w", loc, err)
	}
}

// attempt makes one request, from byte p.n on, and appends what arrives.
// retry says whether trying again may help.
func (f *Fetcher) attempt(ctx context.Context, loc string, p *partial, w watcher) (retry bool, err error) {
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	// The stall timer runs from the request on and is pushed back by every
	// read that brings bytes: silence for ReadTimeout cancels the attempt.
	stall := time.AfterFunc(f.opts.ReadTimeout, func() { cancel(errStalled) })
	defer stall.Stop()

	req, err := http.NewRequestWithContext(actx, http.MethodGet, loc, nil)
	if err != nil {
		return false, err
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	// No transparent gzip: the bytes on the wire are the bytes pinned, and
	// Range offsets count them.
	req.Header.Set("Accept-Encoding", "identity")
	if p.n > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(p.n, 10)+"-")
		if p.validator != "" {
			req.Header.Set("If-Range", p.validator)
		}
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return f.broken(ctx, actx, err)
	}
	defer resp.Body.Close()

	if retry, err := f.accept(loc, resp, p); err != nil || p.done() {
		return retry, err
	}

	b := f.meter(w, loc, p.n, p.total)
	defer b.done()
	buf := make([]byte, 64<<10)
	for {
		n, rerr := resp.Body.Read(buf)
		if n > 0 {
			stall.Reset(f.opts.ReadTimeout)
			if _, werr := p.Write(buf[:n]); werr != nil {
				return false, werr
			}
			if p.n > maxDownload {
				return false, fmt.Errorf("larger than %d bytes", int64(maxDownload))
			}
			b.set(p.n)
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			return f.broken(ctx, actx, fmt.Errorf("after %d bytes: %w", p.n, rerr))
		}
	}
	switch {
	case p.total >= 0 && p.n < p.total:
		return true, fmt.Errorf("transfer ended at byte %d of %d", p.n, p.total)
	case p.total >= 0 && p.n > p.total:
		return false, fmt.Errorf("server sent %d bytes, announced %d", p.n, p.total)
	}
	return false, nil
}

// accept checks the status of an answer against what p holds, and gets p
// ready for the body: from zero on a 200, from p.n on a matching 206.
func (f *Fetcher) accept(loc string, resp *http.Response, p *partial) (retry bool, err error) {
	switch code := resp.StatusCode; {
	case code == http.StatusOK:
		if p.n > 0 {
			// The server ignored the Range (or If-Range saw a new file):
			// start over.
			if err := p.reset(); err != nil {
				return false, err
			}
		}
		p.total = resp.ContentLength
		p.validator = validator(resp.Header)
		return false, nil
	case code == http.StatusPartialContent:
		cr := resp.Header.Get("Content-Range")
		start, total, ok := contentRange(cr)
		if !ok || start != p.n {
			if err := p.reset(); err != nil {
				return false, err
			}
			return true, fmt.Errorf("server answered Content-Range %q to a request from byte %d", cr, p.n)
		}
		p.total = total
		return false, nil
	case code == http.StatusRequestedRangeNotSatisfiable && p.n > 0:
		// The last try may have had every byte before the line broke.
		if start, total, ok := contentRange(resp.Header.Get("Content-Range")); ok && start < 0 && total == p.n {
			p.total = total
			return false, nil
		}
		if err := p.reset(); err != nil {
			return false, err
		}
		return true, errors.New("server refused to resume")
	case code >= 500:
		return true, statusError(loc, resp)
	default:
		return false, statusError(loc, resp)
	}
}

// done reports whether p holds the whole file already (a 416 answer to a
// resume of a complete file).
func (p *partial) done() bool { return p.total >= 0 && p.n == p.total && p.n > 0 }

// broken classifies a failed request or read: the caller's cancellation
// ends everything, a stall and most network errors are worth another try.
func (f *Fetcher) broken(ctx, actx context.Context, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if errors.Is(context.Cause(actx), errStalled) {
		return true, fmt.Errorf("no data for %s: %w", f.opts.ReadTimeout, errStalled)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // the URL is said by the caller
	}
	return transient(err), err
}

// transient reports whether a network error may go away on another try:
// resets, refused or dropped connections, unexpected EOF. A bad
// certificate, an unknown host or a refused redirect will not.
func transient(err error) bool {
	var (
		cv  *tls.CertificateVerificationError
		ua  x509.UnknownAuthorityError
		hn  x509.HostnameError
		ci  x509.CertificateInvalidError
		dns *net.DNSError
		red redirectError
	)
	switch {
	case errors.As(err, &red), errors.As(err, &cv), errors.As(err, &ua),
		errors.As(err, &hn), errors.As(err, &ci):
		return false
	case errors.As(err, &dns) && dns.IsNotFound:
		return false
	}
	return true
}

func statusError(loc string, resp *http.Response) error {
	status := resp.Status
	if status == "" {
		status = strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode)
	}
	return &StatusError{URL: loc, Code: resp.StatusCode, Status: status}
}

// validator is what If-Range may carry: a strong ETag, else Last-Modified.
func validator(h http.Header) string {
	if etag := h.Get("ETag"); etag != "" && !strings.HasPrefix(etag, "W/") {
		return etag
	}
	return h.Get("Last-Modified")
}

// contentRange parses "bytes 100-199/200", "bytes 100-199/*" and
// "bytes */200"; an unknown total or start is -1.
func contentRange(s string) (start, total int64, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSpace(s), "bytes ")
	if !found {
		return 0, 0, false
	}
	rng, tot, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, false
	}
	total = -1
	if tot != "*" {
		t, err := strconv.ParseInt(tot, 10, 64)
		if err != nil || t < 0 {
			return 0, 0, false
		}
		total = t
	}
	if rng == "*" {
		return -1, total, true
	}
	first, _, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, false
	}
	st, err := strconv.ParseInt(first, 10, 64)
	if err != nil || st < 0 {
		return 0, 0, false
	}
	return st, total, true
}
