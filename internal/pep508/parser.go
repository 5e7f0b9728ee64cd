// Package pep508 reads dependency specifiers ("requests[socks]>=2.31 ;
// python_version >= '3.8'") and environment markers as PEP 508 defines
// them and as pypa/packaging's parser (which pip vendors) reads them,
// token for token. docs/recipe.md lists where envup differs on purpose.
package pep508

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SyntaxError is text that is not a requirement or a marker: what was
// expected and where.
type SyntaxError struct {
	Text string
	Pos  int // byte offset into Text
	Msg  string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("column %d: %s", utf8.RuneCountInString(e.Text[:e.Pos])+1, e.Msg)
}

// parser walks a requirement or marker; each method reads one token kind
// of packaging's tokenizer or one rule of its grammar.
type parser struct {
	s string
	i int
}

func (p *parser) fail(msg string) error { return p.failAt(p.i, msg) }

func (p *parser) failAt(pos int, msg string) error {
	return &SyntaxError{Text: p.s, Pos: pos, Msg: msg}
}

// ws skips spaces and tabs, the only white space between tokens.
func (p *parser) ws() bool {
	start := p.i
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
	return p.i > start
}

// end is packaging's END token, Python's $: the end of the text, or a
// final newline.
func (p *parser) end() bool {
	return p.i == len(p.s) || p.i == len(p.s)-1 && p.s[p.i] == '\n'
}

func (p *parser) peek(c byte) bool { return p.i < len(p.s) && p.s[p.i] == c }

// isWord is Python's \w: a letter, a number or _.
func isWord(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) }

// boundary is Python's \b at byte offset i of s.
func boundary(s string, i int) bool {
	before, after := false, false
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		before = isWord(r)
	}
	if i < len(s) {
		r, _ := utf8.DecodeRuneInString(s[i:])
		after = isWord(r)
	}
	return before != after
}

// keyword reads w when it stands alone (\bw\b).
func (p *parser) keyword(w string) bool {
	if !strings.HasPrefix(p.s[p.i:], w) || !boundary(p.s, p.i) || !boundary(p.s, p.i+len(w)) {
		return false
	}
	p.i += len(w)
	return true
}

// identifier reads a name or an extra: \b[a-zA-Z0-9][a-zA-Z0-9._-]*\b,
// the longest run that ends on a word boundary (so "foo-" is "foo", but
// "foo_" is "foo_").
func (p *parser) identifier() (string, bool) {
	start := p.i
	if start >= len(p.s) || !isAlnum(p.s[start]) || !boundary(p.s, start) {
		return "", false
	}
	j := start + 1
	for j < len(p.s) && (isAlnum(p.s[j]) || p.s[j] == '.' || p.s[j] == '_' || p.s[j] == '-') {
		j++
	}
	for e := j; e > start; e-- {
		if boundary(p.s, e) {
			p.i = e
			return p.s[start:e], true
		}
	}
	return "", false
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// Normalize is a name as packaging's canonicalize_name has it (PEP 503):
// runs of -, _ and . become one -, letters lower case.
func Normalize(name string) string {
	var b strings.Builder
	sep := false
	for _, r := range name {
		if r == '-' || r == '_' || r == '.' {
			if !sep {
				b.WriteByte('-')
			}
			sep = true
			continue
		}
		sep = false
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}
