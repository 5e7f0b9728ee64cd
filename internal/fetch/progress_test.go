package fetch

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// The progress bar, and the Content-Range a resumed download reads.

func TestNoProgressBarOffTerminal(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { serve(w, r) })
	f, _ := newFetcher(t, Options{Progress: &out})
	if _, err := f.Get(t.Context(), srv.URL+"/python.tar.gz", payloadSum); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("progress wrote %q to a non-terminal", out.String())
	}
}

func TestBarLine(t *testing.T) {
	t.Parallel()
	cases := []struct {
		n, total int64
		want     string
	}{
		{512, -1, "x.tgz  512 B"},
		{3 << 20, 12 << 20, "x.tgz  3.0 MiB / 12.0 MiB  25%"},
		{1536, 1536, "x.tgz  1.5 KiB / 1.5 KiB  100%"},
	}
	for _, c := range cases {
		if got := barLine("x.tgz", c.n, c.total); got != c.want {
			t.Errorf("barLine(%d, %d) = %q; want %q", c.n, c.total, got, c.want)
		}
	}
	var out bytes.Buffer
	b := &bar{w: &out, lock: func() func() { return func() {} }, name: "x.tgz", total: 100}
	b.set(50)
	b.done()
	if got := out.String(); !strings.HasPrefix(got, "\rx.tgz  50 B / 100 B  50%") || !strings.HasSuffix(got, "\r") {
		t.Errorf("bar drew %q", got)
	}
	var none *bar
	none.set(1) // a nil bar draws nothing and does not panic
	none.done()
}

func TestContentRange(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in           string
		start, total int64
		ok           bool
	}{
		{"bytes 100-199/200", 100, 200, true},
		{"bytes 100-199/*", 100, -1, true},
		{"bytes */200", -1, 200, true},
		{"bytes 1-2", 0, 0, false},
		{"items 1-2/3", 0, 0, false},
		{"bytes x-2/3", 0, 0, false},
	}
	for _, c := range cases {
		start, total, ok := contentRange(c.in)
		if start != c.start || total != c.total || ok != c.ok {
			t.Errorf("contentRange(%q) = %d, %d, %v; want %d, %d, %v", c.in, start, total, ok, c.start, c.total, c.ok)
		}
	}
}
