package fetch

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/envup/envup/internal/system"
)

// DefaultJobs is how many files GetAll brings at a time when not told.
const DefaultJobs = 4

// Want is one file to bring: its URL and pinned sha256, and a name for messages.
type Want struct {
	URL, SHA256 string
	Name        string // e.g. the file's base name; "" uses BaseName(URL)
	Size        int64  // expected size when known (for the bar's total); 0 unknown
}

// name is what messages call the file.
func (w Want) name() string {
	if w.Name != "" {
		return w.Name
	}
	if n := BaseName(w.URL); n != "" {
		return n
	}
	return w.URL
}

// GetAll brings every wanted file into the cache, at most jobs at a time
// (jobs <= 0 means DefaultJobs = 4), and returns their cached paths in order.
// All are attempted even when some fail; the error joins one error per failed
// file, each naming the file and its URL. Each Get keeps its own retries,
// mirrors, resume and digest check.
//
// When ctx ends, no more files are started and the transfers under way stop;
// the files that were not fetched are then counted in one error that wraps
// ctx's, after the errors of the files that failed on their own. A failed
// file's path is "".
//
// Progress goes to Options.Progress: on a terminal where bars are allowed,
// one bar per download in flight and a line above the bars as each file is
// done; otherwise only lines, one as each download starts ("fetching
// NAME") and one as each file is done ("fetched NAME (1.2 MiB in 300ms)",
// "NAME: already in the cache", "NAME: copied from PATH", "NAME: failed").
// Files found in the cache or in a mirror folder are not downloads: they
// get no bar and no starting line.
func (f *Fetcher) GetAll(ctx context.Context, wants []Want, jobs int) ([]string, error) {
	return f.getAll(ctx, wants, jobs, f.newReport())
}

// getAll is GetAll, its progress said through rep.
func (f *Fetcher) getAll(ctx context.Context, wants []Want, jobs int, rep *report) ([]string, error) {
	if jobs <= 0 {
		jobs = DefaultJobs
	}
	paths := make([]string, len(wants))
	errs := make([]error, len(wants))
	slots := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	started := 0
	for i, w := range wants {
		if ctx.Err() != nil {
			break
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		started++
		wg.Go(func() {
			defer func() { <-slots }()
			paths[i], errs[i] = f.getOne(ctx, w, rep)
		})
	}
	wg.Wait()
	rep.close()
	return paths, joinFailures(ctx, errs, len(wants)-started)
}

// getOne brings one file for GetAll, showing its progress in rep.
func (f *Fetcher) getOne(ctx context.Context, w Want, rep *report) (string, error) {
	t := rep.track(w)
	res, err := f.fetch(ctx, w.URL, w.SHA256, w.Size, t)
	t.end(res, err)
	if err != nil {
		return "", &FileError{Name: t.name, URL: w.URL, Err: err}
	}
	return res.Path, nil
}

// joinFailures joins the errors of the files that failed, and when ctx
// ended, one error for all the files it stopped or kept from starting.
func joinFailures(ctx context.Context, errs []error, unstarted int) error {
	var out []error
	stopped := unstarted
	for _, err := range errs {
		switch {
		case err == nil:
		case ctx.Err() != nil && errors.Is(err, ctx.Err()):
			stopped++
		default:
			out = append(out, err)
		}
	}
	if stopped > 0 {
		out = append(out, fmt.Errorf("%d of %d files not fetched: %w", stopped, len(errs), ctx.Err()))
	}
	return errors.Join(out...)
}

// Warm brings files into the cache with GetAll, DefaultJobs at a time,
// for system.Real's Warm: an apply fills the cache ahead of the resources
// that need the files.
func (f *Fetcher) Warm(ctx context.Context, files []system.Want) error {
	wants := make([]Want, len(files))
	for i, w := range files {
		wants[i] = Want{URL: w.URL, SHA256: w.SHA256, Name: w.Name, Size: w.Size}
	}
	// Lines, never bars: apply draws its own lines and status line on the
	// terminal meanwhile, which bars redrawn in place would overwrite.
	_, err := f.getAll(ctx, wants, 0, &report{lines: f.opts.Progress})
	return err
}
