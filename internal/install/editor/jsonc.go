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

// jsoncWant is one top-level key a recipe owns, with its value as JSON.
type jsoncWant struct {
	key   string
	value any    // as encoding/json decodes it, for comparing
	text  string // compact JSON, for plan lines
	// block is a language block's keys ("[python]": {...}), owned one by
	// one; nil for any other key, whose value is owned whole.
	block []jsoncWant
}

// jsoncLanguage matches the key of a language block as VS Code does
// (OVERRIDE_PROPERTY_PATTERN in its configurationRegistry.ts): one or
// more [language] in a row, as "[python]" or "[javascript][typescript]".
var jsoncLanguage = regexp.MustCompile(`^(\[[^\]]+\])+$`)

// jsoncWants turns a recipe's settings into owned keys, sorted so that new
// keys are appended in the same order on every machine. A key is literal:
// "editor.fontSize" is one top-level key, as VS Code and Sublime read it.
// A language block given as an object owns the keys it names in the
// user's block, each value whole, and no others.
func jsoncWants(settings map[string]any) ([]jsoncWant, error) {
	return jsoncWantsIn(settings, true)
}

// jsoncWantsIn is jsoncWants; blocks says whether a language block's keys
// are owned one by one (at the top), or its value whole (in a block).
func jsoncWantsIn(settings map[string]any, blocks bool) ([]jsoncWant, error) {
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
		w := jsoncWant{key: key, value: decoded, text: string(raw)}
		if keys, ok := decoded.(map[string]any); ok && blocks && jsoncLanguage.MatchString(key) {
			if w.block, err = jsoncWantsIn(keys, false); err != nil {
				return nil, fmt.Errorf("settings %q: %w", key, err)
			}
		}
		wants = append(wants, w)
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

// jsoncDiffer lists the owned keys whose value in obj differs. Every
// occurrence of a key counts: editors disagree on which duplicate wins.
// In a language block found as an object, each owned key that differs is
// one, named "[python] editor.tabSize".
func jsoncDiffer(obj *hujson.Object, wants []jsoncWant) []JSONCKey {
	var out []JSONCKey
	for _, w := range wants {
		found, same := false, true
		have := ""
		for i := range obj.Members {
			m := &obj.Members[i]
			if jsoncName(m) != w.key {
				continue
			}
			found = true
			if block, ok := m.Value.Value.(*hujson.Object); ok && w.block != nil {
				for _, k := range jsoncDiffer(block, w.block) {
					k.Key = w.key + " " + k.Key
					if !slices.Contains(out, k) { // a block given twice
						out = append(out, k)
					}
				}
				continue
			}
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

// jsoncName is a member's name, unquoted.
func jsoncName(m *hujson.ObjectMember) string { return m.Name.Value.(hujson.Literal).String() }

// jsoncBlockMatch is whether have, a language block's value as compact
// JSON, holds each key of want, another, as want has it: the user's other
// keys in the block are theirs.
func jsoncBlockMatch(want, have string) bool {
	var w, h map[string]any
	if json.Unmarshal([]byte(want), &w) != nil || json.Unmarshal([]byte(have), &h) != nil || h == nil {
		return false
	}
	for k, v := range w {
		if hv, ok := h[k]; !ok || !reflect.DeepEqual(hv, v) {
			return false
		}
	}
	return true
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
	st := jsoncStyleOf(data, obj)
	for _, w := range wants {
		if err := jsoncSet(obj, w, st, ""); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, w.key, err)
		}
	}
	return doc.pack(), nil
}

// jsoncStyle is how the lines a merge writes look: they end with eol, and
// each level is indented by unit more than the one above.
type jsoncStyle struct {
	eol, unit string
}

// jsoncStyleOf is data's style: the line ending most of its lines have
// (lineEnding), and the indentation of its first top-level key that
// starts a line (of a comment in it, in an empty object), or jsoncIndent.
func jsoncStyleOf(data []byte, obj *hujson.Object) jsoncStyle {
	st := jsoncStyle{eol: lineEnding(data), unit: jsoncIndent}
	befores := make([][]byte, 0, len(obj.Members)+1)
	for i := range obj.Members {
		befores = append(befores, obj.Members[i].Name.BeforeExtra)
	}
	if i := jsoncLastBreak(obj.AfterExtra); len(obj.Members) == 0 && i >= 0 {
		befores = append(befores, obj.AfterExtra[:i]) // up to the brace's line
	}
	for _, before := range befores {
		if indent, ok := jsoncMemberIndent(before); ok && indent != "" {
			st.unit = indent
			break
		}
	}
	return st
}

// jsoncSet sets every occurrence of w.key in obj to w's value, or appends
// the key when obj has none; base is the indentation of the line obj
// starts on. In a language block that is an object, each of w's keys is
// set so instead, and the block's other keys stay.
func jsoncSet(obj *hujson.Object, w jsoncWant, st jsoncStyle, base string) error {
	found := false
	for i := range obj.Members {
		m := &obj.Members[i]
		if jsoncName(m) != w.key {
			continue
		}
		found = true
		indent, multiline := jsoncMemberIndent(m.Name.BeforeExtra)
		if block, ok := m.Value.Value.(*hujson.Object); ok && w.block != nil {
			if !multiline {
				indent = base + st.unit // as jsoncAppend would have it
			}
			for _, sub := range w.block {
				if err := jsoncSet(block, sub, st, indent); err != nil {
					return fmt.Errorf("%s: %w", sub.key, err)
				}
			}
			continue
		}
		if got, err := jsoncDecode(m.Value); err == nil && reflect.DeepEqual(got, w.value) {
			continue
		}
		v, err := jsoncValue(w.value, indent, st, multiline)
		if err != nil {
			return err
		}
		m.Value.Value = v
	}
	if found {
		return nil
	}
	return jsoncAppend(obj, w, st, base)
}

// jsoncAppend adds w as obj's last member; base is the indentation of the
// line obj starts on. What stood before the closing brace stays there: a
// comment on the last line goes after the new comma. The new line, and
// the closing brace's when it moves, end with st.eol.
func jsoncAppend(obj *hujson.Object, w jsoncWant, st jsoncStyle, base string) error {
	n := len(obj.Members)
	indent, lineStart := base+st.unit, true
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
				indent = base + st.unit
			}
		} else if !lineStart {
			indent = base + st.unit
		}
	case n == 0: // "{}", "{ }" or "{ /* c */ }" grows to several lines
		head, closing = bytes.TrimRight(tail, " \t"), []byte(st.eol+base)
	default: // one line, {"a": 1}, stays one line
		closing, indent, multiline = tail, "", false
	}
	sep := " "
	if multiline {
		sep = st.eol + indent
	}
	v, err := jsoncValue(w.value, indent, st, multiline)
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

// jsoncValue is v as a hujson value: over several lines, each a level
// (st.unit) past indent and ending with st.eol, when multiline, else
// compact.
func jsoncValue(v any, indent string, st jsoncStyle, multiline bool) (hujson.ValueTrimmed, error) {
	unit := ""
	if multiline {
		unit = st.unit
	}
	raw, err := jsoncMarshal(v, indent, unit)
	if err != nil {
		return nil, err
	}
	parsed, err := hujson.Parse(withLineEnding(raw, st.eol))
	if err != nil {
		return nil, err
	}
	return parsed.Value, nil
}
