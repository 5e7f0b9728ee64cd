package fetch

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// badEntries put a bad entry of each kind at a cache path; the name is
// what the message about it must say.
var badEntries = []struct {
	name, says string
	put        func(t *testing.T, p string)
}{
	{"wrong bytes of the right size", "did not match its sha256: got ", func(t *testing.T, p string) {
		writeEntry(t, p, bytes.Repeat([]byte{'x'}, len(payload)))
	}},
	{"truncated", "did not match its sha256: got ", func(t *testing.T, p string) { writeEntry(t, p, payload[:len(payload)/2]) }},
	{"empty", "is empty", func(t *testing.T, p string) { writeEntry(t, p, nil) }},
	{"garbage", "did not match its sha256: got ", func(t *testing.T, p string) { writeEntry(t, p, []byte("<html>captive portal</html>")) }},
	{"directory", "is a directory", func(t *testing.T, p string) {
		writeEntry(t, filepath.Join(p, "inside"), payload)
	}},
	{"fifo", "named pipe (FIFO)", mkfifo},
	{"dangling symlink", "is a symlink", func(t *testing.T, p string) {
		linkEntry(t, filepath.Join(t.TempDir(), "gone"), p)
	}},
	{"symlink to the right bytes elsewhere", "is a symlink", func(t *testing.T, p string) {
		elsewhere := filepath.Join(t.TempDir(), "python.tar.gz")
		writeEntry(t, elsewhere, payload)
		linkEntry(t, elsewhere, p)
	}},
}

// writeEntry writes data at p, making its folder.
func writeEntry(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// linkEntry makes a link at p to target, skipping where links need rights
// the test lacks (Windows without developer mode).
func linkEntry(t *testing.T, target, p string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		t.Skipf("symlink: %v", err)
	}
}

func TestGetHealsBadCacheEntry(t *testing.T) {
	t.Parallel()
	mirrors := map[string]func(t *testing.T) (mirror, source string){
		"folder": func(t *testing.T) (string, string) {
			d := mirrorDir(t, "python.tar.gz")
			return d, filepath.Join(d, "python.tar.gz")
		},
		"URL": func(t *testing.T) (string, string) {
			srv := fileServer(t, mirrorDir(t, "python.tar.gz"))
			return srv.URL, srv.URL + "/python.tar.gz"
		},
	}
	for _, bad := range badEntries {
		for kind, mirror := range mirrors {
			t.Run(bad.name+", "+kind+" mirror", func(t *testing.T) {
				t.Parallel()
				origin := noOrigin(t)
				m, source := mirror(t)
				var progress bytes.Buffer
				f, cache := newFetcher(t, Options{Mirrors: []string{m}, Progress: &progress})
				entry := f.Path(payloadSum)
				bad.put(t, entry)

				res, err := f.Fetch(t.Context(), origin.URL+"/python.tar.gz", payloadSum)
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				checkCached(t, cache, res.Path)
				if res.Cached || res.Source != source {
					t.Errorf("result = %+v; want served by %s", res, source)
				}
				said := progress.String()
				for _, want := range []string{"cache entry " + entry + " ", bad.says, "removed, fetching again"} {
					if !strings.Contains(said, want) {
						t.Errorf("progress %q lacks %q", said, want)
					}
				}
			})
		}
	}
}

// GetAll knows a file's size: a short entry is refused before it is read,
// and the line about it is among GetAll's.
func TestGetAllHealsShortCacheEntry(t *testing.T) {
	t.Parallel()
	origin := noOrigin(t)
	var progress bytes.Buffer
	f, cache := newFetcher(t, Options{Mirrors: []string{mirrorDir(t, "python.tar.gz")}, Progress: &progress})
	writeEntry(t, f.Path(payloadSum), payload[:1000])

	paths, err := f.GetAll(t.Context(), []Want{{URL: origin.URL + "/python.tar.gz", SHA256: payloadSum, Size: int64(len(payload))}}, 1)
	if err != nil {
		t.Fatalf("GetAll: %v", err)
	}
	checkCached(t, cache, paths[0])
	if want := "1000 bytes, want " + strconv.Itoa(len(payload)); !strings.Contains(progress.String(), want) {
		t.Errorf("progress %q lacks %q", progress.String(), want)
	}
}

// With nowhere else to turn, the error names the cache entry and what was
// wrong with it, the mirrors and the origin.
func TestGetBadCacheEntryNowhereElse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		offline bool
		says    []string
	}{
		{"offline", true, []string{"offline and no mirror has it"}},
		{"origin 404", false, []string{"404 Not Found", "/python.tar.gz"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			origin := fileServer(t, t.TempDir())
			empty := mirrorDir(t)
			f, cache := newFetcher(t, Options{Mirrors: []string{empty}, Offline: c.offline})
			entry := f.Path(payloadSum)
			writeEntry(t, entry, []byte("garbage"))

			_, err := f.Get(t.Context(), origin.URL+"/python.tar.gz", payloadSum)
			if err == nil {
				t.Fatal("Get succeeded")
			}
			t.Logf("error: %v", err)
			for _, want := range append(c.says, entry+" (did not match its sha256: got ", "; removed)", filepath.Join(empty, "python.tar.gz")) {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("message %q lacks %q", err, want)
				}
			}
			if files := cacheFiles(t, cache); len(files) != 0 {
				t.Errorf("cache holds %v; want the bad entry gone", files)
			}
		})
	}
}

func TestGetNoMirrorNamesCacheEntry(t *testing.T) {
	t.Parallel()
	f, _ := newFetcher(t, Options{Offline: true})
	_, err := f.Get(t.Context(), "https://downloads.example.org/python.tar.gz", payloadSum)
	var oe *OfflineError
	if !errors.As(err, &oe) || !strings.Contains(err.Error(), "no mirror is set (looked in "+f.Path(payloadSum)+")") {
		t.Errorf("Get = %v; want an *OfflineError naming the cache entry", err)
	}
}

func TestLookupRemovesBadEntry(t *testing.T) {
	t.Parallel()
	f, cache := newFetcher(t, Options{})
	writeEntry(t, f.Path(payloadSum), payload[1:])
	if p, ok := f.Lookup(payloadSum); ok {
		t.Errorf("Lookup = %s; want no entry", p)
	}
	if files := cacheFiles(t, cache); len(files) != 0 {
		t.Errorf("cache holds %v; want the bad entry gone", files)
	}
	writeEntry(t, f.Path(payloadSum), payload)
	if p, ok := f.Lookup(payloadSum); !ok || p != f.Path(payloadSum) {
		t.Errorf("Lookup = %s, %v; want the good entry", p, ok)
	}
}

// An entry is read once per Fetcher: a later change of the same size is
// the next run's to find.
func TestGetVerifiesOncePerRun(t *testing.T) {
	t.Parallel()
	src := filepath.Join(mirrorDir(t, "python.tar.gz"), "python.tar.gz")
	f, cache := newFetcher(t, Options{})
	writeEntry(t, f.Path(payloadSum), payload)
	if res, err := f.Fetch(t.Context(), src, payloadSum); err != nil || !res.Cached {
		t.Fatalf("Fetch = %+v, %v; want a cache hit", res, err)
	}
	writeEntry(t, f.Path(payloadSum), bytes.Repeat([]byte{'x'}, len(payload)))
	if res, err := f.Fetch(t.Context(), src, payloadSum); err != nil || !res.Cached {
		t.Errorf("second Fetch = %+v, %v; want the verified entry trusted", res, err)
	}
	next, _ := newFetcher(t, Options{CacheDir: cache})
	res, err := next.Fetch(t.Context(), src, payloadSum)
	if err != nil || res.Cached {
		t.Fatalf("next run's Fetch = %+v, %v; want the entry fetched again", res, err)
	}
	checkCached(t, cache, res.Path)
}

func TestFetcherRemovesOldPartials(t *testing.T) {
	t.Parallel()
	f, cache := newFetcher(t, Options{Offline: true})
	dir := filepath.Join(cache, "sha256")
	old, fresh := filepath.Join(dir, "."+payloadSum+"-1.part"), filepath.Join(dir, "."+payloadSum+"-2.part")
	oldEntry := filepath.Join(dir, strings.Repeat("ab", 32))
	for _, p := range []string{old, fresh, oldEntry} {
		writeEntry(t, p, []byte("part"))
	}
	twoDays := time.Now().Add(-48 * time.Hour)
	for _, p := range []string{old, oldEntry} {
		if err := os.Chtimes(p, twoDays, twoDays); err != nil {
			t.Fatal(err)
		}
	}
	f.Lookup(payloadSum)
	if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("old .part is still there (%v)", err)
	}
	for _, p := range []string{fresh, oldEntry} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s went: %v", filepath.Base(p), err)
		}
	}
}
