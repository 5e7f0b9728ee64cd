package recipe

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// parse reads one recipe file into a tree, its aliases expanded within
// what is left of b. It returns nil when the file is not a YAML mapping;
// the reasons are in e.
func parse(file string, data []byte, e *errs, b *aliasBudget) *node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) {
		e.add(Pos{File: file, Line: 1, Col: 1}, "", `empty file; a recipe starts with "envup: 1"`)
		return nil
	}
	if err != nil {
		syntaxError(file, data, err, e)
		return nil
	}
	var second yaml.Node
	switch err := dec.Decode(&second); {
	case errors.Is(err, io.EOF):
	case err != nil:
		syntaxError(file, data, err, e)
		return nil
	default:
		e.add(Pos{File: file, Line: second.Line, Col: second.Column}, "", "a second YAML document; a recipe is one document")
		return nil
	}
	root := fromYAML(&doc, file, e, b)
	if root == nil {
		return nil
	}
	switch root.kind {
	case nullNode:
		e.add(Pos{File: file, Line: 1, Col: 1}, "", `empty file; a recipe starts with "envup: 1"`)
		return nil
	case mapNode:
		return root
	}
	e.add(root.pos, "", "expected a mapping, got %s", root.describe())
	return nil
}

var yamlLine = regexp.MustCompile(`^line (\d+): `)

// syntaxError reports a yaml.v3 parse error at the line yaml.v3 names (it
// gives no column). A tab in indentation, the most common cause, gets a
// clearer message at its exact place.
func syntaxError(file string, data []byte, err error, e *errs) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1 // yaml.v3 leaves the line out when it is the first
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	if l, c := indentTab(data, line); l > 0 {
		e.add(Pos{File: file, Line: l, Col: c}, "", "tab in indentation (YAML indents with spaces)")
		return
	}
	e.add(Pos{File: file, Line: line}, "", "syntax error: %s", msg)
}

// indentTab finds a tab in the leading whitespace of a line: the reported
// line if it has one, else the first such line in the file.
func indentTab(data []byte, line int) (int, int) {
	lines := strings.Split(string(data), "\n")
	at := func(i int) int {
		lead := len(lines[i]) - len(strings.TrimLeft(lines[i], " \t"))
		return strings.IndexByte(lines[i][:lead], '\t') + 1
	}
	if line >= 1 && line <= len(lines) {
		if c := at(line - 1); c > 0 {
			return line, c
		}
	}
	for i := range lines {
		if c := at(i); c > 0 {
			return i + 1, c
		}
	}
	return 0, 0
}
