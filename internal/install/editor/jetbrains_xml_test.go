package editor

import (
	"encoding/xml"
	"errors"
	"testing"
)

// jbParse knows where each element and attribute is: the spans are the
// bytes as written, entities, quotes and spacing included.
func TestJBParseSpans(t *testing.T) {
	t.Parallel()
	data := []byte("\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<application>\n" +
		"  <component name='A&amp;B' x = \"1\">\n" +
		"    <option name=\"T\" value=\"a&#10;b\" />\n" +
		"  </component>\n" +
		"  <component name=\"C\"><![CDATA[{}]]></component>\n" +
		"</application>")
	doc, err := jbParse(data)
	if err != nil {
		t.Fatal(err)
	}
	span := func(from, to int) string { return string(data[from:to]) }
	comp := jbChild(doc.root, "component", "A&B")
	if comp == nil {
		t.Fatal("component A&B not found")
	}
	if got := span(comp.start, comp.open); got != `<component name='A&amp;B' x = "1">` {
		t.Errorf("start tag = %q", got)
	}
	if got := span(comp.close, comp.end); got != "</component>" || comp.selfClosing() {
		t.Errorf("end tag = %q, self-closing %v", got, comp.selfClosing())
	}
	a := comp.attr("name")
	if a.value != "A&B" || span(a.valStart, a.valEnd) != "A&amp;B" || a.quote != '\'' {
		t.Errorf("name = %q written %q in %c", a.value, span(a.valStart, a.valEnd), a.quote)
	}
	if x := comp.attr("x"); span(x.valStart, x.end) != `1"` {
		t.Errorf("x ends at %q", span(x.valStart, x.end))
	}
	opt := jbChild(comp, "option", "T")
	v := opt.attr("value")
	if !opt.selfClosing() || v.value != "a\nb" || span(v.valStart, v.valEnd) != "a&#10;b" || span(opt.start+1, opt.nameEnd) != "option" {
		t.Errorf("option: self-closing %v, value %q written %q", opt.selfClosing(), v.value, span(v.valStart, v.valEnd))
	}
	if cdata := jbChild(doc.root, "component", "C"); cdata == nil || !cdata.text {
		t.Errorf("CDATA is not the component's text: %+v", cdata)
	}
	if jbChild(doc.root, "component", "D") != nil || jbChild(nil, "component", "A&B") != nil {
		t.Error("found what is not there")
	}
	if _, ok := jbChild(comp, "option", "U").attrValue("value"); ok {
		t.Error("an absent option has a value")
	}
	if doc, err := jbParse([]byte(" \r\n\t")); err != nil || doc.root != nil {
		t.Errorf("blank file: %v, %v; want no root", doc, err)
	}
}

// A file that is not an options file is refused at line:col, with the
// parser's own error inside when the file is not XML.
func TestJBParseErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
		syntax         bool
	}{
		{"mismatched end", "<application>\n  <component name=\"A\">\n  </application>\n", "3:3: element <component> closed by </application>", true},
		{"truncated", "<application>\n  <component name=\"DefaultFont\">\n", "2:3: <component> is not closed before the file ends", true},
		{"bad entity", "<application>\n  <option value=\"&nbsp;\" />\n</application>", "2:3: invalid character entity &nbsp;", true},
		{"not application", `<project version="4"/>`, "1:1: root element is <project>, want <application>", false},
		{"second root", "<application/>\n<application/>", "2:1: a second root element <application> after </application>", false},
		{"text outside", "<application/>\nx", "1:15: text outside the root element", false},
		{"attribute twice", "<application>\n <component name=\"A\" name=\"B\"/>\n</application>", "2:2: <component> gives attribute name twice", false},
		{"only a comment", "<!-- nothing -->", "1:1: no root element", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := jbParse([]byte(tc.in))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
			if _, ok := errors.AsType[*xml.SyntaxError](err); ok != tc.syntax {
				t.Errorf("wraps an *xml.SyntaxError: %v, want %v", ok, tc.syntax)
			}
			if err := jbAt("/o/x.xml", err); err.Error() != "/o/x.xml:"+tc.want {
				t.Errorf("jbAt = %q", err)
			}
		})
	}
}

// Values are escaped as IntelliJ's JDOMUtil does: &#10; for a newline,
// &gt; for >, and an apostrophe only inside apostrophes.
func TestJBEscape(t *testing.T) {
	t.Parallel()
	in := "a<b>\"c\"&'d'\n\t\r"
	if got, want := jbEscape(in, '"'), `a&lt;b&gt;&quot;c&quot;&amp;'d'&#10;&#9;&#13;`; got != want {
		t.Errorf("jbEscape in \" = %s, want %s", got, want)
	}
	if got, want := jbEscape(in, '\''), `a&lt;b&gt;&quot;c&quot;&amp;&apos;d&apos;&#10;&#9;&#13;`; got != want {
		t.Errorf("jbEscape in ' = %s, want %s", got, want)
	}
	for s, ok := range map[string]bool{"JetBrains Mono": true, "a\tb\nc": true, "\U0001F600": true, "a\x00b": false, "\x1b[0m": false, "\uFFFE": false, "\xff": false} {
		if err := jbCheckText(s); (err == nil) != ok {
			t.Errorf("jbCheckText(%q) = %v, want ok %v", s, err, ok)
		}
	}
}
