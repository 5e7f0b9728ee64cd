package editor

import (
	"bytes"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tailscale/hujson"

	"github.com/envup/envup/internal/system"
)

// jsoncMaxSize is the largest settings file envup reads: 8 MiB, some 80
// times the largest of 55 real settings.json files (97 KB). A larger file
// is refused before it is read.
const jsoncMaxSize = 8 << 20

// jsoncMaxDepth is how deep a settings file may nest objects and arrays:
// 1,000 levels, where 55 real files nest 9 at most. hujson parses by
// recursion, and a file nested a million deep (2 MB) overflows the stack,
// a fatal error that no recover catches; so the depth is counted first,
// in one pass that does not recurse.
const jsoncMaxDepth = 1000

// JSONCSyntaxError is a settings file that does not parse: its path, and
// the line and column (from 1) where the parser stopped.
type JSONCSyntaxError struct {
	Path   string
	Line   int
	Column int
	Msg    string
}

func (e *JSONCSyntaxError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Column, e.Msg)
}

// jsoncLineCol reads the position out of hujson's "hujson: line L, column
// C: msg" errors.
var jsoncLineCol = regexp.MustCompile(`(?s)^hujson: line (\d+), column (\d+): (.*)$`)

// jsoncRead reads the settings file at path and its permission bits. A
// file larger than jsoncMaxSize is refused before it is read; an absent
// one is an error that is fs.ErrNotExist.
func jsoncRead(sys system.System, path string) ([]byte, fs.FileMode, error) {
	fi, err := sys.Stat(path)
	switch {
	case err != nil:
		return nil, 0, err
	case fi.IsDir():
		return nil, 0, fmt.Errorf("%s is a directory", path)
	case fi.Size() > jsoncMaxSize:
		return nil, 0, jsoncTooLarge(path, fi.Size())
	}
	data, err := sys.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	return data, fi.Mode().Perm(), nil
}

// jsoncTooLarge is the error for a settings file of size bytes.
func jsoncTooLarge(path string, size int64) error {
	return fmt.Errorf("%s: %.1f MiB, more than the %d MiB a settings file may be", path, float64(size)/(1<<20), jsoncMaxSize>>20)
}

// jsoncBOM is the UTF-8 byte order mark some Windows editors start a
// file with. VS Code reads past it; a merged file keeps it.
const jsoncBOM = "\ufeff"

// jsoncDoc is a settings file parsed: its tree, and what pack puts back
// or leaves out to write the file as it came.
type jsoncDoc struct {
	root  hujson.Value
	bom   bool // the file starts with a BOM, which root leaves out
	added int  // bytes root ends with that the file does not: a line break after a last line comment
}

// obj is the object at the top, which jsoncParse checked.
func (d *jsoncDoc) obj() *hujson.Object { return d.root.Value.(*hujson.Object) }

// pack is the file as the tree now has it.
func (d *jsoncDoc) pack() []byte {
	out := d.root.Pack()
	out = out[:len(out)-d.added]
	if d.bom {
		out = append([]byte(jsoncBOM), out...)
	}
	return out
}

// jsoncParse parses a settings file as VS Code reads it: past a BOM;
// empty, or holding only comments, it is an empty object; its last line
// may be a line comment with no line break after it. Anything but an
// object at the top is an error, and so is a file larger than
// jsoncMaxSize or nested deeper than jsoncMaxDepth, both found before
// parsing.
func jsoncParse(path string, data []byte) (*jsoncDoc, error) {
	if len(data) > jsoncMaxSize {
		return nil, jsoncTooLarge(path, int64(len(data)))
	}
	doc := &jsoncDoc{}
	src, bom := bytes.CutPrefix(data, []byte(jsoncBOM))
	doc.bom = bom
	scan := jsoncScan(src)
	if scan.tooDeep >= 0 {
		return nil, jsoncErrorAt(path, src, scan.tooDeep, fmt.Sprintf("nested more than %d deep", jsoncMaxDepth))
	}
	eol := lineEnding(src)
	switch {
	case len(bytes.Trim(src, " \t\r\n")) == 0:
		src = []byte("{}\n")
	case scan.first < 0: // comments alone: the object goes after them
		if !bytes.HasSuffix(src, []byte("\n")) {
			src = slices.Concat(src, []byte(eol))
		}
		src = slices.Concat(src, []byte("{}"+eol))
	case scan.openLine: // hujson wants a line comment to end in a line break
		src = slices.Concat(src, []byte(eol))
		doc.added = len(eol)
	}
	root, err := hujson.Parse(src)
	if err != nil {
		return nil, jsoncSyntaxError(path, src, scan, err)
	}
	if _, ok := root.Value.(*hujson.Object); !ok {
		return nil, jsoncErrorAt(path, src, root.StartOffset, "settings must be a JSON object at the top, not "+jsoncKind(root.Value))
	}
	doc.root = root
	return doc, nil
}

// jsoncSyntaxError is hujson's error err for src, at its line and
// column. A string that a line break or the end cuts short is said where
// it starts, when that is before where hujson stopped: hujson reads a
// string to the next quote, however many lines on, and says nothing of
// where it began.
func jsoncSyntaxError(path string, src []byte, scan jsoncScanned, err error) *JSONCSyntaxError {
	m := jsoncLineCol.FindStringSubmatch(err.Error())
	if m == nil {
		return &JSONCSyntaxError{Path: path, Msg: err.Error()}
	}
	line, _ := strconv.Atoi(m[1])
	col, _ := strconv.Atoi(m[2])
	start := 0 // of hujson's line
	for range line - 1 {
		start += bytes.IndexByte(src[start:], '\n') + 1
	}
	off := start + col - 1
	if scan.broken >= 0 && scan.broken <= off {
		return jsoncErrorAt(path, src, scan.broken, "unterminated string")
	}
	msg, _, cut := strings.Cut(m[3], "\n") // an invalid string, quoted
	if cut {
		msg += "…"
	}
	return &JSONCSyntaxError{Path: path, Line: line, Column: col, Msg: msg}
}

// jsoncKind says what v is, for an error: "an array", "a string".
func jsoncKind(v hujson.ValueTrimmed) string {
	switch v.Kind() {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

// jsoncErrorAt is a syntax error at byte offset off of data, its line and
// column counted as hujson counts them (the column in bytes, from 1).
func jsoncErrorAt(path string, data []byte, off int, msg string) *JSONCSyntaxError {
	return &JSONCSyntaxError{
		Path:   path,
		Line:   1 + bytes.Count(data[:off], []byte("\n")),
		Column: off - bytes.LastIndexByte(data[:off], '\n'),
		Msg:    msg,
	}
}

// jsoncScanned is what one pass over a settings file finds before it is
// parsed; an offset is -1 when there is none.
type jsoncScanned struct {
	tooDeep  int  // offset of the bracket that opens level jsoncMaxDepth+1
	first    int  // offset of the first byte that is not whitespace or a comment
	openLine bool // data ends in a line comment, with no line break after it
	broken   int  // offset of the first string a line break or the end cuts short
}

// jsoncScan reads data once, without recursion, as hujson will lex it:
// strings run to the next unescaped quote, comments are // to the line's
// end and /* */, and the brackets outside both are counted.
func jsoncScan(data []byte) jsoncScanned {
	s := jsoncScanned{tooDeep: -1, first: -1, broken: -1}
	depth := 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			continue
		case c == '/' && i+1 < len(data) && data[i+1] == '/':
			end := bytes.IndexByte(data[i:], '\n')
			if end < 0 {
				s.openLine = true
				return s
			}
			i += end
			continue
		case c == '/' && i+1 < len(data) && data[i+1] == '*':
			end := bytes.Index(data[i+2:], []byte("*/"))
			if end < 0 { // not closed: hujson says so, and reads no further
				if s.first < 0 {
					s.first = i
				}
				return s
			}
			i += 2 + end + 1
			continue
		}
		if s.first < 0 {
			s.first = i
		}
		switch {
		case c == '"':
			start := i
			var broken bool
			if i, broken = jsoncString(data, i); broken && s.broken < 0 {
				s.broken = start
			}
		case c == '{' || c == '[':
			if depth++; depth > jsoncMaxDepth {
				s.tooDeep = i
				return s
			}
		case c == '}' || c == ']':
			depth = max(depth-1, 0) // unmatched: hujson says where
		}
	}
	return s
}

// jsoncString reads the string that starts with the quote at data[i] as
// hujson does, to the next quote not escaped, and returns the offset of
// that quote (len(data) when there is none) and whether a line break or
// the end came first: JSON strings end on the line they start.
func jsoncString(data []byte, i int) (end int, broken bool) {
	for i++; i < len(data) && data[i] != '"'; i++ {
		if data[i] == '\\' {
			i++
		}
		if i < len(data) && data[i] == '\n' {
			broken = true
		}
	}
	return i, broken || i >= len(data)
}
