package install

import (
	"encoding/json"
	"fmt"
	"strings"
)

// A Fact is one thing a diff compares, at a path such as
// virtualenvs/ci/packages/pytest: a snapshot's facts say what a machine
// has, a recipe's what it wants.
type Fact struct {
	Value string // what is compared
	Show  string // what is shown; "" shows Value
	// Group is a fact that stands for what is under it: when the other
	// side lacks it, it is the one difference reported; when both have
	// it, only a recipe's Match compares it, and the facts under it tell
	// the rest.
	Group bool
	// Match is a recipe's want: whether a value satisfies it. nil
	// compares values.
	Match func(have string) bool
}

// Shown is what a line shows of f.
func (f *Fact) Shown() string {
	if f.Show != "" {
		return f.Show
	}
	return f.Value
}

// Facts are one side's facts by path.
type Facts map[string]*Fact

// Put records a fact and returns it, for its Show or Match.
func (fs Facts) Put(path, value string) *Fact {
	f := &Fact{Value: value}
	fs[path] = f
	return f
}

// Group records a fact that stands for what is under path.
func (fs Facts) Group(path, show string) *Fact {
	f := &Fact{Group: true, Show: show}
	fs[path] = f
	return f
}

// Seg escapes a path segment: a "/" inside a name would read as a level.
func Seg(s string) string { return strings.ReplaceAll(s, "/", "%2F") }

// Minor is the X.Y of a version: the series an interpreter belongs to.
func Minor(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return v
	}
	return parts[0] + "." + parts[1]
}

// CanonicalJSON writes a JSON text with sorted keys and no spaces, so two
// ways of writing one value compare equal.
func CanonicalJSON(text string) string {
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return text
	}
	out, err := json.Marshal(v)
	if err != nil {
		return text
	}
	return string(out)
}

// Plural says n things: "1 package", "3 packages".
func Plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// Short is the start of a sha256, for people.
func Short(sum string) string {
	if len(sum) > 12 {
		return sum[:12] + "…"
	}
	return sum
}

// NamedWords are a diff's words for a kind of named things (a venv, a
// service): "venv ci" alone, else "venv ci: " and what is under it, a
// package by its name.
func NamedWords(what string, path []string) (context, item, join string) {
	name := what + " " + path[1]
	switch {
	case len(path) == 2:
		return "", name, ""
	case len(path) == 3:
		return name, path[2], ": "
	case path[2] == "packages":
		return name, strings.Join(path[3:], "/"), ": "
	}
	return name, strings.Join(path[2:], " "), ": "
}
