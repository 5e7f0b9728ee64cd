package fetch

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
)

// ErrInsecure is wrapped by the error for a plain http URL (or redirect)
// to a host that is not loopback.
var ErrInsecure = errors.New("plain http is refused: use https (http is allowed only to loopback hosts: localhost, 127.0.0.0/8, ::1)")

// errMiss says a mirror does not hold the file.
var errMiss = errors.New("not there")

// place is somewhere a file can be read from: a path on disk or a URL.
type place struct {
	loc    string // the path or URL
	local  bool   // loc is a path
	mirror bool   // a mirror: a miss or a failure moves on to the next place
}

// parsePlace reads a URL or path as given by a recipe, a catalog or --mirror.
func parsePlace(raw string) (place, error) {
	if raw == "" {
		return place{}, errors.New("empty URL")
	}
	if looksLikePath(raw) {
		return place{loc: raw, local: true}, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		if !strings.Contains(raw, "://") {
			return place{loc: raw, local: true}, nil
		}
		return place{}, err
	}
	switch strings.ToLower(u.Scheme) {
	case "":
		return place{loc: raw, local: true}, nil
	case "file":
		p, err := fileURLPath(u)
		if err != nil {
			return place{}, err
		}
		return place{loc: p, local: true}, nil
	case "https":
		if u.Host == "" {
			return place{}, errors.New("URL has no host")
		}
		return place{loc: raw}, nil
	case "http":
		if !loopback(u.Hostname()) {
			return place{}, ErrInsecure
		}
		return place{loc: raw}, nil
	default:
		return place{}, fmt.Errorf("unsupported URL scheme %q (want https, file or a path)", u.Scheme)
	}
}

// parseMirror reads a --mirror: a folder or a URL. Unlike an origin, a
// mirror may be plain http on any host — a teacher's `envup serve` on the
// lab's network — since every file it gives is checked against its pinned
// sha256 before use, and a mirror is never asked for anything unpinned.
func parseMirror(raw string) (place, error) {
	if u, err := url.Parse(raw); err == nil && strings.EqualFold(u.Scheme, "http") && !looksLikePath(raw) {
		if u.Host == "" {
			return place{}, errors.New("URL has no host")
		}
		return place{loc: raw}, nil
	}
	return parsePlace(raw)
}

// looksLikePath catches paths that url.Parse would misread: absolute and
// relative paths, and Windows drive paths ("C:\x" parses as scheme "c").
func looksLikePath(s string) bool {
	switch {
	case strings.HasPrefix(s, "/"), strings.HasPrefix(s, `\`), strings.HasPrefix(s, "."):
		return true
	case len(s) >= 2 && s[1] == ':' && isLetter(s[0]):
		return len(s) == 2 || s[2] == '\\' || s[2] == '/'
	}
	return false
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// fileURLPath turns file:///a/b, file:///C:/a/b and file://host/share/b
// into native paths.
func fileURLPath(u *url.URL) (string, error) {
	p := u.Path
	if len(p) >= 3 && p[0] == '/' && p[2] == ':' && isLetter(p[1]) {
		p = p[1:] // /C:/x
	}
	switch host := u.Host; {
	case host == "" || strings.EqualFold(host, "localhost"):
	case filepath.Separator == '\\':
		p = `\\` + host + p // a UNC share
	default:
		return "", fmt.Errorf("file URL on another host %q", host)
	}
	if p == "" {
		return "", errors.New("file URL has no path")
	}
	return filepath.FromSlash(p), nil
}

// loopback reports whether host (without port) is this machine.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// checkURL applies the https rule to a URL the client is about to follow.
func checkURL(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if loopback(u.Hostname()) {
			return nil
		}
		return redirectError{fmt.Errorf("redirect to %s: %w", u.Redacted(), ErrInsecure)}
	default:
		return redirectError{fmt.Errorf("redirect to %s: unsupported scheme", u.Redacted())}
	}
}

// redirectError is a redirect the client refused: trying again will not
// help.
type redirectError struct{ err error }

func (e redirectError) Error() string { return e.err.Error() }
func (e redirectError) Unwrap() error { return e.err }

// checkedClient copies c (or a default client) so that redirects obey the
// https rule too.
func checkedClient(c *http.Client) *http.Client {
	var out http.Client
	if c != nil {
		out = *c
	}
	prev := out.CheckRedirect
	out.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := checkURL(req.URL); err != nil {
			return err
		}
		if prev != nil {
			return prev(req, via)
		}
		if len(via) >= 10 {
			return redirectError{errors.New("stopped after 10 redirects")}
		}
		return nil
	}
	return &out
}

// places lists where to look for rawURL, in order: each mirror under each
// spelling of the base name, then the origin unless offline (local files
// are never offline).
func (f *Fetcher) places(rawURL string, origin place) ([]place, error) {
	if origin.local {
		return []place{origin}, nil
	}
	var out []place
	names := baseNames(rawURL)
	for _, m := range f.opts.Mirrors {
		mp, err := parseMirror(m)
		if err != nil {
			return nil, fmt.Errorf("mirror %s: %w", m, err)
		}
		for _, name := range names {
			pl := place{local: mp.local, mirror: true}
			if mp.local {
				pl.loc = filepath.Join(mp.loc, name)
			} else {
				pl.loc = strings.TrimRight(mp.loc, "/") + "/" + url.PathEscape(name)
			}
			out = append(out, pl)
		}
	}
	if !f.opts.Offline {
		out = append(out, origin)
	}
	return out, nil
}

// BaseName is the name a mirror folder holds rawURL's file under: the URL's
// last path segment, unescaped ("cpython-3.12.1+2024...tar.gz" for
// ".../cpython-3.12.1%2B2024...tar.gz"); empty when the URL names no file.
// `envup fetch` uses it to fill a mirror folder the way Get searches one.
func BaseName(rawURL string) string {
	if names := baseNames(rawURL); len(names) > 0 {
		return names[0]
	}
	return ""
}

// baseNames returns the file names a mirror may hold rawURL under: its
// last path segment unescaped ("cpython-3.12.1+2024..."), and as written
// in the URL ("cpython-3.12.1%2B2024...") when that differs.
func baseNames(rawURL string) []string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil
	}
	esc := u.EscapedPath()
	seg := esc[strings.LastIndex(esc, "/")+1:]
	var names []string
	if plain, err := url.PathUnescape(seg); err == nil && fileName(plain) {
		names = append(names, plain)
	}
	if fileName(seg) && (len(names) == 0 || names[0] != seg) {
		names = append(names, seg)
	}
	return names
}

// fileName reports whether s can name a file in a mirror folder without
// reaching outside it.
func fileName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/\\\x00")
}

// missNote is how a place appears in the list of where a file was sought.
func (p place) missNote(err error) string {
	if isMiss(err) {
		return p.loc
	}
	return p.loc + " (" + err.Error() + ")"
}

// isMiss reports whether err only means the mirror lacks the file.
func isMiss(err error) bool {
	var se *StatusError
	return errors.Is(err, errMiss) || errors.As(err, &se) && se.Code >= 400 && se.Code < 500
}

// MirrorsFromEnv returns the mirrors named in ENVUP_MIRROR: one folder or
// URL, or several separated by commas (as GOPROXY). The CLI tries
// --mirror first, then these, then the recipe's mirror:, and passes the
// whole list as Options.Mirrors.
func MirrorsFromEnv(getenv func(string) string) []string {
	var out []string
	for _, m := range strings.Split(getenv("ENVUP_MIRROR"), ",") {
		if m = strings.TrimSpace(m); m != "" {
			out = append(out, m)
		}
	}
	return out
}
