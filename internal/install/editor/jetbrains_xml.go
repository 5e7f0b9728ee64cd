package editor

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// An IntelliJ options file is read with encoding/xml, which checks that
// it is well formed, and the decoder's offsets say where each element and
// attribute is in the bytes. A merge then splices new text into those
// places and copies every other byte as it was: the user's spacing,
// entities (&#10;, &gt;), comments, CDATA, declaration and final newline
// stay what they were, so a diff of the file shows only envup's lines.

// jbDoc is an options file as read: its bytes and where its elements are.
// root is nil when the file is empty or blank.
type jbDoc struct {
	data []byte
	root *jbElem
}

// jbElem is one element and where it is in the file's bytes.
type jbElem struct {
	name    xml.Name
	attrs   []jbAttr
	kids    []*jbElem
	text    bool // holds text other than whitespace (CDATA included)
	start   int  // data[start:open] is the start tag: `<option name="A" />`
	nameEnd int  // data[start+1:nameEnd] is the tag name as written
	open    int
	close   int // data[close:end] is the end tag; empty when the start tag closes itself
	end     int
}

// jbAttr is one attribute of a start tag. data[valStart:valEnd] is its
// value as written, between the quotes; end is just past the closing
// quote.
type jbAttr struct {
	name             xml.Name
	value            string // decoded: "a\nb" for a&#10;b
	valStart, valEnd int
	end              int
	quote            byte
}

// jbError is a problem at a place in an options file, which Error gives as
// line:col (from 1, col in bytes). Err is the parser's own error, when the
// problem is that the file is not XML.
type jbError struct {
	Line, Col int
	Msg       string
	Err       error
}

func (e *jbError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }
func (e *jbError) Unwrap() error { return e.Err }

// jbErrorAt is a jbError at byte offset off of data.
func jbErrorAt(data []byte, off int, err error, format string, args ...any) *jbError {
	line, col := seenLineCol(data, int64(off)+1)
	return &jbError{Line: line, Col: col, Msg: fmt.Sprintf(format, args...), Err: err}
}

// jbAt names the file an error is in: path:line:col: what, when the error
// knows where, else path: what.
func jbAt(path string, err error) error {
	if _, ok := errors.AsType[*jbError](err); ok {
		return fmt.Errorf("%s:%w", path, err)
	}
	return fmt.Errorf("%s: %w", path, err)
}

// selfClosing says the element is written <x … />.
func (e *jbElem) selfClosing() bool { return e.close == e.end }

// is says the element is <tag>. Namespaces are not looked at: IntelliJ
// writes none, and a plain encoding/xml reading ignores them too.
func (e *jbElem) is(tag string) bool { return e != nil && e.name.Local == tag }

// attr is the element's first attribute called name, or nil (also when
// e is nil).
func (e *jbElem) attr(name string) *jbAttr {
	if e == nil {
		return nil
	}
	for i, a := range e.attrs {
		if a.name.Local == name && a.name.Space != "xmlns" {
			return &e.attrs[i]
		}
	}
	return nil
}

// attrValue is the value of the attribute called name, and whether there
// is one.
func (e *jbElem) attrValue(name string) (string, bool) {
	if a := e.attr(name); a != nil {
		return a.value, true
	}
	return "", false
}

// jbChild is parent's first <tag name=name> child, or nil (also when
// parent is nil: a blank file has no root).
func jbChild(parent *jbElem, tag, name string) *jbElem {
	if parent == nil {
		return nil
	}
	for _, c := range parent.kids {
		if v, ok := c.attrValue("name"); ok && v == name && c.is(tag) {
			return c
		}
	}
	return nil
}

// jbParse reads an options file whose root is <application>. Blank data
// is a document with no root, which a merge writes anew.
func jbParse(data []byte) (*jbDoc, error) {
	doc := &jbDoc{data: data}
	if jbBlank(data) {
		return doc, nil
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	// The bytes are read as they are, whatever the declaration says, so
	// the offsets stay offsets into data. IntelliJ writes UTF-8.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var open []*jbElem
	for {
		at := int(d.InputOffset())
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, jbSyntaxError(data, at, open, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e := &jbElem{name: t.Name, start: at, open: int(d.InputOffset())}
			if err := jbLocateAttrs(data, e, t.Attr); err != nil {
				return nil, err
			}
			switch {
			case len(open) > 0:
				parent := open[len(open)-1]
				parent.kids = append(parent.kids, e)
			case doc.root != nil:
				return nil, jbErrorAt(data, at, nil, "a second root element <%s> after </%s>", t.Name.Local, doc.root.name.Local)
			default:
				doc.root = e
			}
			open = append(open, e)
		case xml.EndElement:
			e := open[len(open)-1]
			e.close, e.end = at, int(d.InputOffset())
			open = open[:len(open)-1]
		case xml.CharData:
			switch {
			case len(open) > 0:
				if !jbBlank(t) || bytes.HasPrefix(data[at:], []byte("<![CDATA[")) {
					open[len(open)-1].text = true
				}
			case at == 0 && jbBlank(bytes.TrimPrefix(t, []byte("\uFEFF"))): // a byte order mark
			case !jbBlank(t):
				return nil, jbErrorAt(data, at, nil, "text outside the root element")
			}
		}
	}
	root := doc.root
	if root == nil {
		return nil, jbErrorAt(data, 0, nil, "no root element")
	}
	if !root.is("application") {
		return nil, jbErrorAt(data, root.start, nil, "root element is <%s>, want <application>", root.name.Local)
	}
	return doc, nil
}

// jbSyntaxError says where data stops being XML: at the start of the
// token the parser could not read (a mismatched end tag's "<", say), or,
// when the file ends early, at the element left open.
func jbSyntaxError(data []byte, at int, open []*jbElem, err error) error {
	se, ok := errors.AsType[*xml.SyntaxError](err)
	if !ok {
		return err
	}
	if se.Msg == "unexpected EOF" && len(open) > 0 {
		e := open[len(open)-1]
		return jbErrorAt(data, e.start, err, "<%s> is not closed before the file ends", e.name.Local)
	}
	return jbErrorAt(data, at, err, "%s", se.Msg)
}

// jbLocateAttrs finds in e's start tag where each attribute the decoder
// read is written. The decoder has checked the tag, so this reads it
// without checking again: name, optional space, "=", quoted value.
func jbLocateAttrs(data []byte, e *jbElem, attrs []xml.Attr) error {
	tag := data[:e.open]
	i := e.start + 1
	for i < len(tag) && !jbSpace(tag[i]) && tag[i] != '/' && tag[i] != '>' {
		i++
	}
	e.nameEnd = i
	e.attrs = make([]jbAttr, len(attrs))
	seen := make(map[xml.Name]bool, len(attrs))
	for k, a := range attrs {
		// encoding/xml lets an attribute be given twice; XML does not,
		// and neither does the IDE's parser.
		if seen[a.Name] {
			return jbErrorAt(data, e.start, nil, "<%s> gives attribute %s twice", e.name.Local, a.Name.Local)
		}
		seen[a.Name] = true
		i = jbSkipSpace(tag, i)
		eq := bytes.IndexByte(tag[i:], '=')
		if eq < 0 {
			return jbErrorAt(data, i, nil, "cannot find attribute %s in <%s>", a.Name.Local, e.name.Local)
		}
		i = jbSkipSpace(tag, i+eq+1)
		if i >= len(tag) || (tag[i] != '"' && tag[i] != '\'') {
			return jbErrorAt(data, i, nil, "cannot find the value of attribute %s in <%s>", a.Name.Local, e.name.Local)
		}
		q := tag[i]
		n := bytes.IndexByte(tag[i+1:], q)
		if n < 0 {
			return jbErrorAt(data, i, nil, "cannot find the end of attribute %s in <%s>", a.Name.Local, e.name.Local)
		}
		e.attrs[k] = jbAttr{name: a.Name, value: a.Value, valStart: i + 1, valEnd: i + 1 + n, end: i + 2 + n, quote: q}
		i += n + 2
	}
	return nil
}

// jbBlank says data is only XML white space (space, tab, CR, LF).
func jbBlank(data []byte) bool { return len(bytes.Trim(data, " \t\r\n")) == 0 }

func jbSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// jbSkipSpace is the first offset from i of data that is not XML space.
func jbSkipSpace(data []byte, i int) int {
	for i < len(data) && jbSpace(data[i]) {
		i++
	}
	return i
}

// jbEscape writes s as an attribute value between quote characters, as
// IntelliJ's JDOMUtil escapes one: &, <, >, " and line breaks and tabs as
// references (&#10;, which a parser would otherwise read as a space).
// An apostrophe is escaped only inside apostrophes.
func jbEscape(s string, quote byte) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			if quote == '\'' {
				b.WriteString("&apos;")
			} else {
				b.WriteRune(r)
			}
		case '\n':
			b.WriteString("&#10;")
		case '\r':
			b.WriteString("&#13;")
		case '\t':
			b.WriteString("&#9;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// jbCheckText refuses a name or value an XML file cannot hold: text that
// is not UTF-8, or a character XML 1.0 has no place for (U+0000, most
// other controls, U+FFFE), even as a reference.
func jbCheckText(s string) error {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return fmt.Errorf("%q is not UTF-8", s)
			}
		}
		if !jbXMLChar(r) {
			return fmt.Errorf("%q holds %U, which an XML file cannot hold", s, r)
		}
	}
	return nil
}

// jbXMLChar is XML 1.0's Char production.
func jbXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
