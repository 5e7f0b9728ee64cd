package catalog

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
)

// platform builds a platform from the --platform short form; glibc sets
// a Linux host's glibc version, which the short form leaves unknown.
func platform(t testing.TB, short, glibc string) detect.Platform {
	t.Helper()
	p, err := detect.ParsePlatform(short)
	if err != nil {
		t.Fatal(err)
	}
	p.Libc.Version = glibc
	return p
}

// resolveCase is one row of a resolution table: want is the version and
// the file names of the artifacts, best first; or wantErr the message.
type resolveCase struct {
	name       string
	tool       string
	constraint string
	platform   string
	glibc      string
	opts       []Option
	want       string
	files      []string
	wantErr    string
}

func runResolve(t *testing.T, tests []resolveCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Resolve(tt.tool, tt.constraint, platform(t, tt.platform, tt.glibc), tt.opts...)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Resolve() error = %v\nwant %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var files []string
			for _, a := range r.Artifacts {
				files = append(files, a.Filename)
			}
			if r.Tool != tt.tool || r.Version != tt.want || !slices.Equal(files, tt.files) {
				t.Errorf("Resolve() = %s %s %q\nwant %s %s %q", r.Tool, r.Version, files, tt.tool, tt.want, tt.files)
			}
		})
	}
}

const (
	xp       = "windows/5.1.2600/386"
	xp64     = "windows/5.2.3790/amd64"
	vista    = "windows/6.0.6002/amd64"
	vista32  = "windows/6.0.6002/386"
	win7     = "windows/6.1.7601/amd64"
	win8     = "windows/6.2.9200/amd64"
	win81    = "windows/6.3.9600/amd64"
	win10    = "windows/10.0.19045/amd64"
	win10arm = "windows/10.0.19045/arm64"
	win11    = "windows/10.0.22631/amd64"
	win11arm = "windows/10.0.22631/arm64"
	lion     = "macos/10.7/amd64"
	catalina = "macos/10.15/amd64"
	monterey = "macos/12/amd64"
	sonoma   = "macos/14/arm64"
	debian12 = "linux/debian/12/amd64"
	deb12arm = "linux/debian/12/arm64"
	debian10 = "linux/debian/10/amd64"
	alpine   = "linux/alpine/3.19/amd64"
	alpArm   = "linux/alpine/3.19/arm64"
	centos7  = "linux/centos/7/amd64"
	centos6  = "linux/centos/6/amd64"
	ubuntu   = "linux/ubuntu/22.04/amd64"
)

// pbs is a python-build-standalone archive's file name.
func pbs(version, build, triple string) string {
	return "cpython-" + version + "+" + build + "-" + triple + "-install_only_stripped.tar.gz"
}

func TestResolvePython(t *testing.T) {
	t.Parallel()
	const b = "20260814"
	runResolve(t, []resolveCase{
		// Windows: python.org installers for XP to 8, PBS from 8.1.
		{name: "xp", tool: "python", constraint: "3", platform: xp, want: "3.4.4", files: []string{"python-3.4.4.msi"}},
		{name: "xp any", tool: "python", platform: xp, want: "3.4.4", files: []string{"python-3.4.4.msi"}},
		{name: "xp 2.7", tool: "python", constraint: "2", platform: xp, want: "2.7.18", files: []string{"python-2.7.18.msi"}},
		{name: "xp x64", tool: "python", constraint: "3", platform: xp64, want: "3.4.4", files: []string{"python-3.4.4.amd64.msi", "python-3.4.4.msi"}},
		{name: "vista", tool: "python", constraint: "3", platform: vista, want: "3.8.10", files: []string{"python-3.8.10-amd64.exe", "python-3.8.10.exe"}},
		{name: "vista 386", tool: "python", constraint: "3", platform: vista32, want: "3.8.10", files: []string{"python-3.8.10.exe"}},
		{name: "7", tool: "python", constraint: "3", platform: win7, want: "3.8.10", files: []string{"python-3.8.10-amd64.exe", "python-3.8.10.exe"}},
		{name: "7 newest 3.8 is not PBS's", tool: "python", constraint: "3.8", platform: win7, want: "3.8.10", files: []string{"python-3.8.10-amd64.exe", "python-3.8.10.exe"}},
		{name: "8 counts as 7 for 3.9+", tool: "python", constraint: "3", platform: win8, want: "3.8.10", files: []string{"python-3.8.10-amd64.exe", "python-3.8.10.exe"}},
		{name: "8.1", tool: "python", constraint: "3", platform: win81, want: "3.12.14", files: []string{
			pbs("3.12.14", b, "x86_64-pc-windows-msvc"), pbs("3.12.14", b, "i686-pc-windows-msvc"),
		}},
		{name: "8.1 3.8 from PBS", tool: "python", constraint: "3.8", platform: win81, want: "3.8.20", files: []string{
			pbs("3.8.20", "20241002", "x86_64-pc-windows-msvc"), pbs("3.8.20", "20241002", "i686-pc-windows-msvc"),
		}},
		{name: "10", tool: "python", constraint: "3", platform: win10, want: "3.14.7", files: []string{
			pbs("3.14.7", b, "x86_64-pc-windows-msvc"), pbs("3.14.7", b, "i686-pc-windows-msvc"),
		}},
		{name: "11", tool: "python", constraint: "3", platform: win11, want: "3.14.7", files: []string{
			pbs("3.14.7", b, "x86_64-pc-windows-msvc"), pbs("3.14.7", b, "i686-pc-windows-msvc"),
		}},
		{name: "11 range", tool: "python", constraint: ">= 3.2, < 3.13", platform: win11, want: "3.12.14", files: []string{
			pbs("3.12.14", b, "x86_64-pc-windows-msvc"), pbs("3.12.14", b, "i686-pc-windows-msvc"),
		}},
		{
			name: "11 installers only", tool: "python", constraint: "3", platform: win11, opts: []Option{Kinds(KindInstaller)},
			want: "3.8.10", files: []string{"python-3.8.10-amd64.exe", "python-3.8.10.exe"},
		},
		// Windows 11 on arm64 runs x64 and x86 builds; 10 only x86 ones.
		{name: "11 arm64", tool: "python", constraint: "3", platform: win11arm, want: "3.14.7", files: []string{
			pbs("3.14.7", b, "x86_64-pc-windows-msvc"), pbs("3.14.7", b, "i686-pc-windows-msvc"),
		}},
		{name: "10 arm64", tool: "python", constraint: "3", platform: win10arm, want: "3.14.7", files: []string{
			pbs("3.14.7", b, "i686-pc-windows-msvc"),
		}},

		// OS X 10.7: PBS needs 10.15 and python.org's macOS installers are
		// not in the catalog, so only a source build will do.
		{
			name: "lion source", tool: "python", constraint: ">= 3", platform: lion, opts: []Option{Kinds(KindSource)},
			want: "3.14.6", files: []string{"Python-3.14.6.tar.xz"},
		},
		{
			name: "lion archive or source", tool: "python", constraint: "3.7", platform: lion, opts: []Option{Kinds(KindArchive, KindSource)},
			want: "3.7.17", files: []string{"Python-3.7.17.tar.xz"},
		},
		{name: "catalina", tool: "python", constraint: "3", platform: catalina, want: "3.14.7", files: []string{pbs("3.14.7", b, "x86_64-apple-darwin")}},
		{name: "sonoma arm64", tool: "python", constraint: "3", platform: sonoma, want: "3.14.7", files: []string{pbs("3.14.7", b, "aarch64-apple-darwin")}},
		{
			name: "sonoma archive then source", tool: "python", constraint: "3.11", platform: sonoma, opts: []Option{Kinds(KindArchive, KindSource)},
			want: "3.11.16", files: []string{pbs("3.11.16", b, "aarch64-apple-darwin")},
		},
		{
			name: "sonoma 3.11.2 both tarballs", tool: "python", constraint: "3.11.2", platform: sonoma, opts: []Option{Kinds(KindArchive, KindSource)},
			want: "3.11.2", files: []string{"Python-3.11.2.tar.xz", "Python-3.11.2.tgz"},
		},

		// Linux: glibc builds need glibc 2.17; musl builds only on musl.
		{name: "debian 12", tool: "python", constraint: "3", platform: debian12, glibc: "2.36", want: "3.14.7", files: []string{pbs("3.14.7", b, "x86_64-unknown-linux-gnu")}},
		{name: "debian 12 arm64", tool: "python", constraint: "3.12", platform: deb12arm, glibc: "2.36", want: "3.12.14", files: []string{pbs("3.12.14", b, "aarch64-unknown-linux-gnu")}},
		{
			name: "debian 12 source first", tool: "python", constraint: "3.12", platform: debian12, glibc: "2.36", opts: []Option{Kinds(KindSource, KindArchive)},
			want: "3.12.14", files: []string{pbs("3.12.14", b, "x86_64-unknown-linux-gnu")},
		},
		{
			name: "debian 12 source only", tool: "python", constraint: "3.12", platform: debian12, glibc: "2.36", opts: []Option{Kinds(KindSource)},
			want: "3.12.13", files: []string{"Python-3.12.13.tar.xz"},
		},
		{name: "alpine", tool: "python", constraint: "3", platform: alpine, want: "3.14.7", files: []string{pbs("3.14.7", b, "x86_64-unknown-linux-musl")}},
		{name: "alpine 3.8 static", tool: "python", constraint: "3.8", platform: alpine, want: "3.8.20", files: []string{pbs("3.8.20", "20241002", "x86_64-unknown-linux-musl")}},
		{
			name: "alpine arm64 source", tool: "python", constraint: "3", platform: alpArm, opts: []Option{Kinds(KindArchive, KindSource)},
			want: "3.14.6", files: []string{"Python-3.14.6.tar.xz"},
		},
		{name: "centos 7", tool: "python", constraint: "3", platform: centos7, glibc: "2.17", want: "3.14.7", files: []string{pbs("3.14.7", b, "x86_64-unknown-linux-gnu")}},
		{name: "glibc unknown passes", tool: "python", constraint: "3", platform: ubuntu, want: "3.14.7", files: []string{pbs("3.14.7", b, "x86_64-unknown-linux-gnu")}},
	})
}

func TestResolveNode(t *testing.T) {
	t.Parallel()
	allow := []Option{AllowUnverified(true)}
	runResolve(t, []resolveCase{
		{name: "debian 12", tool: "node", platform: debian12, glibc: "2.36", want: "24.19.0", files: []string{"node-v24.19.0-linux-x64.tar.gz"}},
		{name: "debian 12 arm64", tool: "node", constraint: "22", platform: deb12arm, glibc: "2.36", want: "22.23.2", files: []string{"node-v22.23.2-linux-arm64.tar.gz"}},
		{name: "debian 10", tool: "node", constraint: "18", platform: debian10, glibc: "2.28", want: "18.20.8", files: []string{"node-v18.20.8-linux-x64.tar.gz"}},
		{name: "catalina", tool: "node", platform: catalina, want: "20.20.2", files: []string{"node-v20.20.2-darwin-x64.tar.gz"}},
		{name: "monterey", tool: "node", platform: monterey, want: "22.23.2", files: []string{"node-v22.23.2-darwin-x64.tar.gz"}},
		{name: "sonoma", tool: "node", platform: sonoma, want: "24.19.0", files: []string{"node-v24.19.0-darwin-arm64.tar.gz"}},
		{name: "8.1", tool: "node", platform: win81, want: "20.20.2", files: []string{"node-v20.20.2-win-x64.zip"}},
		// 22 and 24 have unverified Windows digests only.
		{name: "11", tool: "node", platform: win11, want: "20.20.2", files: []string{"node-v20.20.2-win-x64.zip"}},
		{name: "11 allowed", tool: "node", platform: win11, opts: allow, want: "24.19.0", files: []string{"node-v24.19.0-win-x64.zip"}},
		{name: "11 arm64 allowed", tool: "node", constraint: "22", platform: win11arm, opts: allow, want: "22.23.2", files: []string{"node-v22.23.2-win-x64.zip"}},
	})
}

func TestResolveServices(t *testing.T) {
	t.Parallel()
	runResolve(t, []resolveCase{
		{name: "redis 7.2", tool: "redis", constraint: "7.2", platform: debian12, glibc: "2.36", want: "7.2.15", files: []string{"redis-7.2.15.tar.gz"}},
		{name: "redis newest", tool: "redis", platform: sonoma, want: "8.8.1", files: []string{"redis-8.8.1.tar.gz"}},
		{name: "redis 5 on linux", tool: "redis", constraint: "5", platform: alpine, want: "5.0.14", files: []string{"redis-5.0.14.tar.gz"}},
		{name: "redis range", tool: "redis", constraint: ">= 7, < 7.4", platform: centos7, glibc: "2.17", want: "7.2.15", files: []string{"redis-7.2.15.tar.gz"}},
		{name: "valkey 7.2", tool: "valkey", constraint: "7.2", platform: debian12, want: "7.2.14", files: []string{"valkey-7.2.14.tar.gz"}},
		{name: "valkey 8.0", tool: "valkey", constraint: "8.0", platform: sonoma, want: "8.0.10", files: []string{"valkey-8.0.10.tar.gz"}},
		{name: "valkey newest", tool: "valkey", platform: debian12, want: "9.1.1", files: []string{"valkey-9.1.1.tar.gz"}},
		// Windows has only the ports.
		{name: "redis on 11", tool: "redis", platform: win11, want: "5.0.14.1", files: []string{"Redis-x64-5.0.14.1.zip", "Redis-x64-5.0.14.1.msi"}},
		{name: "redis on 7", tool: "redis", constraint: "5", platform: win7, want: "5.0.14.1", files: []string{"Redis-x64-5.0.14.1.zip", "Redis-x64-5.0.14.1.msi"}},
		{name: "redis msi", tool: "redis", platform: win11, opts: []Option{Kinds(KindInstaller)}, want: "5.0.14.1", files: []string{"Redis-x64-5.0.14.1.msi"}},
		{name: "redis 3 allowed", tool: "redis", constraint: "3", platform: win11, opts: []Option{AllowUnverified(true)}, want: "3.0.504", files: []string{"Redis-x64-3.0.504.zip"}},
	})
}

func TestResolveErrors(t *testing.T) {
	t.Parallel()
	runResolve(t, []resolveCase{
		{
			name: "7 has 3.8 at most", tool: "python", constraint: ">= 3.10", platform: win7,
			wantErr: "python >= 3.10 wanted; the newest python for windows 7 (6.1) is 3.8.10",
		},
		{
			name: "8.1 has 3.12 at most", tool: "python", constraint: "3.13", platform: win81,
			wantErr: "python 3.13 wanted; the newest python for windows 8.1 (6.3) is 3.12.14",
		},
		{
			name: "xp", tool: "python", constraint: "3.5", platform: xp,
			wantErr: "python 3.5 wanted; the newest python for windows xp (5.1, 386) is 3.4.4",
		},
		{
			name: "lion prebuilt", tool: "python", constraint: ">= 3", platform: lion,
			wantErr: "python >= 3 wanted; nothing prebuilt in the catalog runs on macos lion (10.7); a source build would give 3.14.6",
		},
		{
			name: "centos 6", tool: "python", constraint: "3", platform: centos6, glibc: "2.12",
			wantErr: "python 3 wanted; nothing prebuilt in the catalog runs on centos 6 (glibc 2.12); a source build would give 3.14.6",
		},
		{
			name: "alpine arm64", tool: "python", platform: alpArm,
			wantErr: "python wanted; nothing prebuilt in the catalog runs on alpine 3.19 (musl, arm64); a source build would give 3.14.6",
		},
		{
			name: "old python on debian", tool: "python", constraint: "3.2", platform: debian12, glibc: "2.36",
			wantErr: "python 3.2 wanted; the newest python for debian 12 (glibc 2.36) is 3.14.7; a source build would give 3.2.6",
		},
		{
			name: "no source on windows", tool: "python", constraint: "3", platform: win11, opts: []Option{Kinds(KindSource)},
			wantErr: "python 3 wanted; no python (source) in the catalog runs on windows 11 (10.0)",
		},
		{
			name: "not in the catalog", tool: "python", constraint: "3.15", platform: debian12,
			wantErr: "python 3.15 wanted; the catalog has python 2.7.18 to 3.14.7",
		},
		{
			name: "node on centos 7", tool: "node", platform: centos7, glibc: "2.17",
			wantErr: "node wanted; no node in the catalog runs on centos 7 (glibc 2.17)",
		},
		{
			name: "node on alpine", tool: "node", constraint: "22", platform: alpine,
			wantErr: "node 22 wanted; no node in the catalog runs on alpine 3.19 (musl)",
		},
		{
			name: "node on lion", tool: "node", platform: lion,
			wantErr: "node wanted; no node in the catalog runs on macos lion (10.7)",
		},
		{
			name: "node on 7", tool: "node", platform: win7,
			wantErr: "node wanted; no node in the catalog runs on windows 7 (6.1)",
		},
		{
			name: "node 24 unverified", tool: "node", constraint: "24", platform: win11,
			wantErr: "node 24 wanted; the newest node for windows 11 (10.0) is 20.20.2; 24.19.0 is there only from unverified downloads (--allow-unverified takes them)",
		},
		{
			name: "node 22 on 10 arm64", tool: "node", constraint: "22", platform: win10arm, opts: []Option{AllowUnverified(true)},
			wantErr: "node 22 wanted; no node in the catalog runs on windows 10 (10.0, arm64)",
		},
		{
			name: "redis 7.2 on windows", tool: "redis", constraint: "7.2", platform: win11,
			wantErr: "redis 7.2 wanted; the newest redis for windows 11 (10.0) is 5.0.14.1",
		},
		{
			name: "redis 3 on windows", tool: "redis", constraint: "3", platform: win11,
			wantErr: "redis 3 wanted; the newest redis for windows 11 (10.0) is 5.0.14.1; 3.0.504 is there only from unverified downloads (--allow-unverified takes them)",
		},
		{
			name: "redis on xp", tool: "redis", platform: xp,
			wantErr: "redis wanted; no redis in the catalog runs on windows xp (5.1, 386)",
		},
		{
			name: "valkey on windows", tool: "valkey", constraint: "8", platform: win11,
			wantErr: "valkey 8 wanted; no valkey in the catalog runs on windows 11 (10.0)",
		},
		{
			name: "valkey 10", tool: "valkey", constraint: "10", platform: debian12,
			wantErr: "valkey 10 wanted; the catalog has valkey 7.2.5 to 9.1.1",
		},
		{
			name: "unknown tool", tool: "ruby", constraint: "3", platform: debian12,
			wantErr: `unknown tool "ruby": the catalog knows node, pip, python, redis, valkey`,
		},
		{
			name: "bad constraint", tool: "python", constraint: "latest", platform: debian12,
			wantErr: `python: version constraint "latest": malformed constraint: latest`,
		},
	})
}

func TestNoReleaseErrorFields(t *testing.T) {
	t.Parallel()
	_, err := Resolve("python", ">= 3", platform(t, lion, ""))
	var e *NoReleaseError
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a *NoReleaseError", err)
	}
	want := NoReleaseError{Tool: "python", Constraint: ">= 3", Platform: "macos lion (10.7)", FromSource: "3.14.6"}
	if e.Tool != want.Tool || e.Constraint != want.Constraint || e.Platform != want.Platform ||
		e.Best != "" || e.FromSource != want.FromSource || e.Unverified != "" || e.Newest != "" {
		t.Errorf("error = %+v, want %+v", *e, want)
	}
}

// TestNoUnverifiedWithoutAllow resolves every version of every tool on
// every test platform with every choice of kinds, and looks for an
// unverified artifact in the answers.
func TestNoUnverifiedWithoutAllow(t *testing.T) {
	t.Parallel()
	platforms := []string{xp, xp64, vista, win7, win8, win81, win10, win10arm, win11, win11arm, lion, catalina, sonoma, debian12, alpine, centos7}
	kindSets := [][]Option{nil, {Kinds(KindArchive)}, {Kinds(KindInstaller)}, {Kinds(KindSource)}, {Kinds(KindInstaller, KindArchive, KindSource)}}
	seen := 0
	for _, tool := range Tools() {
		rs, err := Releases(tool)
		if err != nil {
			t.Fatal(err)
		}
		for _, short := range platforms {
			p := platform(t, short, "2.36")
			for _, r := range rs {
				for _, opts := range kindSets {
					got, err := Resolve(tool, r.Version, p, opts...)
					if err == nil {
						checkVerified(t, tool+" "+r.Version+" on "+short, got.Artifacts)
					}
					checkVerified(t, "Usable", r.Usable(p, opts...))
					for _, f := range []func(detect.Platform, ...Option) (Artifact, bool){r.Archive, r.Installer, r.Source} {
						if a, ok := f(p, opts...); ok {
							checkVerified(t, "helper", []Artifact{a})
						}
					}
					allowed := r.Usable(p, append(slices.Clone(opts), AllowUnverified(true))...)
					seen += len(slices.DeleteFunc(allowed, func(a Artifact) bool { return !a.Unverified }))
				}
			}
		}
	}
	if seen == 0 {
		t.Error("AllowUnverified never let an unverified artifact through")
	}
}

func checkVerified(t *testing.T, what string, as []Artifact) {
	t.Helper()
	for _, a := range as {
		if a.Unverified {
			t.Errorf("%s: unverified %s returned without AllowUnverified", what, a.URL)
		}
	}
}

// TestUsableOrder checks the order of a release's artifacts on a host:
// kinds as asked, native before translated, verified before not.
func TestUsableOrder(t *testing.T) {
	t.Parallel()
	sum := strings.Repeat("1", 64)
	art := func(kind Kind, name, arch string, unverified bool) Artifact {
		a := Artifact{Kind: kind, URL: "https://example.org/" + name, SHA256: sum, Unverified: unverified}
		if kind != KindSource {
			a.OS, a.Arch = "windows", arch
		}
		return a
	}
	c, err := New(Release{Tool: "tool", Version: "1.0", Floors: Floors{Windows: "6.1"}, Artifacts: []Artifact{
		art(KindInstaller, "i-386.exe", "386", false),
		art(KindArchive, "a-386-unverified.zip", "386", true),
		art(KindArchive, "a-386.zip", "386", false),
		art(KindArchive, "a-amd64-unverified.zip", "amd64", true),
		art(KindArchive, "a-amd64.zip", "amd64", false),
		art(KindArchive, "a-arm64.zip", "arm64", false),
		art(KindSource, "s.tar.gz", "", false),
	}})
	if err != nil {
		t.Fatal(err)
	}
	rs, _ := c.Releases("tool")
	r := rs[0]
	tests := []struct {
		name     string
		platform string
		opts     []Option
		want     []string
	}{
		{"default", win11, nil, []string{"a-amd64.zip", "a-386.zip", "i-386.exe"}},
		{"allowed", win11, []Option{AllowUnverified(true)}, []string{"a-amd64.zip", "a-amd64-unverified.zip", "a-386.zip", "a-386-unverified.zip", "i-386.exe"}},
		{"installer first", win11, []Option{Kinds(KindInstaller, KindArchive)}, []string{"i-386.exe", "a-amd64.zip", "a-386.zip"}},
		{"arm64 11", win11arm, nil, []string{"a-arm64.zip", "a-amd64.zip", "a-386.zip", "i-386.exe"}},
		{"arm64 10", win10arm, nil, []string{"a-arm64.zip", "a-386.zip", "i-386.exe"}},
		{"below the release floor", vista, nil, nil},
		{"source on linux", debian12, nil, []string{"s.tar.gz"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, a := range r.Usable(platform(t, tt.platform, ""), tt.opts...) {
				got = append(got, a.Filename)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Usable() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestArtifactHelpers(t *testing.T) {
	t.Parallel()
	r := release(t, "python", "3.8.10")
	tests := []struct {
		name     string
		platform string
		get      func(detect.Platform, ...Option) (Artifact, bool)
		want     string // "" for none
	}{
		{"installer on vista", vista, r.Installer, "python-3.8.10-amd64.exe"},
		{"installer on vista 386", vista32, r.Installer, "python-3.8.10.exe"},
		{"installer on xp", xp, r.Installer, ""},
		{"installer on debian", debian12, r.Installer, ""},
		{"archive on vista", vista, r.Archive, ""},
		{"source on vista", vista, r.Source, ""},
		{"source on debian", debian12, r.Source, "Python-3.8.10.tar.xz"},
		{"source on lion", lion, r.Source, "Python-3.8.10.tar.xz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, ok := tt.get(platform(t, tt.platform, ""))
			if ok != (tt.want != "") || a.Filename != tt.want {
				t.Errorf("got %q, %v; want %q", a.Filename, ok, tt.want)
			}
		})
	}
}

func TestNative(t *testing.T) {
	t.Parallel()
	tests := []struct {
		platform, arch string
		runs, native   bool
	}{
		{win11, "amd64", true, true},
		{win11, "386", true, false},
		{win11, "arm64", false, false},
		{win11arm, "amd64", true, false},
		{win10arm, "amd64", false, false},
		{win10arm, "386", true, false},
		{sonoma, "amd64", false, false}, // no Rosetta
		{debian12, "386", false, false},
	}
	for _, tt := range tests {
		p := platform(t, tt.platform, "")
		a := Artifact{Kind: KindArchive, OS: p.OS, Arch: tt.arch, Libc: map[string]string{"linux": "glibc"}[p.OS]}
		if runs, native := a.RunsOn(p), a.Native(p); runs != tt.runs || runs && native != tt.native {
			t.Errorf("%s on %s: runs %v native %v, want %v %v", tt.arch, tt.platform, runs, native, tt.runs, tt.native)
		}
	}
}
