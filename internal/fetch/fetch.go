// Package fetch brings pinned files to the machine and unpacks them safely.
//
// Get downloads a URL into a content-addressed cache (<cache>/sha256/<hex>),
// looking in the configured mirrors first, and hands back the cached path
// only once the bytes match the sha256 the caller pinned. A file gets its
// name in the cache only after that check, and is checked again the first
// time a Fetcher uses it (a disk, a kill or a person may have changed it
// since): a bad entry is removed, said, and fetched again. Transfers
// are retried with backoff, resumed with Range requests after a break or a
// stall, and refused over plain http except to loopback hosts. GetAll
// brings many files at once, a few at a time, with a bar per download on a
// terminal and a line per download in a log.
//
// Extract unpacks .tar.gz, .tgz, .tar.xz, .tar.zst and .zip archives into
// a staging directory beside the destination and renames it into place only
// when every entry was safe and written, so a hostile or broken archive
// leaves nothing behind.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/envup/envup/internal/progress"
)

// Defaults used when the matching Options field is zero.
const (
	DefaultRetries     = 3 // so four tries in all
	DefaultBackoff     = 500 * time.Millisecond
	DefaultReadTimeout = 30 * time.Second
)

// maxBackoffFactor caps the doubling wait between tries at this many Backoffs.
const maxBackoffFactor = 8

// Options configures a Fetcher.
type Options struct {
	// CacheDir holds the downloads, as CacheDir/sha256/<hex>.
	CacheDir string
	// Mirrors are folders or URLs (https, or plain http on any host: what
	// they give is checked against its sha256 like everything else)
	// searched in order for a file's base name before its own URL.
	// The CLI passes --mirror, then ENVUP_MIRROR (see MirrorsFromEnv),
	// then the recipe's mirror:.
	Mirrors []string
	// For is the platform the files are for, said when one cannot be
	// found offline ("linux/debian/12/amd64").
	For string
	// Offline forbids the origin URLs: only the cache, the mirrors and
	// local files can serve.
	Offline bool
	// Client makes the requests; nil means a client with the default
	// transport (proxy from the environment). Its redirects are checked
	// against the same https rule as the URLs themselves.
	Client *http.Client
	// Progress receives a one-line progress bar when it is a terminal and
	// neither NO_COLOR, CI nor TERM=dumb is set; nil means no bar. GetAll
	// shows one bar per download in flight there instead, and writes a
	// line as each download starts and ends when bars are not allowed
	// (see GetAll). A lone Get writes nothing when bars are not allowed.
	Progress io.Writer
	// Getenv reads NO_COLOR, CI and TERM for the progress bar; nil means
	// os.Getenv.
	Getenv func(string) string
	// Retries is how many times a broken transfer is tried again (5xx,
	// reset, unexpected EOF, stall); 0 means DefaultRetries, negative none.
	Retries int
	// Backoff is the wait before the first retry, doubled after each;
	// 0 means DefaultBackoff.
	Backoff time.Duration
	// ReadTimeout is how long a transfer may go without a byte before it
	// counts as stalled (and is resumed); 0 means DefaultReadTimeout.
	ReadTimeout time.Duration
	// UserAgent is sent with every request; empty means "envup".
	UserAgent string
	// Log receives a line when a mirror fails and the next place is
	// tried; nil means no logging.
	Log *slog.Logger
}

// Fetcher downloads pinned files into a content-addressed cache. It is safe
// for concurrent use; two Gets of the same digest download it once.
type Fetcher struct {
	opts   Options
	client *http.Client
	tries  int
	bar    bool
	locks  keyedLock
	barMu  sync.Mutex // one bar line at a time on the terminal

	inflight   inflight  // the transfers under way, for GetExtract to follow
	sweepOnce  sync.Once // old .part files go when the cache is first used
	verifiedMu sync.Mutex
	verified   map[string]int64 // digest: size of the entries checked this run
}

// New returns a Fetcher for opts.
func New(opts Options) *Fetcher {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Backoff <= 0 {
		opts.Backoff = DefaultBackoff
	}
	if opts.ReadTimeout <= 0 {
		opts.ReadTimeout = DefaultReadTimeout
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "envup"
	}
	retries := opts.Retries
	switch {
	case retries == 0:
		retries = DefaultRetries
	case retries < 0:
		retries = 0
	}
	return &Fetcher{
		opts:   opts,
		client: checkedClient(opts.Client),
		tries:  retries + 1,
		bar:    progress.Allowed(opts.Progress, opts.Getenv),
	}
}

// Result says where a Fetch found its file.
type Result struct {
	Path   string // the verified file in the cache
	Source string // the folder path or URL that served it; empty when Cached
	Cached bool   // the cache already held it: nothing was read or downloaded
}

// Get returns the path of a cached file whose sha256 is sum, downloading
// rawURL (or finding it in a mirror) when the cache does not hold it yet.
// rawURL may be an https URL, an http URL to a loopback host, a file://
// URL or a plain path.
func (f *Fetcher) Get(ctx context.Context, rawURL, sum string) (string, error) {
	r, err := f.Fetch(ctx, rawURL, sum)
	return r.Path, err
}

// Fetch is Get, also saying where the file came from.
func (f *Fetcher) Fetch(ctx context.Context, rawURL, sum string) (Result, error) {
	return f.fetch(ctx, rawURL, sum, 0, nil)
}

// fetch is Fetch knowing the file's size (0 unknown), with a watcher for
// its transfers: GetAll's bar or log lines, or nil for the single-line bar
// of a lone Get.
func (f *Fetcher) fetch(ctx context.Context, rawURL, sum string, size int64, w watcher) (Result, error) {
	want, err := normalizeSum(sum)
	if err != nil {
		return Result{}, fmt.Errorf("download %s: %w", rawURL, err)
	}
	origin, err := parsePlace(rawURL)
	if err != nil {
		return Result{}, fmt.Errorf("download %s: %w", rawURL, err)
	}
	if f.opts.CacheDir == "" {
		return Result{}, fmt.Errorf("download %s: no cache folder set", rawURL)
	}
	f.sweepOnce.Do(f.sweep)
	if p, ok := f.hit(want); ok {
		return Result{Path: p, Cached: true}, nil
	}
	unlock, err := f.locks.lock(ctx, want)
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	// Checked under the lock: another Get may have stored it while this
	// one waited, and a bad entry is removed by one Get only.
	c := f.entry(want, size, w)
	switch {
	case c.err != nil:
		return Result{}, fmt.Errorf("download %s: %w", rawURL, c.err)
	case c.ok:
		return Result{Path: c.path, Cached: true}, nil
	}
	places, err := f.places(rawURL, origin)
	if err != nil {
		return Result{}, err
	}
	return f.fill(ctx, rawURL, want, c, places, w)
}

// fill tries each place in turn until one serves the file, and stores it
// in the cache under its digest once verified. c is what the cache held,
// named in the error when no place serves.
func (f *Fetcher) fill(ctx context.Context, rawURL, want string, c cached, places []place, w watcher) (Result, error) {
	dir := filepath.Join(f.opts.CacheDir, "sha256")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Result{}, fmt.Errorf("download %s: cache: %w", rawURL, err)
	}
	tmp, err := newPartial(dir, want)
	if err != nil {
		return Result{}, fmt.Errorf("download %s: cache: %w", rawURL, err)
	}
	defer tmp.discard()
	f.inflight.begin(want, tmp) // a GetExtract follows it
	defer f.inflight.end(want)

	var looked []string
	failed := func(err error) (Result, error) {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return Result{}, err
		}
		return Result{}, &SourcesError{Looked: append([]string{c.note()}, looked...), Err: err}
	}
	for _, pl := range places {
		if err := tmp.reset(); err != nil {
			return Result{}, fmt.Errorf("download %s: cache: %w", rawURL, err)
		}
		err := f.read(ctx, pl, tmp, w)
		if err != nil && pl.mirror && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			looked = append(looked, pl.missNote(err))
			if !isMiss(err) && f.opts.Log != nil {
				f.opts.Log.Warn("mirror failed, trying the next place", "file", rawURL, "mirror", pl.loc, "error", err)
			}
			continue
		}
		if err != nil {
			return failed(err)
		}
		if got := tmp.sum(); got != want {
			return failed(&DigestError{URL: pl.loc, Want: want, Got: got})
		}
		if err := tmp.keep(c.path); err != nil {
			return Result{}, fmt.Errorf("download %s: cache: %w", rawURL, err)
		}
		f.remember(want, tmp.n)
		return Result{Path: c.path, Source: pl.loc}, nil
	}
	return Result{}, &OfflineError{URL: rawURL, Name: BaseName(rawURL), For: f.opts.For, Cache: c.note(), Looked: looked}
}

// read copies one place's bytes into tmp: a local file, or a transfer.
func (f *Fetcher) read(ctx context.Context, pl place, tmp *partial, w watcher) error {
	if pl.local {
		return readLocal(pl, tmp)
	}
	return f.download(ctx, pl, tmp, w)
}

func readLocal(pl place, tmp *partial) error {
	src, err := os.Open(pl.loc)
	if err != nil {
		if pl.mirror && errors.Is(err, fs.ErrNotExist) {
			return errMiss
		}
		return fmt.Errorf("read %s: %w", pl.loc, err)
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		return fmt.Errorf("read %s: %w", pl.loc, err)
	}
	if !fi.Mode().IsRegular() {
		if pl.mirror {
			return errMiss
		}
		return fmt.Errorf("read %s: not a regular file", pl.loc)
	}
	if _, err := tmp.readFrom(src); err != nil {
		return fmt.Errorf("read %s: %w", pl.loc, err)
	}
	return nil
}

// keyedLock serialises work on one key (a digest) while letting other keys
// proceed.
type keyedLock struct {
	mu   sync.Mutex
	busy map[string]chan struct{}
}

func (k *keyedLock) lock(ctx context.Context, key string) (func(), error) {
	for {
		k.mu.Lock()
		if k.busy == nil {
			k.busy = map[string]chan struct{}{}
		}
		ch, taken := k.busy[key]
		if !taken {
			ch = make(chan struct{})
			k.busy[key] = ch
			k.mu.Unlock()
			return func() {
				k.mu.Lock()
				delete(k.busy, key)
				k.mu.Unlock()
				close(ch)
			}, nil
		}
		k.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
