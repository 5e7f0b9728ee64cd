package editor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tailscale/hujson"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/file"
	"github.com/envup/envup/internal/system"
)

// jsoncIndent is how deep a key is indented in a file envup creates, or in
// an object whose own indentation cannot be seen (it has no members yet):
// four spaces, as VS Code's own JSON formatter writes by default.
const jsoncIndent = "    "

// jsoncMaxShown is how many characters of a value a plan line shows.
const jsoncMaxShown = 40

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

// jsoncWant is one top-level key a recipe owns, with its value as JSON.
type jsoncWant struct {
	key   string
	value any    // as encoding/json decodes it, for comparing
	text  string // compact JSON, for plan lines
}

// jsoncWants turns a recipe's settings into owned keys, sorted so that new
// keys are appended in the same order on every machine. A key is literal:
// "editor.fontSize" is one top-level key, as VS Code and Sublime read it.
func jsoncWants(settings map[string]any) ([]jsoncWant, error) {
	wants := make([]jsoncWant, 0, len(settings))
	for key, v := range settings {
		raw, err := jsoncMarshal(jsoncNormalize(v), "", "")
		if err != nil {
			return nil, fmt.Errorf("settings %q: %w", key, err)
		}
		var decoded any
		if err := json.Unmarshal(raw, &decoded); err != nil {
			return nil, fmt.Errorf("settings %q: %w", key, err)
		}
		wants = append(wants, jsoncWant{key: key, value: decoded, text: string(raw)})
	}
	slices.SortFunc(wants, func(a, b jsoncWant) int { return strings.Compare(a.key, b.key) })
	return wants, nil
}

// jsoncNormalize turns the map[any]any a YAML decoder may produce into
// map[string]any, which encoding/json can write.
func jsoncNormalize(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = jsoncNormalize(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[fmt.Sprint(k)] = jsoncNormalize(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = jsoncNormalize(e)
		}
		return out
	}
	return v
}

// jsoncMarshal writes v as JSON without HTML escapes; with indent, over
// several lines, each after the first starting with prefix.
func jsoncMarshal(v any, prefix, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent(prefix, indent)
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
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

// jsoncDecode is v as encoding/json decodes it, comments dropped.
func jsoncDecode(v hujson.Value) (any, error) {
	v = v.Clone()
	v.Minimize()
	var out any
	if err := json.Unmarshal(v.Pack(), &out); err != nil {
		return nil, err
	}
	return out, nil
}

// jsoncShow is a value as a plan line shows it: compact, cut short.
func jsoncShow(s string) string {
	if r := []rune(s); len(r) > jsoncMaxShown {
		return string(r[:jsoncMaxShown-1]) + "…"
	}
	return s
}

// JSONCKey is one owned key that differs from the recipe.
type JSONCKey struct {
	Key  string `json:"key"`
	Have string `json:"have,omitempty"` // compact JSON; empty when absent
	Want string `json:"want"`
}

// JSONCState is what Observe saw in a JSONC settings file.
type JSONCState struct {
	Path   string      `json:"path"`
	Exists bool        `json:"exists"`
	Differ []JSONCKey  `json:"differ,omitempty"` // owned keys not as the recipe wants
	Mode   fs.FileMode `json:"-"`
	Data   []byte      `json:"-"` // the file as read
}

// jsoncFile is a JSONC settings file of which a recipe owns some keys.
type jsoncFile struct {
	path  string
	wants []jsoncWant
}

// jsoncDiffer lists the owned keys whose value in root differs. Every
// occurrence of a key counts: editors disagree on which duplicate wins.
func jsoncDiffer(obj *hujson.Object, wants []jsoncWant) []JSONCKey {
	var out []JSONCKey
	for _, w := range wants {
		found, same := false, true
		have := ""
		for i := range obj.Members {
			m := &obj.Members[i]
			if m.Name.Value.(hujson.Literal).String() != w.key {
				continue
			}
			found = true
			got, err := jsoncDecode(m.Value)
			if err != nil || !reflect.DeepEqual(got, w.value) {
				same = false
				v := m.Value.Clone()
				v.Minimize()
				have = string(v.Pack())
			}
		}
		if !found || !same {
			out = append(out, JSONCKey{Key: w.key, Have: have, Want: w.text})
		}
	}
	return out
}

// observe reads the file (absent is an empty object) and what differs.
func (f *jsoncFile) observe(sys system.System) (*JSONCState, error) {
	st := &JSONCState{Path: f.path, Mode: 0o644}
	data, mode, err := jsoncRead(sys, f.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		st.Exists, st.Mode, st.Data = true, mode, data
	}
	doc, err := jsoncParse(f.path, st.Data)
	if err != nil {
		return nil, err
	}
	st.Differ = jsoncDiffer(doc.obj(), f.wants)
	return st, nil
}

// diff is one change per owned key that differs.
func (f *jsoncFile) diff(st *JSONCState) []install.Change {
	changes := make([]install.Change, 0, len(st.Differ))
	for _, k := range st.Differ {
		c := install.Change{Action: install.Update, Subject: k.Key, Why: jsoncShow(k.Have) + " → " + jsoncShow(k.Want)}
		if k.Have == "" {
			c.Action, c.Why = install.Create, "absent → "+jsoncShow(k.Want)
		}
		changes = append(changes, c)
	}
	return changes
}

// apply merges the owned keys into what Observe read and writes the result
// atomically, keeping the file as it was as <file>.envup-backup the first
// time.
func (f *jsoncFile) apply(_ context.Context, sys system.System, st *JSONCState) error {
	if len(st.Differ) == 0 {
		return nil
	}
	merged, err := jsoncMergeFile(f.path, st.Data, f.wants)
	if err != nil {
		return err
	}
	return jsoncWrite(sys, f.path, st.Exists, st.Data, merged, st.Mode)
}

// jsoncWrite writes data to path atomically (sys.WriteFile). When the file
// existed, what it held is first kept as <path>.envup-backup, unless a
// backup is already there: the first one is the user's original. The Vim
// resource writes through it too.
func jsoncWrite(sys system.System, path string, exists bool, old, data []byte, mode fs.FileMode) error {
	if exists {
		backup := path + file.BackupSuffix
		_, err := sys.Lstat(backup)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := sys.WriteFile(backup, old, mode); err != nil {
				return fmt.Errorf("backup: %w", err)
			}
		case err != nil:
			return fmt.Errorf("backup: %w", err)
		}
	}
	return sys.WriteFile(path, data, mode)
}

// jsoncMerge sets each owned key of settings to the wanted value (JSON
// encoded) and returns the file. Everything else stays byte for byte:
// other keys, their order, comments, trailing commas. A key already
// present keeps its place and the comments around its value; comments
// inside an old value it replaces go with it. A new key goes last,
// indented like its neighbours, keeping the object's trailing-comma style.
func jsoncMerge(data []byte, settings map[string]any) ([]byte, error) {
	wants, err := jsoncWants(settings)
	if err != nil {
		return nil, err
	}
	return jsoncMergeFile("settings", data, wants)
}

// jsoncMergeFile is jsoncMerge for the file at path (named in errors). A
// file with nothing to change comes back as it is, byte for byte. New and
// changed lines end as most of the file's lines do (lineEnding); the
// user's own lines keep theirs, even in a file of mixed endings.
func jsoncMergeFile(path string, data []byte, wants []jsoncWant) ([]byte, error) {
	doc, err := jsoncParse(path, data)
	if err != nil {
		return nil, err
	}
	obj := doc.obj()
	if len(jsoncDiffer(obj, wants)) == 0 {
		return data, nil
	}
	eol := lineEnding(data)
	for _, w := range wants {
		if err := jsoncSet(obj, w, eol); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, w.key, err)
		}
	}
	return doc.pack(), nil
}

// jsoncSet sets every occurrence of w.key in obj to w's value, or appends
// the key when obj has none; eol ends the lines it writes.
func jsoncSet(obj *hujson.Object, w jsoncWant, eol string) error {
	found := false
	for i := range obj.Members {
		m := &obj.Members[i]
		if m.Name.Value.(hujson.Literal).String() != w.key {
			continue
		}
		found = true
		if got, err := jsoncDecode(m.Value); err == nil && reflect.DeepEqual(got, w.value) {
			continue
		}
		indent, multiline := jsoncMemberIndent(m.Name.BeforeExtra)
		v, err := jsoncValue(w.value, indent, multiline, eol)
		if err != nil {
			return err
		}
		m.Value.Value = v
	}
	if found {
		return nil
	}
	return jsoncAppend(obj, w, eol)
}

// jsoncAppend adds w as obj's last member. What stood before the closing
// brace stays there: a comment on the last line goes after the new comma.
// The new line, and the closing brace's when it moves, end with eol.
func jsoncAppend(obj *hujson.Object, w jsoncWant, eol string) error {
	n := len(obj.Members)
	indent, lineStart := jsoncIndent, true
	if n > 0 {
		indent, lineStart = jsoncMemberIndent(obj.Members[n-1].Name.BeforeExtra)
	}
	tail := obj.AfterExtra
	var head, closing []byte
	multiline := true
	switch i := jsoncLastBreak(tail); {
	case i >= 0:
		if i > 0 && tail[i-1] == '\r' {
			i-- // the brace's line break is the whole CRLF
		}
		head, closing = tail[:i], tail[i:]
		if j := jsoncLastBreak(head); n == 0 && j >= 0 {
			// An empty object with a comment in it: indent like it.
			indent, _ = jsoncMemberIndent(head[j:])
			if indent == "" {
				indent = jsoncIndent
			}
		} else if !lineStart {
			indent = jsoncIndent
		}
	case n == 0: // "{}" or "{ }" grows to several lines
		closing = []byte(eol)
	default: // one line, {"a": 1}, stays one line
		closing, indent, multiline = tail, "", false
	}
	sep := " "
	if multiline {
		sep = eol + indent
	}
	v, err := jsoncValue(w.value, indent, multiline, eol)
	if err != nil {
		return err
	}
	trailing := n > 0 && obj.Members[n-1].Value.AfterExtra != nil
	m := hujson.ObjectMember{
		Name:  hujson.Value{BeforeExtra: append(slices.Clip(head), sep...), Value: hujson.String(w.key)},
		Value: hujson.Value{BeforeExtra: hujson.Extra(" "), Value: v},
	}
	if trailing {
		m.Value.AfterExtra = hujson.Extra{} // keep the trailing comma
	}
	obj.Members = append(obj.Members, m)
	obj.AfterExtra = slices.Clone(closing)
	return nil
}

// jsoncMemberIndent is the indentation of the line a member's name starts
// (from the whitespace and comments before it), and whether it starts a
// line at all.
func jsoncMemberIndent(before []byte) (string, bool) {
	i := jsoncLastBreak(before)
	if i < 0 {
		return "", false
	}
	line := before[i+1:]
	end := 0
	for end < len(line) && (line[end] == ' ' || line[end] == '\t') {
		end++
	}
	return string(line[:end]), true
}

// jsoncLastBreak is the offset of the last line break in e that is not
// inside a block comment, or -1.
func jsoncLastBreak(e []byte) int {
	last := -1
	for i := 0; i < len(e); i++ {
		switch {
		case e[i] == '\n':
			last = i
		case e[i] == '/' && i+1 < len(e) && e[i+1] == '*':
			end := bytes.Index(e[i+2:], []byte("*/"))
			if end < 0 {
				return last
			}
			i += 2 + end + 1
		case e[i] == '/' && i+1 < len(e) && e[i+1] == '/':
			end := bytes.IndexByte(e[i:], '\n')
			if end < 0 {
				return last
			}
			i += end - 1 // the loop sees the '\n' next
		}
	}
	return last
}

// jsoncValue is v as a hujson value: over several lines indented one level
// past indent, each ending with eol, when multiline, else compact.
func jsoncValue(v any, indent string, multiline bool, eol string) (hujson.ValueTrimmed, error) {
	unit := ""
	if multiline {
		unit = indent
		if unit == "" {
			unit = jsoncIndent
		}
	}
	raw, err := jsoncMarshal(v, indent, unit)
	if err != nil {
		return nil, err
	}
	parsed, err := hujson.Parse(withLineEnding(raw, eol))
	if err != nil {
		return nil, err
	}
	return parsed.Value, nil
}
