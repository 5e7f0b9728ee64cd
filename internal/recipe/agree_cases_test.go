package recipe

import (
	"errors"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// commonValues are written at every place: each kind of YAML value, the
// edges the format cares about, and the ${var} forms (vars.w is set to a
// good value of the place, so "${w}" is good wherever vars expand).
var commonValues = []string{
	`null`, `~`, `''`, `' '`, `x`, `'x y'`, `Linux`, `'1bad'`,
	`0`, `1`, `2`, `7`, `22`, `-1`, `644`, `9999`, `70000`, `12345`, `0x10`,
	`1.0`, `12.0`, `24.3`, `3.10`, `1e3`, `0.5`, `-2.5`,
	`true`, `false`, `yes`,
	`[]`, `[x]`, `[x, x]`, `[1e3]`, `[1]`, `[null]`, `[[x]]`, `[{x: 1}]`,
	`{}`, `{x: 1}`, `{x: {y: z}}`,
	`'${w}'`, `'a${w}'`, `'$${w}'`, `'${nope}'`, `'${1bad}'`, `'${w'`,
	`'0644'`, `'0985'`, `'https://example.com/a'`, `ftp://example.com/a`,
	`/tmp/a`, `'~/a'`, `rel/a`, `missing.txt`, `'2024.3'`, `2024.3`, `'2024'`,
	`'3.12'`, `'>= 3.8, < 3.13'`, `'bad!'`, `'30s'`, `'-5s'`, `'[a-'`,
	`ms-python.python`, `'0123456789abcdef0123456789abcdef0123456789abcdef0123456789ABCDEF'`, `'abc'`,
	`windows`, `'windows < 6.1'`, `'macos lion'`, `'linux ubuntu >= 22.04'`, `'nonsense words here'`,
	`{os: linux}`, `{os: Linux, arch: x86_64}`, `{os: bogus}`, `{arch: arm64}`, `{libc: musl}`,
	`{os: windows, name: '7'}`, `{os: windows, name: 7}`, `{os: macos, version: '10.7'}`, `{os: null}`,
	`{distro: debian}`, `{os: windows, distro: debian}`, `{name: xp}`, `{os: linux, name: bookworm}`,
	`code`, `vscodium`, `python`, `node`, `redis`, `valkey`, `existing`, `build`, `[existing, build]`,
	`[existing, existing]`, `[binary]`, `[true]`, `[' ']`, `['${w}']`,
}

// keyValues are written as the keys of mappings whose keys name things
// (vars, files, editors, sections).
var keyValues = []string{
	`k`, `w`, `home`, `os`, `1bad`, `a-b`, `_x`, `1`, `'~/x'`, `/tmp/x`, `rel/x`, `'${w}/x'`,
	`'~'`, `'C:\x'`, `vscode`, `pycharm`, `emacs`, `python`, `ruby`, `redis`, `memcached`, `"a\x00b"`,
}

// valuesFor lists the values tried at p: the common ones, the shape's own
// examples and enum, and good containers made from them.
func valuesFor(p place) []*yaml.Node {
	if p.key {
		out := make([]*yaml.Node, 0, len(keyValues))
		for _, v := range keyValues {
			out = append(out, scalar(v))
		}
		return out
	}
	var out []*yaml.Node
	for _, v := range commonValues {
		out = append(out, scalar(v))
	}
	s := p.s
	for _, e := range append(append([]string(nil), s.enum...), s.examples...) {
		out = append(out, quoted(e), scalar(e))
	}
	switch s.kind {
	case listKind:
		e := skeleton(s.elem, false)
		out = append(out, seq(e), seq(e, skeleton(s.elem, false)))
	case dictKind:
		for _, k := range dictKeys(s) {
			out = append(out, mapping(scalar(k), skeleton(s.elemShape(k), p.partial)))
		}
	case objKind:
		out = append(out, skeleton(s, p.partial), object(s, false, "", nil, -1))
		if len(s.groups) > 0 {
			for g := range s.groups {
				out = append(out, object(s, false, "", nil, g))
			}
		}
		bogus := skeleton(s, p.partial)
		add(bogus, "bogus", scalar("1"))
		out = append(out, bogus)
	}
	return out
}

// localFiles are the files beside the generated recipes: every local
// path example, and the names the values use.
func localFiles() []string {
	out := []string{"f.txt"}
	for _, p := range places(recipeShape, nil, false, nil) {
		if p.s.kind == strKind && (p.s.path == localPath || p.steps[0].key == "include") {
			out = append(out, p.s.examples...)
		}
	}
	return out
}

// loaderOnlyReasons are what the schema cannot say, each with the
// loader's messages for it. A case the loader refuses with one of these
// and the schema accepts is counted, not failed; every other difference
// fails the test.
var loaderOnlyReasons = []struct {
	reason     string
	msg        *regexp.Regexp
	stringForm bool // only for a selector's string form (the object form's keys are in the schema)
}{
	{
		reason: "selector grammar: the string form, and which keys of the object form go together (os-specific names, a version or name needs an os, distro and libc only for linux)",
		msg:    regexp.MustCompile(`^unknown \w+ name|^bad linux codename|needs an os$|only for linux$|^empty selector`),
	},
	{
		reason:     "selector grammar: the string form, and which keys of the object form go together (os-specific names, a version or name needs an os, distro and libc only for linux)",
		msg:        regexp.MustCompile(`^unknown (os|arch|libc) `),
		stringForm: true,
	},
	{
		reason: "version constraints and pip specifiers: go-version's and PEP 440's grammars",
		msg:    regexp.MustCompile(`^bad version constraint|^empty version|^bad pip specifier`),
	},
	{reason: "regexps: Go's RE2 syntax", msg: regexp.MustCompile(`^bad regexp`)},
	{reason: "durations: Go's time.ParseDuration, and positive", msg: regexp.MustCompile(`is not a duration like|is not a positive duration`)},
	{reason: "paths that must exist beside the recipe", msg: regexp.MustCompile(`^no such file or folder|^cannot read .*: no such file`)},
	{
		reason: "vars: names that must be defined (in vars or any platforms item), above their use, without cycles; ${ must be closed",
		msg:    regexp.MustCompile(`^undefined var|is used before .* is defined|^var cycle|^unterminated \$\{|^bad var name`),
	},
	{
		reason: "references between entries: a virtualenv's interpreter, a key naming no tool or kind, vars: true beside content, one default per tool, one port per service, one check of a name per platform",
		msg:    regexp.MustCompile(`^no interpreter|^missing tool|^missing kind|is left out on this platform|^a second default|^port \d+ is taken|^only for source|is used twice|is used by more than`),
	},
	{
		reason: "spelling: JSON keeps a value, not how it was written (a version 3.0 or 0x10 is the number 3 or 16 to a schema, a path ~ is null)",
		msg:    regexp.MustCompile(`is the number .* in YAML; quote it|is a number in YAML; quote it|^a bare ~ is null in YAML`),
	},
	{reason: "NUL bytes, which no name or path can hold", msg: regexp.MustCompile(`holds a NUL byte`)},
	{
		reason: "a blank program name: only prefixItems can speak of a first item, and ajv's strict mode refuses it on a list of any length (strictTuples)",
		msg:    regexp.MustCompile(`^empty program name`),
	},
}

// varsReason is why a value using vars is the loader's to check: the
// schema takes any string with a ${name} where one may be, as its text
// is known only once the vars are expanded.
const varsReason = "vars: a value that uses one is checked once expanded"

// loaderOnly returns the reason the schema cannot see a load error of
// the case, or "" when it could: every problem must have one.
func loaderOnly(c agreementCase, err error) string {
	if strings.Contains(c.value, "${") || strings.Contains(c.at, "${") {
		return strings.SplitN(varsReason, ":", 2)[0]
	}
	var list ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return ""
	}
	reason := ""
	for _, e := range list {
		r := ""
		for _, lo := range loaderOnlyReasons {
			if lo.msg.MatchString(e.Msg) && (!lo.stringForm || c.selectorText) {
				r = lo.reason
				break
			}
		}
		if r == "" {
			return ""
		}
		if reason == "" {
			reason = r
		}
	}
	return strings.SplitN(reason, ":", 2)[0]
}
