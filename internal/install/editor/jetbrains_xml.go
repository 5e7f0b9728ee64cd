package editor

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/beevik/etree"
)

// jbSetting is one option value a recipe owns: <component name=C><option
// name=O value=V/>.
type jbSetting struct {
	component, option, value string
}

// jbEdit is one option that differs from what the recipe wants. had is
// false when the option (or its component, or the file) is absent.
type jbEdit struct {
	component, option string
	old, new          string
	had               bool
}

// jbAbsentMeans is what IntelliJ takes an absent option to be. Its
// serializer leaves out values equal to the field's default, so an IDE
// that has run rewrites USE_LIGATURES=false as nothing; treating the
// absence as false keeps the plan from showing that change after every
// IDE session. Only defaults that no IntelliJ release changed belong here
// (FONT_SIZE and LINE_SPACING defaults did change, in 2020.1).
var jbAbsentMeans = map[[2]string]string{
	{"DefaultFont", "USE_LIGATURES"}: "false",
}

// jbMerge upserts settings into an IntelliJ options file (data; nil when
// the file is absent) and returns the new content and what it changed.
// Every other element, attribute, comment and whitespace is kept; etree
// writes empty elements as <x/> where IntelliJ writes <x />, which the IDE
// reads the same. Lines end as most of data's do. out is nil when nothing
// changes.
func jbMerge(data []byte, settings []jbSetting) (out []byte, edits []jbEdit, err error) {
	doc, err := jbParse(data)
	if err != nil {
		return nil, nil, err
	}
	root := doc.Root()
	for _, s := range settings {
		comp := jbChild(root, "component", s.component)
		var opt *etree.Element
		if comp != nil {
			opt = jbChild(comp, "option", s.option)
		}
		if opt != nil && len(opt.ChildElements()) > 0 {
			return nil, nil, fmt.Errorf("%s.%s holds a structured value, not value=\"…\": set it in the IDE", s.component, s.option)
		}
		var have *etree.Attr
		if opt != nil {
			have = opt.SelectAttr("value")
		}
		switch {
		case have != nil && have.Value == s.value:
			continue
		case have == nil && jbAbsentMeans[[2]string{s.component, s.option}] == s.value:
			continue
		}
		e := jbEdit{component: s.component, option: s.option, new: s.value, had: have != nil}
		if have != nil {
			e.old = have.Value
		}
		edits = append(edits, e)
		if comp == nil {
			comp = etree.NewElement("component")
			comp.CreateAttr("name", s.component)
			jbAppend(root, comp)
		}
		if opt == nil {
			opt = etree.NewElement("option")
			opt.CreateAttr("name", s.option)
			jbAppend(comp, opt)
		}
		opt.CreateAttr("value", s.value) // replaces the value in place
	}
	if len(edits) == 0 {
		return nil, nil, nil
	}
	// Canonical attribute escaping keeps newlines and tabs in values as
	// &#xA; and &#x9; (IntelliJ writes &#10;), which a parser would
	// otherwise turn into spaces.
	doc.WriteSettings.CanonicalAttrVal = true
	out, err = doc.WriteToBytes()
	if err != nil {
		return nil, nil, err
	}
	if data == nil || len(bytes.TrimSpace(data)) == 0 || bytes.HasSuffix(data, []byte("\n")) {
		out = append(bytes.TrimRight(out, "\n"), '\n')
	}
	// An XML parser reads every CRLF outside comments as LF, so etree
	// writes LF: a CRLF file (IntelliJ on Windows) gets its CRLF back.
	// Only a file of mixed endings comes out with one kind, its majority.
	return withLineEnding(out, lineEnding(data)), edits, nil
}

// jbParse reads an options file whose root is <application>; nil or blank
// data is a new <application/>.
func jbParse(data []byte) (*etree.Document, error) {
	doc := etree.NewDocument()
	doc.ReadSettings.PreserveCData = true // other.xml keeps JSON in CDATA
	if len(bytes.TrimSpace(data)) == 0 {
		doc.SetRoot(etree.NewElement("application"))
		return doc, nil
	}
	if err := doc.ReadFromBytes(data); err != nil {
		return nil, jbSyntaxError(data, err)
	}
	root := doc.Root()
	if root == nil {
		return nil, errors.New("no root element")
	}
	if root.Tag != "application" {
		return nil, fmt.Errorf("root element is <%s>, want <application>", root.Tag)
	}
	return doc, nil
}

// jbSyntaxError says where data stops being XML. etree's own error has no
// line for a mismatched end tag, so encoding/xml, which checks nesting
// in Token, reads the data again to find it: the result is an
// *xml.SyntaxError ("XML syntax error on line 4: …") when it can be.
func jbSyntaxError(data []byte, etreeErr error) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		_, err := d.Token()
		if err == nil {
			continue
		}
		if se, ok := errors.AsType[*xml.SyntaxError](err); ok {
			return se
		}
		return etreeErr
	}
}

// jbChild is parent's first <tag name=name> child, or nil.
func jbChild(parent *etree.Element, tag, name string) *etree.Element {
	for _, c := range parent.ChildElements() {
		if c.Tag == tag && c.SelectAttrValue("name", "") == name {
			return c
		}
	}
	return nil
}

// jbAppend adds child after parent's last element, indented as its
// siblings are, or one step (two spaces, as IntelliJ writes) deeper than
// parent when it has none.
func jbAppend(parent, child *etree.Element) {
	kids := parent.ChildElements()
	if len(kids) > 0 {
		last := kids[len(kids)-1]
		at := last.Index() + 1
		if indent := jbIndentBefore(last); indent != "" {
			parent.InsertChildAt(at, etree.NewText(indent))
			at++
		}
		parent.InsertChildAt(at, child)
		return
	}
	outer := jbIndentBefore(parent)
	if gp := parent.Parent(); gp != nil && gp.Parent() == nil {
		outer = "\n" // the root: its children go on lines of their own
	}
	if outer == "" { // a file on one line stays so
		parent.AddChild(child)
		return
	}
	// Whatever text parent held (only whitespace, in these files) goes.
	for _, t := range slices.Clone(parent.Child) {
		if cd, ok := t.(*etree.CharData); ok && jbBlank(cd) {
			parent.RemoveChild(cd)
		}
	}
	parent.AddChild(etree.NewText(outer + "  "))
	parent.AddChild(child)
	parent.AddChild(etree.NewText(outer))
}

// jbIndentBefore is the line break and indent written before e: "\n    ".
func jbIndentBefore(e *etree.Element) string {
	p := e.Parent()
	if p == nil || e.Index() == 0 {
		return ""
	}
	cd, ok := p.Child[e.Index()-1].(*etree.CharData)
	if !ok || !jbBlank(cd) {
		return ""
	}
	s := cd.Data
	if i := strings.LastIndex(s, "\n"); i >= 0 {
		return s[i:]
	}
	return ""
}

// jbBlank says whether text is only whitespace. CharData.IsWhitespace
// knows that only of text etree read, not of text it was given.
func jbBlank(cd *etree.CharData) bool {
	return !cd.IsCData() && strings.TrimSpace(cd.Data) == ""
}
