// Package catalog is envup's built-in knowledge of releases: for python,
// node, redis and valkey (and the pip wheel envup seeds venvs with), every version it can install, where each
// artifact is downloaded from, its sha256, and the oldest hosts it runs on.
// Resolve picks the newest release that satisfies a recipe's constraint and
// runs on a platform. The data is embedded from data/*.tsv (see
// data/README.md for where every row came from); the OS floors are one
// table in floors.go.
package catalog

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/go-version"
)

// Kind is what an artifact is, and so how it is installed.
type Kind string

// The kinds of artifact.
const (
	// KindSource is a source tarball, built on the host (linux and macos).
	KindSource Kind = "source"
	// KindArchive is a prebuilt tree to unpack: a python-build-standalone
	// install_only archive, a node tarball or zip.
	KindArchive Kind = "archive"
	// KindInstaller is a vendor installer run on the host: python.org's
	// msi and exe for Windows, a Windows port's msi.
	KindInstaller Kind = "installer"
	// KindWheel is a pure-Python wheel (pip's): it runs wherever a Python
	// does, so it has no OS or Arch.
	KindWheel Kind = "wheel"
)

// kinds are the known kinds, in the order Resolve prefers them by default.
var kinds = []Kind{KindArchive, KindInstaller, KindSource, KindWheel}

// Artifact is one downloadable file of a release.
type Artifact struct {
	Kind   Kind   `json:"kind"`
	URL    string `json:"url"`    // always https in the built-in catalog
	SHA256 string `json:"sha256"` // 64 lowercase hex digits
	// Filename is the name a mirror holds the file under: the unescaped
	// base name of the URL ("cpython-3.12.14+20260814-...tar.gz"), except
	// GitHub tag archives, whose base name is only the tag; they are
	// named as GitHub names the download, "valkey-8.1.1.tar.gz".
	Filename string `json:"filename"`

	// OS, Arch and Libc are the target of a prebuilt artifact (archive,
	// installer): linux, macos or windows; amd64, arm64 or 386; on linux
	// glibc or musl. Source artifacts leave them empty: they build on
	// any linux or macos host.
	OS   string `json:"os,omitempty"`
	Arch string `json:"arch,omitempty"`
	Libc string `json:"libc,omitempty"`
	// Floor is the oldest host the artifact runs on, in the terms of its
	// OS: the NT version on windows ("6.3"), the product version on macos
	// ("10.15"), the glibc version for a linux glibc build ("2.17"). ""
	// when none is known. It already includes the release's own floor.
	Floor string `json:"floor,omitempty"`

	// Unverified marks a digest whose provenance is weak (see
	// data/README.md): the file is still checked against it, but callers
	// take such an artifact only when the user allows it
	// (--allow-unverified, AllowUnverified).
	Unverified bool `json:"unverified,omitempty"`

	Origin string `json:"origin"`         // who publishes it: python.org, python-build-standalone, nodejs.org, ...
	Note   string `json:"note,omitempty"` // a caveat worth showing
}

// Floors are the oldest hosts a release supports at all, whatever the
// artifact: "" where none is known.
type Floors struct {
	Windows string `json:"windows,omitempty"` // NT version, "6.3"
	MacOS   string `json:"macos,omitempty"`   // product version, "10.15"
	Glibc   string `json:"glibc,omitempty"`   // on linux glibc hosts, "2.28"
}

// Release is one version of a tool and its artifacts.
type Release struct {
	Tool      string     `json:"tool"`
	Version   string     `json:"version"`
	Floors    Floors     `json:"floors,omitzero"`
	Artifacts []Artifact `json:"artifacts"`
}

// Catalog holds releases by tool, newest first. It is not changed after
// New, so one value serves concurrent readers.
type Catalog struct {
	tools map[string][]entry
}

type entry struct {
	v *version.Version
	r Release
}

var sha256Pattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// New makes a catalog of releases, as tests and the built-in data do. It
// checks every release: a tool name, a version go-version reads, no
// version twice, and artifacts of a known kind with an absolute URL, a
// sha256 of 64 lowercase hex digits, and OS and Arch when prebuilt. An
// artifact without a Filename gets the base name of its URL.
func New(releases ...Release) (*Catalog, error) {
	c := &Catalog{tools: map[string][]entry{}}
	for _, r := range releases {
		v, err := version.NewVersion(r.Version)
		if err != nil {
			return nil, fmt.Errorf("catalog: %s %q: %w", r.Tool, r.Version, err)
		}
		if r.Tool == "" {
			return nil, fmt.Errorf("catalog: release %s: no tool", r.Version)
		}
		for _, e := range c.tools[r.Tool] {
			if e.v.Equal(v) {
				return nil, fmt.Errorf("catalog: %s %s: listed twice", r.Tool, r.Version)
			}
		}
		r.Artifacts = slices.Clone(r.Artifacts)
		for i := range r.Artifacts {
			a := &r.Artifacts[i]
			if err := checkArtifact(a); err != nil {
				return nil, fmt.Errorf("catalog: %s %s: %w", r.Tool, r.Version, err)
			}
		}
		c.tools[r.Tool] = append(c.tools[r.Tool], entry{v: v, r: r})
	}
	for _, es := range c.tools {
		slices.SortFunc(es, func(a, b entry) int { return b.v.Compare(a.v) })
	}
	return c, nil
}

func checkArtifact(a *Artifact) error {
	if !slices.Contains(kinds, a.Kind) {
		return fmt.Errorf("%s: unknown kind %q", a.URL, a.Kind)
	}
	u, err := url.Parse(a.URL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("url %q: not an absolute URL", a.URL)
	}
	if !sha256Pattern.MatchString(a.SHA256) {
		return fmt.Errorf("%s: sha256 %q: want 64 lowercase hex digits", a.URL, a.SHA256)
	}
	if a.Kind != KindSource && a.Kind != KindWheel && (a.OS == "" || a.Arch == "") {
		return fmt.Errorf("%s: a prebuilt %s needs its os and arch", a.URL, a.Kind)
	}
	if a.Filename == "" {
		a.Filename = fileName(u)
	}
	return nil
}

// fileName is the name a mirror keeps the file at u under: its unescaped
// base name, or for a GitHub tag archive (/OWNER/REPO/archive/refs/tags/
// TAG.tar.gz) "REPO-TAG.tar.gz" without the tag's "v", as GitHub names
// the download.
func fileName(u *url.URL) string {
	base := path.Base(u.Path)
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if u.Host == "github.com" && len(parts) == 6 && parts[2] == "archive" && parts[3] == "refs" && parts[4] == "tags" {
		return parts[1] + "-" + strings.TrimPrefix(base, "v")
	}
	return base
}

// Tools are the tools c knows, sorted by name.
func (c *Catalog) Tools() []string {
	names := make([]string, 0, len(c.tools))
	for name := range c.tools {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Releases are every release of tool, newest first, whatever platform
// they run on and however verified their artifacts are.
func (c *Catalog) Releases(tool string) ([]Release, error) {
	es, err := c.entries(tool)
	if err != nil {
		return nil, err
	}
	rs := make([]Release, len(es))
	for i, e := range es {
		rs[i] = e.r.clone()
	}
	return rs, nil
}

func (c *Catalog) entries(tool string) ([]entry, error) {
	es, ok := c.tools[tool]
	if !ok {
		return nil, &UnknownToolError{Tool: tool, Known: c.Tools()}
	}
	return es, nil
}

// clone keeps callers from writing into the catalog's own slices.
func (r Release) clone() Release {
	r.Artifacts = slices.Clone(r.Artifacts)
	return r
}

// UnknownToolError is Resolve's and Releases' answer for a tool the
// catalog does not have.
type UnknownToolError struct {
	Tool  string
	Known []string
}

func (e *UnknownToolError) Error() string {
	return fmt.Sprintf("unknown tool %q: the catalog knows %s", e.Tool, strings.Join(e.Known, ", "))
}
