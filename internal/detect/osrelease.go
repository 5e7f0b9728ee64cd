package detect

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// ParseOSRelease reads an os-release(5) file as systemd does: the state
// machine of parse_env_file_internal in systemd's src/basic/env-file.c,
// rule for rule, so a file means to envup what it means to hostnamectl.
// What that reading comes to:
//
//   - A line is KEY=value. Blanks around the key and before the value are
//     skipped; a line without "=" is ignored, as is one starting with "#"
//     or ";" (a comment; a "#" after a value is part of the value).
//   - A bare value runs to the end of the line, spaces and all, less its
//     trailing blanks ("NAME=Wind River Linux" is "Wind River Linux");
//     a backslash keeps the next byte as it is and a backslash before a
//     newline joins the lines. Quotes are only quotes at the start.
//   - 'Single' quotes keep everything up to the next one; "double" quotes
//     unescape \" \\ \` \$, drop a backslash-newline and keep any other
//     backslash. Either may span lines; one left open runs to the end of
//     the file. Text right after a closing quote is appended.
//   - Nothing is expanded; a key assigned twice keeps the later value.
//
// systemd refuses a whole file with a NUL byte in it, or a key or value
// that is not valid UTF-8 (noncharacters such as U+FFFE included). Here
// the first such byte is the error, naming its line and column, and the
// map holds every other assignment, so a caller may go by what the rest
// of the file says.
func ParseOSRelease(data []byte) (map[string]string, error) {
	p := envParser{data: data, vars: make(map[string]string)}
	for i, c := range data {
		p.step(i, c)
	}
	p.end()
	return p.vars, p.err
}

// envState is where parse_env_file_internal is within a line.
type envState int

const (
	preKey envState = iota
	inKey
	preValue
	inValue
	valueEscape
	singleQuoted
	doubleQuoted
	doubleQuotedEscape
	inComment
	commentEscape
)

// envParser holds one assignment being read. keyBlank and valueBlank are
// where trailing blanks began (-1 when the last byte was not blank).
type envParser struct {
	data       []byte
	vars       map[string]string
	state      envState
	start      int // offset of the key's first byte
	key, value []byte
	keyBlank   int
	valueBlank int
	err        error
	errAt      int
}

func isEnvBlank(c byte) bool   { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isEnvNewline(c byte) bool { return c == '\n' || c == '\r' }

// isShellNeedEscape: the bytes a backslash unescapes inside double quotes.
func isShellNeedEscape(c byte) bool { return c == '"' || c == '\\' || c == '`' || c == '$' }

func (p *envParser) step(i int, c byte) {
	if c == 0 {
		p.fail(i, "NUL byte (systemd refuses the file)")
	}
	switch p.state {
	case preKey:
		switch {
		case c == '#' || c == ';':
			p.state = inComment
		case !isEnvBlank(c):
			p.state, p.start, p.keyBlank = inKey, i, -1
			p.key = append(p.key[:0], c)
		}
	case inKey:
		switch {
		case isEnvNewline(c): // no "=": not an assignment
			p.state = preKey
		case c == '=':
			p.state, p.valueBlank, p.value = preValue, -1, p.value[:0]
		default:
			p.key = appendNoting(p.key, &p.keyBlank, c)
		}
	case preValue:
		switch {
		case isEnvNewline(c):
			p.push(i)
		case c == '\'':
			p.state = singleQuoted
		case c == '"':
			p.state = doubleQuoted
		case c == '\\':
			p.state = valueEscape
		case !isEnvBlank(c):
			p.state = inValue
			p.value = append(p.value, c)
		}
	case inValue:
		switch {
		case isEnvNewline(c):
			p.chompValue()
			p.push(i)
		case c == '\\':
			p.state, p.valueBlank = valueEscape, -1
		default:
			p.value = appendNoting(p.value, &p.valueBlank, c)
		}
	case valueEscape:
		p.state = inValue
		if !isEnvNewline(c) { // an escaped newline joins the lines
			p.value = append(p.value, c)
		}
	case singleQuoted:
		if c == '\'' {
			p.state = preValue
		} else {
			p.value = append(p.value, c)
		}
	case doubleQuoted:
		switch c {
		case '"':
			p.state = preValue
		case '\\':
			p.state = doubleQuotedEscape
		default:
			p.value = append(p.value, c)
		}
	case doubleQuotedEscape:
		p.state = doubleQuoted
		switch {
		case isShellNeedEscape(c):
			p.value = append(p.value, c)
		case c != '\n': // as the shell: other backslashes stay
			p.value = append(p.value, '\\', c)
		}
	case inComment:
		switch {
		case c == '\\':
			p.state = commentEscape
		case isEnvNewline(c):
			p.state = preKey
		}
	case commentEscape:
		// Since systemd 254 a backslash does not carry a comment on to
		// the next line (252 still did).
		if isEnvNewline(c) {
			p.state = preKey
		} else {
			p.state = inComment
		}
	}
}

// appendNoting appends c to b, noting in *blank where the blanks b ends
// in begin (-1 when it ends in none), for the end of a line to trim.
func appendNoting(b []byte, blank *int, c byte) []byte {
	if !isEnvBlank(c) {
		*blank = -1
	} else if *blank < 0 {
		*blank = len(b)
	}
	return append(b, c)
}

// end finishes the assignment the file ends in, if any; a quote left
// open ends here too.
func (p *envParser) end() {
	switch p.state {
	case inValue:
		p.chompValue()
		p.push(len(p.data))
	case preValue, valueEscape, singleQuoted, doubleQuoted, doubleQuotedEscape:
		p.push(len(p.data))
	}
}

func (p *envParser) chompValue() {
	if p.valueBlank >= 0 {
		p.value = p.value[:p.valueBlank]
	}
}

// push stores the assignment that began at p.start and ends before end,
// unless systemd would refuse it.
func (p *envParser) push(end int) {
	p.state = preKey
	key := p.key
	if p.keyBlank >= 0 {
		key = key[:p.keyBlank]
	}
	for _, b := range [][]byte{key, p.value} {
		if bytes.IndexByte(b, 0) >= 0 {
			return // the NUL is already the error
		}
		if invalidUTF8(b) >= 0 {
			at := p.start + max(invalidUTF8(p.data[p.start:end]), 0)
			p.fail(at, fmt.Sprintf("%s: not valid UTF-8 (systemd refuses the file)", printableKey(key)))
			return
		}
	}
	p.vars[string(key)] = string(p.value)
}

// printableKey is the key for an error message, quoted when it is not
// plain text.
func printableKey(key []byte) string {
	if invalidUTF8(key) >= 0 || bytes.ContainsAny(key, "\"\t") {
		return strconv.Quote(string(key))
	}
	return string(key)
}

// fail keeps the error at the lowest offset.
func (p *envParser) fail(at int, what string) {
	if p.err != nil && p.errAt <= at {
		return
	}
	line := 1 + bytes.Count(p.data[:at], []byte{'\n'})
	col := at - bytes.LastIndexByte(p.data[:at], '\n')
	p.err, p.errAt = fmt.Errorf("line %d, column %d: %s", line, col, what), at
}

// invalidUTF8 is where b stops being what systemd's utf8_is_valid
// accepts, or -1: UTF-8 that Go accepts, less the noncharacters (U+FDD0
// to U+FDEF, and U+xFFFE and U+xFFFF in every plane).
func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || r >= 0xFDD0 && r <= 0xFDEF || r&0xFFFE == 0xFFFE {
			return i
		}
		i += n
	}
	return -1
}
