package recipe

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// String formats a position as file:line:col, leaving out what is unknown.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return p.File + ":" + strconv.Itoa(p.Line)
	default:
		return p.File + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
	}
}

// Error is one problem in a recipe: where, which key, and what is wrong.
// Its text is "file:line:col: path.to.key: what".
type Error struct {
	Pos  Pos
	Path string // the key, "interpreters.python.version"; empty for syntax errors
	Msg  string
}

// Error formats the error as "file:line:col: path: what".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String())
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem Load found, sorted by position; its text has
// one error a line.
type ErrorList []*Error

// Error joins the errors, one a line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// errs collects errors while a stage runs; a later stage runs only when
// the earlier ones found nothing, so one mistake is not reported twice.
type errs struct {
	list ErrorList
}

func (e *errs) add(pos Pos, path, format string, args ...any) {
	e.list = append(e.list, &Error{Pos: pos, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// err returns the collected errors sorted by file, line and column, or nil.
func (e *errs) err() error {
	if len(e.list) == 0 {
		return nil
	}
	l := make(ErrorList, 0, len(e.list))
	seen := map[string]bool{}
	for _, x := range e.list {
		if s := x.Error(); !seen[s] {
			seen[s] = true
			l = append(l, x)
		}
	}
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return l
}

// keyPath joins a path and a map key; keys other than plain words are
// quoted in brackets, as Go quotes them: files["~/lab/seats.py"].
func keyPath(path, key string) string {
	if !plainKey(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// indexPath joins a path and a sequence index: checks[2].
func indexPath(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

func plainKey(key string) bool {
	if key == "" {
		return false
	}
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
		default:
			return false
		}
	}
	return true
}
