package detect

import (
	"fmt"
	"strings"
)

// ParseOSRelease reads an os-release(5) file: KEY=value assignments, one a
// line, with values bare or in single or double quotes, backslash escapes
// as in the shell, and "#" comments. Nothing is expanded. Keys keep their
// case ("VERSION_ID"). A line that is not an assignment, a quote left
// open or an unquoted space is an error naming the first such line; the
// map then still holds every well-formed assignment, so a caller may use
// what a slightly broken file does say.
func ParseOSRelease(data []byte) (map[string]string, error) {
	s := string(data)
	vars := make(map[string]string)
	var first error
	line := 1
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\n':
			line++
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r':
			i++
			continue
		case c == '#':
			i = skipLine(s, i)
			continue
		}
		key, value, next, lines, err := scanAssignment(s, i)
		if err != nil {
			if first == nil {
				first = fmt.Errorf("line %d: %w", line, err)
			}
			i = skipLine(s, i) // go on with the next line
			continue
		}
		vars[key] = value
		line += lines
		i = next
	}
	return vars, first
}

// scanAssignment reads KEY=value at i, returning the index after it and
// how many newlines the value spans.
func scanAssignment(s string, i int) (key, value string, next, lines int, err error) {
	key, next = scanKey(s, i)
	if key == "" || next >= len(s) || s[next] != '=' {
		return "", "", i, 0, fmt.Errorf("want KEY=value, got %q", strings.TrimSpace(s[i:skipLine(s, i)]))
	}
	value, next, lines, err = scanValue(s, next+1)
	if err != nil {
		return "", "", i, 0, fmt.Errorf("%s: %w", key, err)
	}
	if next, err = scanEnd(s, next); err != nil {
		return "", "", i, 0, fmt.Errorf("%s: %w", key, err)
	}
	return key, value, next, lines, nil
}

// skipLine returns the index of the newline ending the line at i, or
// len(s).
func skipLine(s string, i int) int {
	if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(s)
}

// scanKey reads a variable name ([A-Za-z0-9_]+) at i.
func scanKey(s string, i int) (string, int) {
	j := i
	for j < len(s) && isKeyByte(s[j]) {
		j++
	}
	return s[i:j], j
}

func isKeyByte(c byte) bool {
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// scanValue reads a shell word at i: bare text, "double" or 'single'
// quoted parts, up to unquoted white space. It returns the value, the
// index after it and how many newlines it spanned.
func scanValue(s string, i int) (string, int, int, error) {
	var b strings.Builder
	lines := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			return b.String(), i, lines, nil
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return "", i, lines, errUnterminated('\'')
			}
			part := s[i+1 : i+1+j]
			lines += strings.Count(part, "\n")
			b.WriteString(part)
			i += j + 2
		case c == '"':
			n, l, err := scanDoubleQuoted(s, i+1, &b)
			lines += l
			if err != nil {
				return "", i, lines, err
			}
			i = n
		case c == '\\':
			if i+1 >= len(s) {
				i++
				continue
			}
			if s[i+1] == '\n' { // line continuation
				lines++
			} else {
				b.WriteByte(s[i+1])
			}
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), i, lines, nil
}

// scanDoubleQuoted reads from just after an opening double quote to just
// after the closing one. Inside, a backslash escapes only $ ` " \ and a
// newline, as in the shell; before anything else it stays a backslash.
func scanDoubleQuoted(s string, i int, b *strings.Builder) (int, int, error) {
	lines := 0
	for i < len(s) {
		c := s[i]
		switch c {
		case '"':
			return i + 1, lines, nil
		case '\\':
			if i+1 < len(s) {
				switch s[i+1] {
				case '$', '`', '"', '\\':
					b.WriteByte(s[i+1])
					i += 2
					continue
				case '\n':
					lines++
					i += 2
					continue
				}
			}
		case '\n':
			lines++
		}
		b.WriteByte(c)
		i++
	}
	return i, lines, errUnterminated('"')
}

// scanEnd checks that only blanks or a comment follow a value on its line.
func scanEnd(s string, i int) (int, error) {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r') {
		i++
	}
	switch {
	case i >= len(s) || s[i] == '\n':
		return i, nil
	case s[i] == '#':
		return skipLine(s, i), nil
	}
	end := skipLine(s, i)
	return i, fmt.Errorf("unquoted space before %q", strings.TrimSpace(s[i:end]))
}

func errUnterminated(q byte) error {
	return fmt.Errorf("unterminated %c quote", q)
}
