package recipe

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/hashicorp/go-version"
)

// ParseSelector reads the string form of `when:`: "OS", "OS CONSTRAINT"
// or "OS NAME", with a distro after "linux": "windows", "windows < 6.1",
// "windows xp", "macos mountain lion", "linux ubuntu >= 22.04". OS, arch
// and libc aliases are stored under their canonical names.
func ParseSelector(text string) (*Selector, error) {
	s, probs := parseSelector(text)
	if len(probs) > 0 {
		return nil, errors.New(probs[0].msg)
	}
	return s, nil
}

// selProblem is one thing wrong with a selector; field is the object-form
// key it concerns, empty for the selector as a whole.
type selProblem struct {
	field string
	msg   string
}

func parseSelector(text string) (*Selector, []selProblem) {
	f := strings.Fields(text)
	if len(f) == 0 {
		return nil, []selProblem{{msg: "empty selector"}}
	}
	os, ok := osAliases[strings.ToLower(f[0])]
	if !ok {
		return nil, []selProblem{{msg: fmt.Sprintf("unknown os %q%s", f[0], hint(f[0], osNames, 5))}}
	}
	s := &Selector{OS: os, Text: text}
	rest := f[1:]
	if os == "linux" && len(rest) > 0 && !versionStart(rest[0]) {
		s.Distro = strings.ToLower(rest[0])
		rest = rest[1:]
	}
	if len(rest) > 0 {
		r := strings.Join(rest, " ")
		switch {
		case os == "windows" && knownName(os, r):
			s.Name = strings.ToLower(r)
		case versionStart(r):
			s.Version = r
		default:
			s.Name = strings.ToLower(r)
		}
	}
	probs := s.problems()
	for i := range probs {
		probs[i].field = "" // the string form has no fields to point at
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return s, nil
}

// versionStart tells whether a word begins a version or a constraint.
func versionStart(w string) bool {
	return w != "" && strings.ContainsRune("<>=!~0123456789", rune(w[0]))
}

var (
	bareVersion = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*$`)
	codename    = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
)

// problems checks a selector and stores canonical os, arch and libc names.
func (s *Selector) problems() []selProblem {
	var out []selProblem
	add := func(field, format string, args ...any) {
		out = append(out, selProblem{field: field, msg: fmt.Sprintf(format, args...)})
	}
	if *s == (Selector{Text: s.Text, Pos: s.Pos}) {
		add("", "empty selector")
		return out
	}
	if s.OS != "" {
		if os, ok := osAliases[strings.ToLower(s.OS)]; ok {
			s.OS = os
		} else {
			add("os", "unknown os %q%s", s.OS, hint(s.OS, osNames, 5))
			return out
		}
	}
	if s.Distro != "" {
		switch s.OS {
		case "":
			s.OS = "linux"
		case "linux":
		default:
			add("distro", "a distro is only for linux")
		}
		s.Distro = strings.ToLower(s.Distro)
	}
	if s.Arch != "" {
		if a, ok := archAliases[strings.ToLower(s.Arch)]; ok {
			s.Arch = a
		} else {
			add("arch", "unknown arch %q%s", s.Arch, hint(s.Arch, archNames, 0))
		}
	}
	if s.Libc != "" {
		if l, ok := libcAliases[strings.ToLower(s.Libc)]; ok {
			s.Libc = l
		} else {
			add("libc", "unknown libc %q (glibc or musl)", s.Libc)
		}
		if s.OS != "" && s.OS != "linux" {
			add("libc", "libc is only for linux")
		}
	}
	if s.Version != "" {
		if s.OS == "" {
			add("version", "a version needs an os")
		} else if msg := checkOSVersion(s.Version); msg != "" {
			add("version", "%s", msg)
		}
	}
	if s.Name != "" {
		switch {
		case s.OS == "":
			add("name", "a name needs an os")
		case s.OS == "linux" && !codename.MatchString(strings.ToLower(s.Name)):
			add("name", "bad linux codename %q", s.Name)
		case !knownName(s.OS, s.Name):
			add("name", "unknown %s name %q%s", s.OS, s.Name, hint(s.Name, releaseNames[s.OS], 0))
		}
	}
	return out
}

// checkOSVersion checks a selector's version: a bare version ("10.7",
// "12") or a go-version constraint ("< 6.1", ">= 22.04").
func checkOSVersion(v string) string {
	if bareVersion.MatchString(v) {
		return ""
	}
	if _, err := version.NewConstraint(v); err != nil {
		return fmt.Sprintf("bad version constraint %q", v)
	}
	return ""
}

// Matches tells whether the platform is one the selector names. A nil
// selector matches every platform. A host without a version never matches
// a version; a distro is matched against ID and ID_LIKE, but against ID
// alone when the selector also has a version (the version is that
// distro's).
func (s *Selector) Matches(p detect.Platform) bool {
	if s == nil {
		return true
	}
	hostOS := osAliases[strings.ToLower(p.OS)]
	if s.OS != "" && osAliases[strings.ToLower(s.OS)] != hostOS {
		return false
	}
	if s.Arch != "" && archAliases[strings.ToLower(s.Arch)] != archAliases[strings.ToLower(p.Arch)] {
		return false
	}
	if s.Libc != "" && (hostOS != "linux" || libcAliases[strings.ToLower(s.Libc)] != libcAliases[strings.ToLower(p.Libc.Name)]) {
		return false
	}
	if s.Distro != "" && !distroMatches(s.Distro, p, s.Version != "") {
		return false
	}
	if s.Version != "" && !versionMatches(s.Version, hostVersion(p)) {
		return false
	}
	if s.Name != "" && !nameMatches(hostOS, s.Name, p) {
		return false
	}
	return true
}

func distroMatches(distro string, p detect.Platform, exact bool) bool {
	d := strings.ToLower(distro)
	if strings.ToLower(p.Distro.ID) == d {
		return true
	}
	if exact {
		return false
	}
	for _, like := range p.Distro.IDLike {
		if strings.ToLower(like) == d {
			return true
		}
	}
	return false
}

func hostVersion(p detect.Platform) string {
	if p.Version != "" {
		return p.Version
	}
	return p.Distro.Version
}

// versionMatches checks a host version against a bare version (a release
// line: "10.7" holds 10.7 and 10.7.5) or a constraint.
func versionMatches(spec, host string) bool {
	if host == "" {
		return false
	}
	hv, err := version.NewVersion(host)
	if err != nil {
		return false
	}
	if bareVersion.MatchString(spec) {
		sv, err := version.NewVersion(spec)
		if err != nil {
			return false
		}
		n := strings.Count(spec, ".") + 1
		hs, ss := hv.Segments64(), sv.Segments64()
		for i := 0; i < n; i++ {
			if i >= len(hs) || i >= len(ss) || hs[i] != ss[i] {
				return false
			}
		}
		return true
	}
	c, err := version.NewConstraint(spec)
	if err != nil {
		return false
	}
	return c.Check(hv)
}

// os is the OS a selector implies: its own, or linux for a distro or a
// libc (Matches takes a libc for Linux only).
func (s *Selector) os() string {
	if s.OS == "" && (s.Distro != "" || s.Libc != "") {
		return "linux"
	}
	return s.OS
}

// String gives the selector's string form, or a flow mapping when it
// uses what only the object form has (arch, libc, or a name with a version).
func (s *Selector) String() string {
	if s == nil {
		return ""
	}
	if s.stringForm() {
		parts := []string{s.OS}
		for _, p := range []string{s.Distro, s.Version, s.Name} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		return strings.Join(parts, " ")
	}
	var parts []string
	for _, kv := range s.fields() {
		parts = append(parts, kv[0]+": "+kv[1])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// stringForm tells whether the string form can say all of the selector.
func (s *Selector) stringForm() bool {
	switch {
	case s.OS == "" || s.Arch != "" || s.Libc != "":
		return false
	case s.Version != "" && s.Name != "":
		return false
	case s.OS == "linux" && s.Distro == "" && s.Name != "":
		return false // "linux jammy" would read jammy as a distro
	case s.OS == "windows" && knownName("windows", s.Version):
		return false // "windows 10" would read 10 as a name
	}
	return true
}

// fields lists the object form's keys that are set, in schema order.
func (s *Selector) fields() [][2]string {
	var out [][2]string
	for _, kv := range [][2]string{
		{"os", s.OS},
		{"distro", s.Distro},
		{"name", s.Name},
		{"version", s.Version},
		{"arch", s.Arch},
		{"libc", s.Libc},
	} {
		if kv[1] != "" {
			out = append(out, kv)
		}
	}
	return out
}

// selectorFromNode reads a selector in either form; the node has passed
// the checker.
func selectorFromNode(n *node) *Selector {
	if n.kind == scalarNode {
		s, _ := parseSelector(n.text)
		if s != nil {
			s.Pos = n.pos
		}
		return s
	}
	s := &Selector{Pos: n.pos}
	for _, p := range n.pairs {
		if p.val.kind != scalarNode {
			continue
		}
		switch p.key {
		case "os":
			s.OS = p.val.text
		case "distro":
			s.Distro = p.val.text
		case "name":
			s.Name = p.val.text
		case "version":
			s.Version = p.val.text
		case "arch":
			s.Arch = p.val.text
		case "libc":
			s.Libc = p.val.text
		}
	}
	s.Text = s.String()
	return s
}
