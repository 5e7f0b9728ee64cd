package fetch

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func sumOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// heldBack serves an archive of a small first file and 2 MiB of random
// bytes (gzip cannot shrink them), holding back its second half until
// release is closed: what is unpacked meanwhile was streamed.
func heldBack(t *testing.T) (archive []byte, bigSize int, srv *server, release chan struct{}) {
	t.Helper()
	big := make([]byte, 2<<20)
	if _, err := rand.Read(big); err != nil {
		t.Fatal(err)
	}
	archive = gzipBytes(t, tarBytes(t, []member{file("python/first.txt", 0o644, "first\n"), file("python/big.bin", 0o644, string(big))}))
	release = make(chan struct{})
	srv = newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		half := len(archive) / 2
		_, _ = w.Write(archive[:half])
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		_, _ = w.Write(archive[half:])
	})
	return archive, len(big), srv, release
}

// waitFor polls until glob matches a file, for at most 10 s.
func waitFor(t *testing.T, what, glob string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m, _ := filepath.Glob(glob); len(m) > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s", what)
		}
		time.Sleep(5 * time.Millisecond) // polling files, not waiting for the server
	}
}

// TestGetExtractStreams: the first file of the archive is unpacked into
// the staging folder while the server still holds back the rest; the
// folder becomes the destination only once the whole file is verified,
// and the cache keeps it.
func TestGetExtractStreams(t *testing.T) {
	t.Parallel()
	archive, bigSize, srv, release := heldBack(t)
	f, cache := newFetcher(t, Options{})
	parent := t.TempDir()
	dest := filepath.Join(parent, "3.12.13")
	type result struct {
		path string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		p, err := f.GetExtract(t.Context(), srv.URL+"/cpython.tar.gz", sumOf(archive), dest, 1)
		done <- result{p, err}
	}()
	waitFor(t, "first file unpacked while the download was held back", filepath.Join(parent, "3.12.13.envup-tmp-*", "first.txt"))
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Errorf("the destination is there before the file is verified: %v", err)
	}
	close(release)
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got, err := os.ReadFile(filepath.Join(dest, "big.bin")); err != nil || len(got) != bigSize {
		t.Errorf("big.bin: %d bytes, %v", len(got), err)
	}
	if got, err := os.ReadFile(filepath.Join(cache, "sha256", sumOf(archive))); err != nil || r.path != filepath.Join(cache, "sha256", sumOf(archive)) || sumOf(got) != sumOf(archive) {
		t.Errorf("the cache does not keep the file at %s: %v", r.path, err)
	}
	if left, _ := filepath.Glob(filepath.Join(parent, "*.envup-tmp-*")); len(left) != 0 {
		t.Errorf("staging left: %q", left)
	}
}

// TestGetExtractWrongDigest: bytes that are not the pinned ones leave
// neither the destination nor the staging folder, nor a cache entry.
func TestGetExtractWrongDigest(t *testing.T) {
	t.Parallel()
	archive := gzipBytes(t, tarBytes(t, []member{file("python/bin/python3", 0o755, "#!fake\n")}))
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { _, _ = w.Write(archive) })
	f, cache := newFetcher(t, Options{})
	parent := t.TempDir()
	dest := filepath.Join(parent, "py")
	_, err := f.GetExtract(t.Context(), srv.URL+"/py.tar.gz", sumOf([]byte("other")), dest, 1)
	var digest *DigestError
	if !errors.As(err, &digest) || !strings.Contains(err.Error(), "what was unpacked while it came is removed") {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("left in the parent: %v", entries)
	}
	if files := cacheFiles(t, cache); len(files) != 0 {
		t.Errorf("cached: %q", files)
	}
}

// TestGetExtractWhole: a cached file and a zip are unpacked once whole.
func TestGetExtractWhole(t *testing.T) {
	t.Parallel()
	zipped := zipBytes(t, []member{file("a/x.txt", 0o644, "x\n")})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { _, _ = w.Write(zipped) })
	f, _ := newFetcher(t, Options{})
	for i, dest := range []string{filepath.Join(t.TempDir(), "first"), filepath.Join(t.TempDir(), "cached")} {
		if _, err := f.GetExtract(t.Context(), srv.URL+"/a.zip", sumOf(zipped), dest, 1); err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if got, err := os.ReadFile(filepath.Join(dest, "x.txt")); err != nil || string(got) != "x\n" {
			t.Errorf("%d: x.txt = %q, %v", i, got, err)
		}
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d requests, want 1 (the second from the cache)", n)
	}
}

// TestGetExtractFollowsTransferUnderWay: a GetExtract that starts while
// another Get (the apply's warm-up) is bringing the file follows that
// transfer, from its first byte, instead of waiting for it to end; the
// file is downloaded once.
func TestGetExtractFollowsTransferUnderWay(t *testing.T) {
	t.Parallel()
	archive, bigSize, srv, release := heldBack(t)
	f, cache := newFetcher(t, Options{})
	url := srv.URL + "/cpython.tar.gz"
	warm := make(chan error, 1)
	go func() { _, err := f.Get(t.Context(), url, sumOf(archive)); warm <- err }()
	waitFor(t, "transfer under way", filepath.Join(cache, "sha256", "*.part"))
	parent := t.TempDir()
	dest := filepath.Join(parent, "py")
	done := make(chan error, 1)
	go func() { _, err := f.GetExtract(t.Context(), url, sumOf(archive), dest, 1); done <- err }()
	waitFor(t, "first file unpacked while the transfer is held back", filepath.Join(parent, "py.envup-tmp-*", "first.txt"))
	close(release)
	if err := <-warm; err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(dest, "big.bin")); err != nil || len(got) != bigSize {
		t.Errorf("big.bin: %d bytes, %v", len(got), err)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestGetExtractCancelled: a GetExtract cancelled while its staging
// folder fills leaves no staging folder, no destination and no cache
// entry.
func TestGetExtractCancelled(t *testing.T) {
	t.Parallel()
	archive, _, srv, _ := heldBack(t)
	f, cache := newFetcher(t, Options{})
	parent := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := f.GetExtract(ctx, srv.URL+"/cpython.tar.gz", sumOf(archive), filepath.Join(parent, "py"), 1)
		done <- err
	}()
	waitFor(t, "first file unpacked while the download was held back", filepath.Join(parent, "py.envup-tmp-*", "first.txt"))
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("left in the parent: %v", entries)
	}
	if files := cacheFiles(t, cache); len(files) != 0 {
		t.Errorf("cached: %q", files)
	}
}

// TestGetExtractRefusesHostile: the hostile tars Extract refuses are
// refused as they stream too, with nothing written outside the
// destination and no staging folder left.
func TestGetExtractRefusesHostile(t *testing.T) {
	t.Parallel()
	for _, c := range hostileCases() {
		if c.formats&inTar == 0 || c.opts != (ExtractOptions{}) {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			victim := t.TempDir()
			if err := os.WriteFile(filepath.Join(victim, "target"), []byte("original"), 0o644); err != nil {
				t.Fatal(err)
			}
			archive := gzipBytes(t, tarBytes(t, c.members(victim)))
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { _, _ = w.Write(archive) })
			f, _ := newFetcher(t, Options{})
			parent := t.TempDir()
			_, err := f.GetExtract(t.Context(), srv.URL+"/hostile.tar.gz", sumOf(archive), filepath.Join(parent, "out"), 0)
			defer assertNothingWritten(t, parent, victim)
			if !slices.ContainsFunc(c.want, func(w error) bool { return errors.Is(err, w) }) {
				t.Errorf("err = %v; want one wrapping %v", err, c.want)
			}
		})
	}
}
