package catalog

import (
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// TestBuiltinData checks every embedded artifact: a sha256 of 64
// lowercase hex digits, an https URL, a file name fit for a mirror, a
// target for prebuilt ones.
func TestBuiltinData(t *testing.T) {
	t.Parallel()
	n := 0
	for _, tool := range Tools() {
		rs, err := Releases(tool)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if len(r.Artifacts) == 0 {
				t.Errorf("%s %s: no artifacts", tool, r.Version)
			}
			for _, a := range r.Artifacts {
				n++
				if !hex64.MatchString(a.SHA256) {
					t.Errorf("%s %s %s: sha256 %q", tool, r.Version, a.URL, a.SHA256)
				}
				u, err := url.Parse(a.URL)
				if err != nil || u.Scheme != "https" || u.Host == "" {
					t.Errorf("%s %s: url %q is not https", tool, r.Version, a.URL)
				}
				if a.Filename == "" || strings.ContainsAny(a.Filename, `/\%`) || !strings.Contains(a.Filename, r.Version) {
					t.Errorf("%s %s: filename %q", tool, r.Version, a.Filename)
				}
				if a.Origin == "" {
					t.Errorf("%s %s %s: no origin", tool, r.Version, a.URL)
				}
				if a.Kind != KindSource && a.Kind != KindWheel && (a.OS == "" || a.Arch == "") {
					t.Errorf("%s %s %s: prebuilt without a target", tool, r.Version, a.URL)
				}
				if a.OS == "linux" && a.Libc == "" {
					t.Errorf("%s %s %s: linux build without a libc", tool, r.Version, a.URL)
				}
			}
		}
	}
	// 19 python sources + 49 PBS + 6 installers + 20 node + 159 redis and
	// valkey + 3 Windows redis + 2 pip wheels.
	if want := 19 + 49 + 6 + 20 + 159 + 3 + 2; n != want {
		t.Errorf("%d artifacts, want %d", n, want)
	}
}

// TestUnverifiedRows pins which rows load unverified and which are left
// out (data/README.md).
func TestUnverifiedRows(t *testing.T) {
	t.Parallel()
	var unverified []string
	urls := map[string]bool{}
	for _, tool := range Tools() {
		rs, _ := Releases(tool)
		for _, r := range rs {
			for _, a := range r.Artifacts {
				urls[a.URL] = true
				if a.Unverified {
					unverified = append(unverified, a.Filename)
				}
			}
		}
	}
	slices.Sort(unverified)
	want := []string{"Redis-x64-3.0.504.zip", "node-v22.23.2-win-x64.zip", "node-v24.19.0-win-x64.zip"}
	if !slices.Equal(unverified, want) {
		t.Errorf("unverified = %q, want %q", unverified, want)
	}
	for _, u := range []string{
		"https://download.redis.io/releases/redis-2.8.23.tar.gz", // sha1
		"https://download.redis.io/releases/redis-3.0.7.tar.gz",  // sha1
		"http://download.redis.io/releases/redis-3.0.7.tar.gz",
		"https://github.com/microsoftarchive/redis/releases/download/win-3.0.504/Redis-x64-3.0.504.msi", // unknown
	} {
		if urls[u] {
			t.Errorf("%s is in the catalog", u)
		}
	}
	if !urls["https://download.redis.io/releases/redis-7.0.15.tar.gz"] {
		t.Error("redis 7.0.15 is not served over https")
	}
}

func TestPythonInstallersKeepSHA256(t *testing.T) {
	t.Parallel()
	r := release(t, "python", "3.4.4")
	want := map[string]string{
		"python-3.4.4.msi":       "46c8f9f63cf02987e8bf23934b2f471e1868b24748c5bb551efcf4863b43ca6c",
		"python-3.4.4.amd64.msi": "ace645d104bddd4f4ffbf453bedddaf2496e3609af3fa47173680d2f321d3709",
	}
	got := map[string]string{}
	for _, a := range r.Artifacts {
		if a.Kind == KindInstaller {
			got[a.Filename] = a.SHA256
		}
	}
	if len(got) != len(want) {
		t.Fatalf("3.4.4 installers = %v, want %v", got, want)
	}
	for name, sum := range want {
		if got[name] != sum {
			t.Errorf("%s: sha256 %q, want %q", name, got[name], sum)
		}
	}
}

func TestPython3112HasBothTarballs(t *testing.T) {
	t.Parallel()
	r := release(t, "python", "3.11.2")
	var got []string
	for _, a := range r.Artifacts {
		got = append(got, a.Filename+" "+a.SHA256)
	}
	want := []string{
		"Python-3.11.2.tar.xz 29e4b8f5f1658542a8c13e2dd277358c9c48f2b2f7318652ef1675e402b9d2af",
		"Python-3.11.2.tgz 2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849",
	}
	if !slices.Equal(got, want) {
		t.Errorf("3.11.2 = %q, want %q", got, want)
	}
}

func TestReleasesNewestFirst(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tool           string
		newest, oldest string
		count          int
	}{
		{"python", "3.14.7", "2.7.18", 23}, // 18 with a source tarball, 5 more (3.10.21 to 3.14.7) only from PBS
		{"node", "24.19.0", "18.20.8", 4},
		{"redis", "8.8.1", "3.0.504", 123},
		{"valkey", "9.1.1", "7.2.5", 38},
	}
	for _, tt := range tests {
		t.Run(tt.tool, func(t *testing.T) {
			t.Parallel()
			rs, err := Releases(tt.tool)
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != tt.count || rs[0].Version != tt.newest || rs[len(rs)-1].Version != tt.oldest {
				t.Errorf("%d releases from %s to %s, want %d from %s to %s",
					len(rs), rs[0].Version, rs[len(rs)-1].Version, tt.count, tt.newest, tt.oldest)
			}
			for i := 1; i < len(rs); i++ {
				if !mustConstraint(t, "< "+rs[i-1].Version).Check(rs[i].Version) {
					t.Errorf("%s comes after %s", rs[i].Version, rs[i-1].Version)
				}
			}
		})
	}
}

func TestTools(t *testing.T) {
	t.Parallel()
	if got, want := Tools(), []string{"node", "pip", "python", "redis", "valkey"}; !slices.Equal(got, want) {
		t.Errorf("Tools() = %q, want %q", got, want)
	}
	_, err := Releases("ruby")
	var unknown *UnknownToolError
	if !errors.As(err, &unknown) || err.Error() != `unknown tool "ruby": the catalog knows node, pip, python, redis, valkey` {
		t.Errorf("Releases(ruby) error = %v", err)
	}
}

// TestReleasesAreCopies checks a caller cannot write into the catalog.
func TestReleasesAreCopies(t *testing.T) {
	t.Parallel()
	c, err := New(Release{Tool: "tool", Version: "1.0.0", Artifacts: []Artifact{
		{Kind: KindSource, URL: "https://example.org/tool-1.0.0.tar.gz", SHA256: strings.Repeat("a", 64)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	rs, _ := c.Releases("tool")
	rs[0].Artifacts[0].URL = "https://evil.example/"
	again, _ := c.Releases("tool")
	if again[0].Artifacts[0].URL != "https://example.org/tool-1.0.0.tar.gz" {
		t.Errorf("the catalog changed: %s", again[0].Artifacts[0].URL)
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	sum := strings.Repeat("0", 64)
	src := func(u, s string) Artifact { return Artifact{Kind: KindSource, URL: u, SHA256: s} }
	tests := []struct {
		name     string
		releases []Release
		wantErr  string
	}{
		{"fine", []Release{{Tool: "t", Version: "1.2", Artifacts: []Artifact{src("http://127.0.0.1:8080/t-1.2.tgz", sum)}}}, ""},
		{"no tool", []Release{{Version: "1.2"}}, "no tool"},
		{"bad version", []Release{{Tool: "t", Version: "one"}}, `t "one"`},
		{"twice", []Release{{Tool: "t", Version: "1.2"}, {Tool: "t", Version: "1.2.0"}}, "listed twice"},
		{"short sha256", []Release{{Tool: "t", Version: "1", Artifacts: []Artifact{src("https://x.org/t.tgz", "abc")}}}, "want 64 lowercase hex"},
		{"upper sha256", []Release{{Tool: "t", Version: "1", Artifacts: []Artifact{src("https://x.org/t.tgz", strings.Repeat("A", 64))}}}, "want 64 lowercase hex"},
		{"relative url", []Release{{Tool: "t", Version: "1", Artifacts: []Artifact{src("t.tgz", sum)}}}, "not an absolute URL"},
		{"bad kind", []Release{{Tool: "t", Version: "1", Artifacts: []Artifact{{Kind: "egg", URL: "https://x.org/t", SHA256: sum}}}}, `unknown kind "egg"`},
		{"archive without target", []Release{{Tool: "t", Version: "1", Artifacts: []Artifact{{Kind: KindArchive, URL: "https://x.org/t.zip", SHA256: sum}}}}, "needs its os and arch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.releases...)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				rs, _ := c.Releases("t")
				if got := rs[0].Artifacts[0].Filename; got != "t-1.2.tgz" {
					t.Errorf("filename = %q, want t-1.2.tgz", got)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("New() error = %v, want one saying %q", err, tt.wantErr)
			}
		})
	}
}

func TestFileName(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"https://github.com/astral-sh/python-build-standalone/releases/download/20260814/cpython-3.14.7%2B20260814-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz": "cpython-3.14.7+20260814-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz",
		"https://github.com/valkey-io/valkey/archive/refs/tags/8.1.1.tar.gz":                                                                                              "valkey-8.1.1.tar.gz",
		"https://github.com/owner/tool/archive/refs/tags/v2.0.tar.gz":                                                                                                     "tool-2.0.tar.gz",
		"https://download.redis.io/releases/redis-7.2.4.tar.gz":                                                                                                           "redis-7.2.4.tar.gz",
		"https://www.python.org/ftp/python/3.4.4/python-3.4.4.amd64.msi":                                                                                                  "python-3.4.4.amd64.msi",
	}
	for raw, want := range tests {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := fileName(u); got != want {
			t.Errorf("fileName(%s) = %q, want %q", raw, got, want)
		}
	}
}

// release is one release of the built-in catalog.
func release(t *testing.T, tool, v string) Release {
	t.Helper()
	rs, err := Releases(tool)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Version == v {
			return r
		}
	}
	t.Fatalf("no %s %s in the catalog", tool, v)
	return Release{}
}

func mustConstraint(t *testing.T, s string) Constraint {
	t.Helper()
	c, err := ParseConstraint(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
