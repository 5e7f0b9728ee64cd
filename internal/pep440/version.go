// Package pep440 reads Python package versions and version specifiers as
// PEP 440 defines them and as pypa/packaging (which pip vendors) reads
// them: the same versions are valid, they sort the same, and a specifier
// set holds the same versions. docs/recipe.md lists where envup differs on
// purpose.
package pep440

import (
	"fmt"
	"strings"
	"unicode"
)

// Version is a parsed PEP 440 version. Its numbers are kept as decimal
// strings, so a release segment of any length compares right.
type Version struct {
	epoch   string   // "0" when not written
	release []string // at least one
	pre     string   // "", "a", "b" or "rc"
	preN    string
	post    string // "" for none
	dev     string // "" for none
	local   []string
}

// InvalidVersionError is a string that is not a PEP 440 version.
type InvalidVersionError struct {
	Text string
}

func (e *InvalidVersionError) Error() string {
	return fmt.Sprintf("%q is not a PEP 440 version", e.Text)
}

// Parse reads a version the way packaging.version.Version does: letters
// in any case, the spellings PEP 440 normalises ("1.0-RC.1", "v2", "1.0-1"),
// white space around it.
func Parse(s string) (Version, error) {
	p := versionParser{s: strings.TrimFunc(s, IsSpace)}
	v, ok := p.version(true)
	if !ok || p.i != len(p.s) {
		return Version{}, &InvalidVersionError{Text: s}
	}
	return v, nil
}

// IsSpace is Python's idea of white space (str.isspace), which packaging
// strips around versions and specifiers: Go's unicode.IsSpace and the
// four ASCII separators U+001C to U+001F.
func IsSpace(r rune) bool {
	return unicode.IsSpace(r) || 0x1c <= r && r <= 0x1f
}

// versionParser walks a version left to right, taking each optional part
// when it is there, as packaging's regular expression does.
type versionParser struct {
	s string
	i int
}

// version reads a whole version; withLocal allows a +local part.
func (p *versionParser) version(withLocal bool) (Version, bool) {
	var v Version
	if p.i < len(p.s) && lower(p.s[p.i]) == 'v' {
		p.i++
	}
	first, ok := p.number()
	if !ok {
		return v, false
	}
	v.epoch = "0"
	if p.peek('!') {
		p.i++
		v.epoch = first
		if first, ok = p.number(); !ok {
			return v, false
		}
	}
	v.release = []string{first}
	for p.i+1 < len(p.s) && p.s[p.i] == '.' && isDigit(p.s[p.i+1]) {
		p.i++
		n, _ := p.number()
		v.release = append(v.release, n)
	}
	v.pre, v.preN = p.pre()
	v.post = p.post()
	v.dev = p.dev()
	if withLocal && p.peek('+') {
		local, ok := p.local()
		if !ok {
			return v, false
		}
		v.local = local
	}
	return v, true
}

// preWords are the pre-release spellings, longest first where one starts
// another, and the letters they stand for.
var (
	preWords = []string{"alpha", "a", "beta", "b", "preview", "pre", "c", "rc"}
	preNorm  = map[string]string{"alpha": "a", "beta": "b", "preview": "rc", "pre": "rc", "c": "rc"}
)

// pre reads [._-]?(alpha|a|beta|b|preview|pre|c|rc)[._-]?N?.
func (p *versionParser) pre() (kind, n string) {
	w, n := p.tagged(preWords...)
	if norm, ok := preNorm[w]; ok {
		w = norm
	}
	return w, n
}

// post reads -N or [._-]?(post|rev|r)[._-]?N?.
func (p *versionParser) post() string {
	if p.peek('-') && p.i+1 < len(p.s) && isDigit(p.s[p.i+1]) {
		p.i++
		n, _ := p.number()
		return n
	}
	_, n := p.tagged("post", "rev", "r")
	return n
}

// dev reads [._-]?dev[._-]?N?.
func (p *versionParser) dev() string {
	_, n := p.tagged("dev")
	return n
}

// tagged reads [._-]?WORD[._-]?N? for the first of words there, N "0"
// when not written; nothing, and "", "" when none is.
func (p *versionParser) tagged(words ...string) (word, n string) {
	start := p.i
	p.separator()
	for _, w := range words {
		if p.word(w) {
			p.separator()
			if n, ok := p.number(); ok {
				return w, n
			}
			return w, "0"
		}
	}
	p.i = start
	return "", ""
}

// local reads +label(.label)*, labels of ASCII letters and digits
// separated by [._-]; letters lower-cased, numbers without leading zeros.
func (p *versionParser) local() ([]string, bool) {
	p.i++ // +
	var parts []string
	for {
		start := p.i
		for p.i < len(p.s) && isAlnum(p.s[p.i]) {
			p.i++
		}
		if p.i == start {
			return nil, false
		}
		parts = append(parts, localPart(p.s[start:p.i]))
		if p.i+1 < len(p.s) && isSeparator(p.s[p.i]) && isAlnum(p.s[p.i+1]) {
			p.i++
			continue
		}
		return parts, true
	}
}

func localPart(s string) string {
	if allDigits(s) {
		return trimZeros(s)
	}
	return strings.ToLower(s)
}

func (p *versionParser) number() (string, bool) {
	start := p.i
	for p.i < len(p.s) && isDigit(p.s[p.i]) {
		p.i++
	}
	if p.i == start {
		return "", false
	}
	return trimZeros(p.s[start:p.i]), true
}

func (p *versionParser) separator() {
	if p.i < len(p.s) && isSeparator(p.s[p.i]) {
		p.i++
	}
}

// word consumes w, matched without regard to ASCII case.
func (p *versionParser) word(w string) bool {
	if len(p.s)-p.i < len(w) {
		return false
	}
	for j := 0; j < len(w); j++ {
		if lower(p.s[p.i+j]) != w[j] {
			return false
		}
	}
	p.i += len(w)
	return true
}

func (p *versionParser) peek(c byte) bool { return p.i < len(p.s) && p.s[p.i] == c }

func isDigit(c byte) bool     { return '0' <= c && c <= '9' }
func isAlnum(c byte) bool     { return isDigit(c) || 'a' <= lower(c) && lower(c) <= 'z' }
func isSeparator(c byte) bool { return c == '.' || c == '_' || c == '-' }

// lower lower-cases ASCII letters only: packaging matches letters in
// ASCII, so the Kelvin sign is not a k.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func trimZeros(s string) string {
	s = strings.TrimLeft(s, "0")
	if s == "" {
		return "0"
	}
	return s
}

// String is the normalised form: "1!2.0rc1.post3.dev4+ubuntu.1".
func (v Version) String() string {
	var b strings.Builder
	b.WriteString(v.Public())
	if len(v.local) > 0 {
		b.WriteString("+" + v.Local())
	}
	return b.String()
}

// Public is the version without its local part.
func (v Version) Public() string {
	s := v.BaseVersion()
	if v.pre != "" {
		s += v.pre + v.preN
	}
	if v.post != "" {
		s += ".post" + v.post
	}
	if v.dev != "" {
		s += ".dev" + v.dev
	}
	return s
}

// BaseVersion is the epoch and release alone: "1!2.0".
func (v Version) BaseVersion() string {
	s := strings.Join(v.release, ".")
	if v.epoch != "0" {
		s = v.epoch + "!" + s
	}
	return s
}

// Local is the local label, "" for none.
func (v Version) Local() string { return strings.Join(v.local, ".") }

// IsPrerelease says whether v is a pre-release or a development release.
func (v Version) IsPrerelease() bool { return v.pre != "" || v.dev != "" }

// IsPostrelease says whether v has a post-release part.
func (v Version) IsPostrelease() bool { return v.post != "" }

// IsDevrelease says whether v has a development part.
func (v Version) IsDevrelease() bool { return v.dev != "" }

// Release is the release segment's numbers, as written without leading
// zeros: "1.02.0" is ["1", "2", "0"].
func (v Version) Release() []string { return append([]string(nil), v.release...) }

// Compare orders v and o as PEP 440 does: -1, 0 or +1.
func (v Version) Compare(o Version) int {
	if c := cmpNum(v.epoch, o.epoch); c != 0 {
		return c
	}
	if c := cmpRelease(v.release, o.release); c != 0 {
		return c
	}
	if c := cmpPre(v, o); c != 0 {
		return c
	}
	// No post sorts before any post; no dev sorts after any dev.
	if c := cmpOptional(v.post, o.post, -1); c != 0 {
		return c
	}
	if c := cmpOptional(v.dev, o.dev, +1); c != 0 {
		return c
	}
	return cmpLocal(v.local, o.local)
}

// cmpNum compares decimal strings without leading zeros.
func cmpNum(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// cmpRelease compares release segments with trailing zeros ignored.
func cmpRelease(a, b []string) int {
	a, b = trimRelease(a), trimRelease(b)
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := cmpNum(a[i], b[i]); c != 0 {
			return c
		}
	}
	return cmpInt(len(a), len(b))
}

// trimRelease drops trailing zeros, keeping one number.
func trimRelease(r []string) []string {
	n := len(r)
	for n > 1 && r[n-1] == "0" {
		n--
	}
	return r[:n]
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// preRank places the pre-release part: a development release of a final
// version (1.0.dev1) before every pre-release, a final version after.
func preRank(v Version) int {
	switch {
	case v.pre == "" && v.post == "" && v.dev != "":
		return 0
	case v.pre == "a":
		return 1
	case v.pre == "b":
		return 2
	case v.pre == "rc":
		return 3
	}
	return 4
}

func cmpPre(v, o Version) int {
	if c := cmpInt(preRank(v), preRank(o)); c != 0 {
		return c
	}
	if v.pre == "" {
		return 0
	}
	return cmpNum(v.preN, o.preN)
}

// cmpOptional compares two optional numbers; absent sorts at the side
// absentSide says (-1 first, +1 last).
func cmpOptional(a, b string, absentSide int) int {
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return absentSide
	case b == "":
		return -absentSide
	}
	return cmpNum(a, b)
}

// cmpLocal orders local labels: none first; then part by part, words
// before numbers, words by text, numbers by value; a prefix first.
func cmpLocal(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		an, bn := allDigits(a[i]), allDigits(b[i])
		var c int
		switch {
		case an && bn:
			c = cmpNum(a[i], b[i])
		case an:
			c = 1
		case bn:
			c = -1
		default:
			c = strings.Compare(a[i], b[i])
		}
		if c != 0 {
			return c
		}
	}
	return cmpInt(len(a), len(b))
}
