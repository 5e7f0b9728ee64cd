package file

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// expandVars replaces ${name} in a source file's text with the recipe's
// var. $${name} stands for a literal ${name} (a shell script's own
// variables). An undefined var is an error naming the file and line.
// Only ${...} holding a plain name is a var: ${HOME:-/root} is left alone.
func expandVars(text []byte, vars map[string]string, file string) ([]byte, error) {
	var out bytes.Buffer
	line := 1
	for i := 0; i < len(text); {
		c := text[i]
		if c == '\n' {
			line++
		}
		if c != '$' {
			out.WriteByte(c)
			i++
			continue
		}
		if bytes.HasPrefix(text[i:], []byte("$${")) {
			out.WriteString("${")
			i += 3
			continue
		}
		name, n := varAt(text[i:])
		if n == 0 {
			out.WriteByte(c)
			i++
			continue
		}
		value, ok := vars[name]
		if !ok {
			return nil, fmt.Errorf("%s:%d: ${%s} is not a var of the recipe (%s); write $${%s} for a literal ${%s}",
				file, line, name, known(vars), name, name)
		}
		out.WriteString(value)
		i += n
	}
	return out.Bytes(), nil
}

// varAt reads "${name}" at the start of b: the name and the length read,
// or a zero length when b does not start with one.
func varAt(b []byte) (string, int) {
	if !bytes.HasPrefix(b, []byte("${")) {
		return "", 0
	}
	end := bytes.IndexByte(b, '}')
	if end < 3 {
		return "", 0
	}
	name := string(b[2:end])
	for j, r := range name {
		ok := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' ||
			j > 0 && (r >= '0' && r <= '9' || r == '-' || r == '.')
		if !ok {
			return "", 0
		}
	}
	return name, end + 1
}

func known(vars map[string]string) string {
	if len(vars) == 0 {
		return "it defines none"
	}
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, k)
	}
	slices.Sort(names)
	return "it defines " + strings.Join(names, ", ")
}
