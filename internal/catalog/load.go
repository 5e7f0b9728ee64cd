package catalog

import (
	"embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/envup/envup/internal/detect"
)

// data holds the release tables; data/README.md says where each row came
// from and why some rows are left out or loaded as unverified.
//
//go:embed data/*.tsv
var data embed.FS

// builtin is parsed once, on first use.
var builtin = sync.OnceValues(func() (*Catalog, error) {
	rs, err := loadReleases()
	if err != nil {
		return nil, err
	}
	return New(rs...)
})

// Builtin is the catalog embedded in envup. The data is checked by this
// package's tests, so a load failure is a bug, and panics.
func Builtin() *Catalog {
	c, err := builtin()
	if err != nil {
		panic(err)
	}
	return c
}

// Tools are the tools the built-in catalog knows, sorted by name.
func Tools() []string { return Builtin().Tools() }

// Releases are every release of tool in the built-in catalog, newest
// first.
func Releases(tool string) ([]Release, error) { return Builtin().Releases(tool) }

// Resolve is Builtin().Resolve.
func Resolve(tool, constraint string, p detect.Platform, opts ...Option) (Release, error) {
	return Builtin().Resolve(tool, constraint, p, opts...)
}

// row is one artifact read from a table, with the release it belongs to.
type row struct {
	tool, version string
	a             Artifact
}

// tables are the data files and how each row of them becomes an
// artifact; a row without a usable sha256 gives none (ok false).
var tables = []struct {
	file   string
	header string
	read   func(f []string) (r row, ok bool)
}{
	{"python-source.tsv", "version url sha256", readPythonSource},
	{"python-prebuilt.tsv", "version build_tag os arch libc url sha256", readPythonPrebuilt},
	{"python-windows-installers.tsv", "version arch url md5_or_sha256 digest source", readPythonInstaller},
	{"node.tsv", "version os arch url sha256 source", readNode},
	{"redis.tsv", "name version url algo digest", readRedis},
	{"redis-windows.tsv", "name version asset url algo digest source", readRedisWindows},
	{"pip.tsv", "version url sha256 source", readPip},
}

// loadReleases reads every table, merges rows of one tool and version
// into a release in the order read, and sets the floors.
func loadReleases() ([]Release, error) {
	var rs []Release
	index := map[string]int{}
	for _, t := range tables {
		rows, err := readTable(t.file, t.header, t.read)
		if err != nil {
			return nil, err
		}
		for _, x := range rows {
			key := x.tool + " " + x.version
			i, ok := index[key]
			if !ok {
				i = len(rs)
				index[key] = i
				rs = append(rs, Release{Tool: x.tool, Version: x.version})
			}
			rs[i].Artifacts = append(rs[i].Artifacts, x.a)
		}
	}
	for i := range rs {
		if err := setFloors(&rs[i]); err != nil {
			return nil, err
		}
	}
	return rs, nil
}

func readTable(file, header string, read func([]string) (row, bool)) ([]row, error) {
	b, err := data.ReadFile("data/" + file)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	want := strings.Fields(header)
	if got := strings.Split(lines[0], "\t"); !slices.Equal(got, want) {
		return nil, fmt.Errorf("catalog: data/%s: header %q, want %q", file, got, want)
	}
	var rows []row
	for n, line := range lines[1:] {
		f := strings.Split(line, "\t")
		if len(f) != len(want) {
			return nil, fmt.Errorf("catalog: data/%s:%d: %d fields, want %d", file, n+2, len(f), len(want))
		}
		if r, ok := read(f); ok {
			rows = append(rows, r)
		}
	}
	return rows, nil
}

// libcNames maps the tables' libc column to detect's names.
var libcNames = map[string]string{"gnu": "glibc", "musl": "musl", "none": ""}

func readPythonSource(f []string) (row, bool) {
	return row{tool: "python", version: f[0], a: Artifact{
		Kind: KindSource, URL: f[1], SHA256: f[2], Origin: originPythonOrg,
	}}, true
}

func readPythonPrebuilt(f []string) (row, bool) {
	a := Artifact{
		Kind: KindArchive, URL: f[5], SHA256: f[6], Origin: originPBS,
		OS: f[2], Arch: f[3], Libc: libcNames[f[4]],
	}
	if a.Libc == "musl" && strings.HasPrefix(f[0], "3.8.") {
		// The only musl row from before PBS's dynamic musl builds (3.9+
		// rows); uv has since dropped such static builds.
		a.Note = "static musl build: cannot load C extension modules"
	}
	return row{tool: "python", version: f[0], a: a}, true
}

// readPip is a pip wheel from PyPI: the pip envup seeds venvs with.
func readPip(f []string) (row, bool) {
	return row{tool: "pip", version: f[0], a: Artifact{Kind: KindWheel, URL: f[1], SHA256: f[2], Origin: "pypi.org"}}, true
}

// readPythonInstaller keeps the sha256 rows; each file also has an md5
// row, which pins nothing.
func readPythonInstaller(f []string) (row, bool) {
	if f[3] != "sha256" {
		return row{}, false
	}
	return row{tool: "python", version: f[0], a: Artifact{
		Kind: KindInstaller, URL: f[2], SHA256: f[4], Origin: originPythonOrg,
		OS: "windows", Arch: f[1],
	}}, true
}

// readNode reads an official tarball or zip; the win-x64 digests of 22
// and 24 have no named source, so they load unverified.
func readNode(f []string) (row, bool) {
	return row{tool: "node", version: f[0], a: Artifact{
		Kind: KindArchive, URL: f[3], SHA256: f[4], Origin: originNode,
		OS: f[1], Arch: f[2], Libc: linuxLibc(f[1]),
		Unverified: weakSource(f[5]),
	}}, true
}

// readRedis keeps the sha256 rows (sha1 pins nothing) and moves
// download.redis.io to https, which serves the same paths.
func readRedis(f []string) (row, bool) {
	if f[3] != "sha256" {
		return row{}, false
	}
	a := Artifact{Kind: KindSource, URL: f[2], SHA256: f[4], Origin: originRedis}
	if f[0] == "valkey" {
		a.Origin = originValkey
	}
	a.URL = strings.Replace(a.URL, "http://download.redis.io/", "https://download.redis.io/", 1)
	return row{tool: f[0], version: f[1], a: a}, true
}

// readRedisWindows keeps rows with a sha256; both ports are x64 only.
func readRedisWindows(f []string) (row, bool) {
	if f[4] != "sha256" {
		return row{}, false
	}
	a := Artifact{
		Kind: KindArchive, URL: f[3], SHA256: f[5],
		OS: "windows", Arch: "amd64", Unverified: weakSource(f[6]),
	}
	if f[2] == "msi" {
		a.Kind = KindInstaller
	}
	switch f[0] {
	case "tporadowski-redis":
		a.Origin = originTporadowski
		a.Note = "community Windows port, inactive since 2025"
	case "microsoftarchive-redis":
		a.Origin = originMSOpenTech
		a.Note = "archived Microsoft Open Tech port"
	default:
		return row{}, false
	}
	return row{tool: "redis", version: f[1], a: a}, true
}

// weakSource reports whether a source column says the digest's
// provenance is weak: no named repository and commit ("unattributed"),
// or "LOW CONFIDENCE".
func weakSource(s string) bool {
	return strings.HasPrefix(s, "unattributed") || strings.Contains(s, "LOW CONFIDENCE")
}

func linuxLibc(os string) string {
	if os == "linux" {
		return "glibc"
	}
	return ""
}

// setFloors sets r's own floors and each artifact's from floorTable.
func setFloors(r *Release) error {
	for _, f := range floorTable {
		if f.tool != r.Tool {
			continue
		}
		con, err := ParseConstraint(f.versions)
		if err != nil {
			return fmt.Errorf("catalog: floor table: %w", err)
		}
		if !con.Check(r.Version) {
			continue
		}
		if f.origin == "" {
			raiseFloors(&r.Floors, f.os, f.floor)
		}
		for i := range r.Artifacts {
			a := &r.Artifacts[i]
			if a.OS != f.os || f.origin != "" && f.origin != a.Origin || f.os == "linux" && a.Libc != "glibc" {
				continue
			}
			a.Floor = stricter(a.Floor, f.floor)
		}
	}
	return nil
}

func raiseFloors(fl *Floors, os, floor string) {
	switch os {
	case "windows":
		fl.Windows = stricter(fl.Windows, floor)
	case "macos":
		fl.MacOS = stricter(fl.MacOS, floor)
	case "linux":
		fl.Glibc = stricter(fl.Glibc, floor)
	}
}

// stricter is the later of two floors; "" is no floor.
func stricter(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	case atLeast(b, a):
		return b
	}
	return a
}
