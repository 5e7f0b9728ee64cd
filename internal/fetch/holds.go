package fetch

import (
	"context"
	"net/http"
	"os"
)

// Holds says whether the file rawURL names, with digest sum, can be had
// without its origin: the cache holds it, or a mirror has a copy under
// its base name (a folder's regular file, or a URL answering HEAD with
// 200). No bytes are read: a mirror's copy is verified when Get brings
// it. A local rawURL (a path, file://) is held when it is a file.
func (f *Fetcher) Holds(ctx context.Context, rawURL, sum string) bool {
	if _, ok := f.Lookup(sum); ok {
		return true
	}
	origin, err := parsePlace(rawURL)
	if err != nil {
		return false
	}
	places, err := f.places(rawURL, origin)
	if err != nil {
		return false
	}
	for _, pl := range places {
		if !pl.mirror && !pl.local {
			continue // the origin itself
		}
		if f.placeHolds(ctx, pl) {
			return true
		}
	}
	return false
}

// placeHolds says whether one place has the file.
func (f *Fetcher) placeHolds(ctx context.Context, pl place) bool {
	if pl.local {
		fi, err := os.Stat(pl.loc)
		return err == nil && fi.Mode().IsRegular()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, pl.loc, http.NoBody)
	if err != nil {
		return false
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	resp, err := f.client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
