package detect

import (
	"path/filepath"
	"strings"
)

// Path is a path on the host a Platform describes, which may not be the
// machine envup runs on: a Windows path planned from Linux keeps its
// backslashes, and a POSIX path never takes one as a separator. It knows
// its host's separators (Windows reads both / and \; other hosts only /),
// the separator it joins with, and its host's case rule (Windows compares
// without regard to case). Every path of the planned host is joined
// here; chezmoi's AbsPath is the model.
//
// A path joins with the separator it is written with: `C:\Users\x` with
// \, "~/AppData/Local" (a --platform host's folders) with /, and a path
// with no separator yet (a bare "~", "C:") with /. Native joins with the
// host's own separator (\ on Windows), Normal also rewrites p in it.
type Path struct {
	s   string
	win bool // the host is Windows: \ and / both separate, case is ignored
	sep byte // what Join writes
}

// Path is s as a path on p's host.
func (p Platform) Path(s string) Path { return newPath(s, p.OS == "windows") }

// PathOn is s as a path on a host of the given OS (linux, macos,
// windows), for code that knows the OS but holds no Platform.
func PathOn(os, s string) Path { return newPath(s, os == "windows") }

// LocalPath is s as a path on the machine envup runs on, in its own form
// (a recipe's folder, a font file beside it).
func LocalPath(s string) Path { return newPath(s, filepath.Separator == '\\').Normal() }

// HomePath is the user's home folder on p's host ("~" on a --platform
// host, which has none of its own).
func (p Platform) HomePath() Path { return p.Path(p.Home) }

// Join is p.Path(base).Join(elem...), as a string.
func (p Platform) Join(base string, elem ...string) string {
	return p.Path(base).Join(elem...).String()
}

func newPath(s string, win bool) Path {
	sep := byte('/')
	if win && strings.Contains(s, `\`) {
		sep = '\\'
	}
	return Path{s: s, win: win, sep: sep}
}

// seps are the separators the host reads.
func (p Path) seps() string {
	if p.win {
		return `\/`
	}
	return "/"
}

// String is the path as its host writes it.
func (p Path) String() string { return p.s }

// Native is p joining with its host's own separator: on Windows Join
// writes \ whatever p is written with; elsewhere p unchanged. p itself is
// kept as written (Normal rewrites it).
func (p Path) Native() Path {
	if p.win {
		p.sep = '\\'
	}
	return p
}

// Normal is p written with its host's own separator throughout: on
// Windows every / becomes \; elsewhere p unchanged.
func (p Path) Normal() Path {
	if p.win {
		p.s = strings.ReplaceAll(p.s, "/", `\`)
		p.sep = '\\'
	}
	return p
}

// Join appends elem to p, each after one separator; a trailing separator
// of p is dropped first, and empty elements are skipped. An empty p joins
// to an empty path, never to one relative to wherever envup runs (or to
// the root).
func (p Path) Join(elem ...string) Path {
	if p.s == "" {
		return p
	}
	var b strings.Builder
	b.WriteString(strings.TrimRight(p.s, p.seps()))
	for _, e := range elem {
		if e == "" {
			continue
		}
		b.WriteByte(p.sep)
		b.WriteString(e)
	}
	p.s = b.String()
	return p
}

// Base is p's last element; a trailing separator is ignored.
func (p Path) Base() string {
	s := strings.TrimRight(p.s, p.seps())
	return s[strings.LastIndexAny(s, p.seps())+1:]
}

// Dir is p without its last element: "." when p has one element, the
// root ("/", `C:\`) when its parent is one.
func (p Path) Dir() Path {
	s := strings.TrimRight(p.s, p.seps())
	i := strings.LastIndexAny(s, p.seps())
	switch {
	case i < 0:
		p.s = "."
	case i == 0:
		p.s = s[:1]
	case p.win && i == 2 && s[1] == ':':
		p.s = s[:3] // C:\
	default:
		p.s = s[:i]
	}
	return p
}

// Rel is p relative to dir, in p's own form, when p is dir or under it:
// "" for dir itself. Every absolute path is under the root "/". On
// Windows, case and the kind of separator do not count.
func (p Path) Rel(dir Path) (string, bool) {
	d := strings.TrimRight(dir.s, p.seps()) // "" for the root
	if dir.s == "" || len(p.s) < len(d) || !p.same(p.s[:len(d)], d) {
		return "", false
	}
	rest := p.s[len(d):]
	switch {
	case rest == "":
		return "", true
	case strings.IndexByte(p.seps(), rest[0]) < 0:
		return "", false // /home/ab is not under /home/a
	}
	return strings.TrimLeft(rest, p.seps()), true
}

// Equal says whether p and q name the same path on their host: trailing
// separators aside, and on Windows without regard to case or the kind of
// separator.
func (p Path) Equal(q Path) bool {
	return p.same(strings.TrimRight(p.s, p.seps()), strings.TrimRight(q.s, p.seps()))
}

func (p Path) same(a, b string) bool {
	if !p.win {
		return a == b
	}
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "/", `\`)) }
	return norm(a) == norm(b)
}

// Expand replaces a leading ~ in s with the home folder p: "~" is p, and
// "~/x" or `~\x` is p followed by /x or \x: on Windows with each of x's
// separators written as p's, elsewhere as written. "~user"
// and anything else come back unchanged, and so does everything when p is
// empty. Expand is the one place envup expands ~.
func (p Path) Expand(s string) string {
	if p.s == "" || !UnderHome(s) {
		return s // ~user is not expanded
	}
	if s == "~" {
		return p.s
	}
	rest := s[1:]
	if p.win {
		rest = strings.Map(func(r rune) rune {
			if r == '/' || r == '\\' {
				return rune(p.sep)
			}
			return r
		}, rest)
	}
	return strings.TrimRight(p.s, p.seps()) + rest
}

// UnderHome says whether s starts with the ~ that stands for the home
// folder: "~", "~/…" or `~\…` ("~user" does not).
func UnderHome(s string) bool {
	return s == "~" || len(s) > 1 && s[0] == '~' && (s[1] == '/' || s[1] == '\\')
}

// Collapse writes path s as ~ and what follows, in s's own form, when s
// is the home folder p or under it (by p's host's rules: on Windows
// without regard to case), else s as it is: how a snapshot records a
// path, so two users' snapshots compare. A home of "", "~" or the root
// (HOME=/ in some containers) collapses nothing.
func (p Path) Collapse(s string) string {
	if p.s == "" || p.s == "~" || s == "" || strings.TrimRight(p.s, p.seps()) == "" {
		return s
	}
	rel, ok := newPath(s, p.win).Rel(p)
	switch {
	case !ok:
		return s
	case rel == "":
		return "~"
	}
	return "~" + s[len(s)-len(rel)-1:]
}

// Tilde writes the home folder p in a text as ~ where it starts a path
// (followed by a separator, a quote or nothing): what a snapshot records,
// so two users' settings and paths compare. A home of "" or "~" leaves
// text as it is.
func (p Path) Tilde(text string) string {
	h := strings.TrimRight(p.s, p.seps())
	if h == "" || h == "~" || !strings.Contains(text, h) {
		return text
	}
	var b strings.Builder
	for {
		i := strings.Index(text, h)
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		rest := text[i+len(h):]
		if rest == "" || strings.ContainsRune(`/\"'`, rune(rest[0])) {
			b.WriteString("~")
		} else {
			b.WriteString(h)
		}
		text = rest
	}
}
