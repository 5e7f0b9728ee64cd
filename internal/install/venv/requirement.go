package venv

import (
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/envup/envup/internal/pep440"
	"github.com/envup/envup/internal/pep508"
)

// Requirement is one thing a venv should have: a PEP 508 requirement
// ("requests[socks]>=2.31 ; python_version >= '3.8'", "name @ URL") or,
// as pip also takes, a bare URL or path to a wheel, an sdist or a project
// folder, maybe editable.
type Requirement struct {
	Name      string    // as written; "" when a URL or path does not say
	Key       string    // Name normalised (PEP 503)
	Extras    []string  // ignored when checking what is installed
	Specifier Specifier // versions that satisfy; empty for URLs and paths
	URL       string    // name @ URL, or the bare URL or path
	Marker    string    // as written, "" for none
	Editable  bool      // -e
	Hashes    []string  // --hash=sha256:... from a requirements file
	Options   []string  // per-requirement options as written (--hash=..., --config-settings=...)
	From      string    // where it was written: "packages[2]", "requirements.txt:7"

	arg    string         // what pip is given: the text, with a relative path made absolute
	marker *pep508.Marker // nil: always
}

// schemeRe starts a URL: https://, file:, git+https://.
var schemeRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// urlReqRe starts a PEP 508 URL requirement: a name, maybe extras, "@".
var urlReqRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@`)

// archiveExts are the files pip installs from a path.
var archiveExts = []string{".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar"}

// ParseRequirement parses one requirement as pip takes it on its command
// line: a PEP 508 requirement read as pip's packaging reads it, or a URL
// or path. Relative paths are made absolute against dir (the folder of
// the file that wrote them, or the recipe's).
func ParseRequirement(text, dir string) (*Requirement, error) {
	s := strings.TrimSpace(text)
	if s == "" {
		return nil, fmt.Errorf("empty requirement")
	}
	if looksLikeLocation(s) {
		return parseLocation(s, dir)
	}
	// The text as given: packaging takes spaces and tabs around it and a
	// final newline, but not a carriage return.
	p, err := pep508.ParseRequirement(text)
	if err != nil {
		return nil, fmt.Errorf("requirement %q: %w", s, err)
	}
	if p.URL != "" && !schemeRe.MatchString(p.URL) {
		// packaging takes any word after @; pip could only treat it as a
		// path, which a requirement cannot name.
		return nil, fmt.Errorf("requirement %q: %q is not a URL", s, p.URL)
	}
	r := &Requirement{
		Name: p.Name, Key: Normalize(p.Name), Extras: p.Extras, URL: p.URL,
		Specifier: Specifier{set: p.Specifier}, marker: p.Marker, arg: s,
	}
	if p.Marker != nil {
		r.Marker = p.Marker.String()
	}
	return r, nil
}

// looksLikeLocation says whether s is a URL or path rather than a PEP 508
// requirement, as pip tells them apart: a scheme, a path separator, a
// leading dot, or an archive's extension.
func looksLikeLocation(s string) bool {
	head := s
	if i := strings.IndexAny(s, " \t;"); i >= 0 {
		head = s[:i]
	}
	if urlReqRe.MatchString(s) {
		return false // name @ URL
	}
	switch {
	case strings.Contains(head, "://"), strings.HasPrefix(head, "file:"):
		return true
	case strings.ContainsAny(head, `/\`), strings.HasPrefix(head, "."):
		return true
	}
	lower := strings.ToLower(head)
	for _, ext := range archiveExts {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}

// parseLocation reads a bare URL or path: its name, when the link says
// (#egg=name, or a wheel's or sdist's file name), and an optional marker
// after " ;".
func parseLocation(s, dir string) (*Requirement, error) {
	isURL := schemeRe.MatchString(s) && !isDrive(s)
	// pip's rule: a URL's marker follows "; ", a path's any ";".
	sep := ";"
	if isURL {
		sep = "; "
	}
	loc, mk := s, ""
	if i := strings.Index(s, sep); i >= 0 {
		loc, mk = strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(sep):])
	}
	r := &Requirement{URL: loc, arg: loc}
	if !isURL && !filepath.IsAbs(loc) && !isDrive(loc) && dir != "" {
		r.URL = filepath.Join(dir, filepath.FromSlash(loc))
		r.arg = r.URL
	}
	r.Name = nameFromLocation(loc)
	r.Key = Normalize(r.Name)
	if mk != "" {
		m, err := pep508.ParseMarker(mk)
		if err != nil {
			return nil, fmt.Errorf("requirement %q: %w", s, err)
		}
		r.Marker, r.marker = mk, m
		r.arg += " ; " + mk
	}
	return r, nil
}

func isDrive(s string) bool {
	return len(s) >= 3 && s[1] == ':' && (s[2] == '\\' || s[2] == '/') && 'a' <= s[0]|0x20 && s[0]|0x20 <= 'z'
}

// eggRe is the #egg=name fragment of a VCS or archive URL.
var eggRe = regexp.MustCompile(`[#&]egg=([A-Za-z0-9._-]+)`)

// nameFromLocation is the project a URL or path names, when it says:
// an #egg= fragment, a wheel file name (name-version-tags.whl) or an
// sdist's (name-version.tar.gz). "" when it cannot be told.
func nameFromLocation(loc string) string {
	if m := eggRe.FindStringSubmatch(loc); m != nil {
		return m[1]
	}
	if u, err := url.Parse(loc); err == nil && u.Scheme != "" && len(u.Scheme) > 1 {
		loc = u.Path
	}
	base := loc[strings.LastIndexAny(loc, `/\`)+1:]
	lower := strings.ToLower(base)
	if strings.HasSuffix(lower, ".whl") {
		name, _, _ := strings.Cut(base, "-")
		if name != base {
			return name
		}
		return ""
	}
	for _, ext := range archiveExts {
		if !strings.HasSuffix(lower, ext) {
			continue
		}
		stem := base[:len(base)-len(ext)]
		// name-version: the last dash followed by a version
		for i := strings.LastIndexByte(stem, '-'); i > 0; i = strings.LastIndexByte(stem[:i], '-') {
			if _, err := pep440.Parse(stem[i+1:]); err == nil {
				return stem[:i]
			}
		}
		return ""
	}
	return ""
}

// applies says whether the requirement is for this environment: its
// marker is true, or cannot be told (kept: pip decides when it runs).
func (r *Requirement) applies(env markerEnv) bool {
	return env.holds(r.marker) != pep508.False
}

// checkable says whether envup can tell from what is installed whether
// the requirement is met: it needs a name.
func (r *Requirement) checkable() bool { return r.Key != "" }

// versioned says whether installed versions are checked against the
// specifier: a URL or path is met by any installed version of its project.
func (r *Requirement) versioned() bool { return r.URL == "" && !r.Editable }

// needsFile says whether pip must read the requirement from a file: only
// there can it carry options (--hash, --config-settings).
func (r *Requirement) needsFile() bool { return len(r.Options) > 0 }

// line is the requirement as a requirements-file line.
func (r *Requirement) line() string {
	s := r.arg
	if r.Editable {
		s = "-e " + s
	}
	if len(r.Options) > 0 {
		s += " " + strings.Join(r.Options, " ")
	}
	return s
}

// args is the requirement on pip's command line.
func (r *Requirement) args() []string {
	if r.Editable {
		return []string{"-e", r.arg}
	}
	return []string{r.arg}
}

// label names the requirement in a plan line.
func (r *Requirement) label() string {
	if r.Name != "" {
		return r.Name
	}
	return r.arg
}
