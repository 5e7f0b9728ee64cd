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
// It keeps the first maxErrors: a generated recipe with a mistake
// repeated 100,000 times gets a readable answer, soon.
type errs struct {
	list ErrorList
	more int  // errors past maxErrors, counted only
	at   *Pos // where the first of them is
}

// maxErrors is how many errors one Load reports.
const maxErrors = 50

func (e *errs) add(pos Pos, path, format string, args ...any) {
	if e.full() {
		if e.more++; e.at == nil {
			e.at = &pos
		}
		return
	}
	e.list = append(e.list, &Error{Pos: pos, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// full tells whether further errors are only counted, so that a caller
// can skip working out their details (the nearest name among thousands).
func (e *errs) full() bool { return len(e.list) >= maxErrors }

// err returns the collected errors sorted by file, line and column, or
// nil; past maxErrors, a last one says how many more there were.
func (e *errs) err() error {
	if len(e.list) == 0 {
		return nil
	}
	l := make(ErrorList, 0, len(e.list)+1)
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
	if e.more > 0 {
		l = append(l, &Error{Pos: *e.at, Msg: fmt.Sprintf("%d more errors not shown (the first %d are above)", e.more, maxErrors)})
	}
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
