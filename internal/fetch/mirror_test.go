package fetch

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const (
	plusName = "cpython-3.12.1+20240107-x86_64-unknown-linux-gnu-install_only.tar.gz"
	escName  = "cpython-3.12.1%2B20240107-x86_64-unknown-linux-gnu-install_only.tar.gz"
)

// mirrorDir returns a folder holding the payload under each of names.
func mirrorDir(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), payload, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// fileServer serves dir, counting requests.
func fileServer(t *testing.T, dir string) *server {
	fs := http.FileServer(http.Dir(dir))
	return newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { fs.ServeHTTP(w, r) })
}

// noOrigin is an origin that fails the test when asked.
func noOrigin(t *testing.T) *server {
	return newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		t.Errorf("origin asked for %s", r.URL)
		http.Error(w, "no", http.StatusTeapot)
	})
}

func TestGetMirrorHits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		file    string // the origin URL's last segment
		mirrors func(t *testing.T) (mirrors []string, source string)
	}{
		{"folder", "python.tar.gz", func(t *testing.T) ([]string, string) {
			d := mirrorDir(t, "python.tar.gz")
			return []string{d}, filepath.Join(d, "python.tar.gz")
		}},
		{"file URL folder", "python.tar.gz", func(t *testing.T) ([]string, string) {
			d := mirrorDir(t, "python.tar.gz")
			return []string{"file://" + filepath.ToSlash(d)}, filepath.Join(d, "python.tar.gz")
		}},
		{"second folder", "python.tar.gz", func(t *testing.T) ([]string, string) {
			empty, d := mirrorDir(t), mirrorDir(t, "python.tar.gz")
			return []string{empty, d}, filepath.Join(d, "python.tar.gz")
		}},
		{"URL", "python.tar.gz", func(t *testing.T) ([]string, string) {
			srv := fileServer(t, mirrorDir(t, "python.tar.gz"))
			return []string{srv.URL + "/"}, srv.URL + "/python.tar.gz"
		}},
		{"folder, plus spelling", escName, func(t *testing.T) ([]string, string) {
			d := mirrorDir(t, plusName)
			return []string{d}, filepath.Join(d, plusName)
		}},
		{"folder, escaped spelling", escName, func(t *testing.T) ([]string, string) {
			d := mirrorDir(t, escName)
			return []string{d}, filepath.Join(d, escName)
		}},
		{"URL, plus spelling", escName, func(t *testing.T) ([]string, string) {
			srv := fileServer(t, mirrorDir(t, plusName))
			return []string{srv.URL}, srv.URL + "/" + plusName
		}},
		{"URL, escaped spelling", escName, func(t *testing.T) ([]string, string) {
			srv := fileServer(t, mirrorDir(t, escName))
			return []string{srv.URL}, srv.URL + "/cpython-3.12.1%252B20240107-x86_64-unknown-linux-gnu-install_only.tar.gz"
		}},
	}
	for _, c := range cases {
		for _, offline := range []bool{false, true} {
			name := c.name
			if offline {
				name += ", offline"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				origin := noOrigin(t)
				mirrors, source := c.mirrors(t)
				f, cache := newFetcher(t, Options{Mirrors: mirrors, Offline: offline})
				res, err := f.Fetch(t.Context(), origin.URL+"/releases/"+c.file, payloadSum)
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				checkCached(t, cache, res.Path)
				if res.Source != source {
					t.Errorf("served by %s; want %s", res.Source, source)
				}
			})
		}
	}
}

func TestGetMirrorMissFallsBackToOrigin(t *testing.T) {
	t.Parallel()
	origin := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { serve(w, r) })
	empty := mirrorDir(t)
	mirror := fileServer(t, mirrorDir(t))
	down := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	})
	f, cache := newFetcher(t, Options{Mirrors: []string{empty, mirror.URL, down.URL}, Retries: 1})
	url := origin.URL + "/releases/" + escName

	res, err := f.Fetch(t.Context(), url, payloadSum)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	checkCached(t, cache, res.Path)
	if res.Source != url {
		t.Errorf("served by %s; want the origin", res.Source)
	}
	if got := len(origin.requests()); got != 1 {
		t.Errorf("origin saw %d requests; want 1", got)
	}
	if got := len(mirror.requests()); got != 2 {
		t.Errorf("mirror saw %d requests; want one per spelling, 2", got)
	}
	if got := len(down.requests()); got != 4 {
		t.Errorf("failing mirror saw %d requests; want 2 spellings x 2 tries", got)
	}
}

func TestGetOfflineMissListsPlaces(t *testing.T) {
	t.Parallel()
	origin := noOrigin(t)
	empty := mirrorDir(t)
	mirror := fileServer(t, mirrorDir(t))
	f, cache := newFetcher(t, Options{Mirrors: []string{empty, mirror.URL}, Offline: true})
	url := origin.URL + "/releases/python.tar.gz"

	_, err := f.Get(t.Context(), url, payloadSum)

	var oe *OfflineError
	if !errors.As(err, &oe) {
		t.Fatalf("Get = %v; want an *OfflineError", err)
	}
	want := []string{filepath.Join(empty, "python.tar.gz"), mirror.URL + "/python.tar.gz"}
	if !slices.Equal(oe.Looked, want) {
		t.Errorf("looked in %q; want %q", oe.Looked, want)
	}
	for _, w := range append(want, url, "offline") {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("message %q lacks %q", err, w)
		}
	}
	if files := cacheFiles(t, cache); len(files) != 0 {
		t.Errorf("cache holds %v; want nothing", files)
	}
}

func TestGetOfflineWithoutMirrors(t *testing.T) {
	t.Parallel()
	f, _ := newFetcher(t, Options{Offline: true, Client: &http.Client{Transport: refuseTransport{t}}})
	_, err := f.Get(t.Context(), "https://downloads.example.org/python.tar.gz", payloadSum)
	var oe *OfflineError
	if !errors.As(err, &oe) || !strings.Contains(err.Error(), "no mirror") {
		t.Errorf("Get = %v; want an *OfflineError saying no mirror is set", err)
	}
}

func TestGetMirrorWrongBytesFails(t *testing.T) {
	t.Parallel()
	origin := noOrigin(t)
	d := t.TempDir()
	bad := filepath.Join(d, "python.tar.gz")
	if err := os.WriteFile(bad, []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, cache := newFetcher(t, Options{Mirrors: []string{d}})
	_, err := f.Get(t.Context(), origin.URL+"/python.tar.gz", payloadSum)
	var de *DigestError
	if !errors.As(err, &de) || de.URL != bad {
		t.Fatalf("Get = %v; want a DigestError naming %s", err, bad)
	}
	if files := cacheFiles(t, cache); len(files) != 0 {
		t.Errorf("cache holds %v; want nothing", files)
	}
}

func TestBaseNames(t *testing.T) {
	t.Parallel()
	cases := []struct {
		url  string
		want []string
	}{
		{"https://h/a/python.tar.gz", []string{"python.tar.gz"}},
		{"https://h/a/" + escName + "?x=1", []string{plusName, escName}},
		{"https://h/a/my%20file.zip", []string{"my file.zip", "my%20file.zip"}},
		{"https://h/a/..%2F..%2Fetc%2Fpasswd", []string{"..%2F..%2Fetc%2Fpasswd"}},
		{"https://h/", nil},
	}
	for _, c := range cases {
		if got := baseNames(c.url); !slices.Equal(got, c.want) {
			t.Errorf("baseNames(%q) = %q; want %q", c.url, got, c.want)
		}
		if want := append(c.want, "")[0]; BaseName(c.url) != want {
			t.Errorf("BaseName(%q) = %q; want %q", c.url, BaseName(c.url), want)
		}
	}
}

func TestParsePlace(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in     string
		local  bool
		loc    string
		secure bool // false: ErrInsecure
		bad    bool
	}{
		{in: "https://example.org/x.tgz", loc: "https://example.org/x.tgz", secure: true},
		{in: "http://127.0.0.1:8080/x.tgz", loc: "http://127.0.0.1:8080/x.tgz", secure: true},
		{in: "http://127.9.9.9/x.tgz", loc: "http://127.9.9.9/x.tgz", secure: true},
		{in: "http://localhost:8080/x", loc: "http://localhost:8080/x", secure: true},
		{in: "http://[::1]:8080/x", loc: "http://[::1]:8080/x", secure: true},
		{in: "http://example.org/x.tgz", bad: true},
		{in: "http://10.0.0.1/x.tgz", bad: true},
		{in: "http://localhost.example.org/x", bad: true},
		{in: "ftp://example.org/x", secure: true, bad: true},
		{in: "/srv/mirror", local: true, loc: "/srv/mirror", secure: true},
		{in: "./mirror", local: true, loc: "./mirror", secure: true},
		{in: "mirror", local: true, loc: "mirror", secure: true},
		{in: `C:\mirror`, local: true, loc: `C:\mirror`, secure: true},
		{in: "file:///srv/mirror", local: true, loc: filepath.FromSlash("/srv/mirror"), secure: true},
	}
	for _, c := range cases {
		p, err := parsePlace(c.in)
		if errors.Is(err, ErrInsecure) == c.secure {
			t.Errorf("parsePlace(%q) = %v; want insecure=%v", c.in, err, !c.secure)
		}
		if (err != nil) != c.bad {
			t.Errorf("parsePlace(%q) error = %v; want bad=%v", c.in, err, c.bad)
			continue
		}
		if err == nil && (p.local != c.local || p.loc != c.loc) {
			t.Errorf("parsePlace(%q) = %+v; want local=%v loc=%q", c.in, p, c.local, c.loc)
		}
	}
}

func TestMirrorsFromEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{"ENVUP_MIRROR": " /media/usb/envup , http://127.0.0.1:8080/m,,"}
	got := MirrorsFromEnv(func(k string) string { return env[k] })
	if want := []string{"/media/usb/envup", "http://127.0.0.1:8080/m"}; !slices.Equal(got, want) {
		t.Errorf("MirrorsFromEnv = %q; want %q", got, want)
	}
	if got := MirrorsFromEnv(func(string) string { return "" }); got != nil {
		t.Errorf("MirrorsFromEnv of nothing = %q; want nil", got)
	}
}
