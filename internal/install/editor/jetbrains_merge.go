package editor

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// jbSetting is one option value a recipe owns: <component name=C><option
// name=O value=V/>.
type jbSetting struct {
	component, option, value string
}

// jbEdit is one option that differs from what the recipe wants. had is
// false when the option (or its component, or the file) is absent;
// dropped is an option taken out, with why.
type jbEdit struct {
	component, option string
	old, new          string
	had               bool
	dropped           bool
	why               string
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

// jbSubFamilies are the weights of the editor font (AppEditorFontOptions'
// FONT_REGULAR_SUB_FAMILY and FONT_BOLD_SUB_FAMILY, fields since 2021): names
// of faces of FONT_FAMILY, such as Retina of Fira Code. When the family
// changes they belong to a font no longer in use, so they go; with
// neither set, IntelliJ takes the weights from the family's name
// (FontFamilyService.migrateFontSetting), which is what a family set
// anew wants.
var jbSubFamilies = []string{"FONT_REGULAR_SUB_FAMILY", "FONT_BOLD_SUB_FAMILY"}

// jbMerge sets settings in an IntelliJ options file (data; nil when the
// file is absent) and returns the new content and what it changed; out
// is nil when nothing changes. Only the places envup sets are written:
// a changed value in place, a new option or component on lines of its
// own with the file's indent and line ending, and the sub-families of a
// font the family replaces taken out. Every other byte is kept. A blank
// file is written as IntelliJ writes one: two-space indent, " />", LF,
// no final newline.
func jbMerge(data []byte, settings []jbSetting) (out []byte, edits []jbEdit, err error) {
	doc, err := jbParse(data)
	if err != nil {
		return nil, nil, err
	}
	m := &jbMerger{data: data, root: doc.root, eol: lineEnding(data), added: map[*jbElem][]jbSetting{}}
	m.step = m.findStep()
	if err := m.plan(settings); err != nil {
		return nil, nil, err
	}
	if len(m.edits) == 0 {
		return nil, nil, nil
	}
	if m.root == nil {
		return m.write(), m.edits, nil
	}
	m.insert()
	out, err = m.apply()
	if err != nil {
		return nil, nil, err
	}
	return out, m.edits, nil
}

// jbMerger works out one merge: the edits, as splices of data.
type jbMerger struct {
	data    []byte
	root    *jbElem
	eol     string
	step    string // one level of indent
	edits   []jbEdit
	splices []jbSplice
	added   map[*jbElem][]jbSetting // options new to a component already there
	grown   []*jbElem               // the keys of added, in the order first met
	created []jbNewComponent        // components new to the file
}

// jbSplice replaces data[from:to] with text; from == to inserts.
type jbSplice struct {
	from, to int
	text     string
}

// jbNewComponent is a component the file lacks, with the options the
// recipe sets in it.
type jbNewComponent struct {
	name    string
	options []jbSetting
}

// plan compares each setting with the file and records the edits.
func (m *jbMerger) plan(settings []jbSetting) error {
	set := map[[2]string]string{}
	for _, s := range settings {
		for _, t := range []string{s.component, s.option, s.value} {
			if err := jbCheckText(t); err != nil {
				return fmt.Errorf("%s.%s: %w", s.component, s.option, err)
			}
		}
		k := [2]string{s.component, s.option}
		if v, ok := set[k]; ok {
			if v != s.value {
				return fmt.Errorf("%s.%s is set twice, to %q and %q", s.component, s.option, v, s.value)
			}
			continue
		}
		set[k] = s.value
		if err := m.set(s); err != nil {
			return err
		}
	}
	i := slices.IndexFunc(m.edits, func(e jbEdit) bool { return e.component == jbFontComponent && e.option == "FONT_FAMILY" })
	if i >= 0 {
		m.dropSubFamilies(m.edits[i].old, set)
	}
	return nil
}

// set records the edit one setting needs, if any.
func (m *jbMerger) set(s jbSetting) error {
	comp := jbChild(m.root, "component", s.component)
	var opts []*jbElem
	if comp != nil {
		for _, k := range comp.kids {
			if v, ok := k.attrValue("name"); ok && v == s.option && k.is("option") {
				opts = append(opts, k)
			}
		}
	}
	absent := jbAbsentMeans[[2]string{s.component, s.option}]
	if len(opts) == 0 {
		if absent == s.value {
			return nil
		}
		m.edits = append(m.edits, jbEdit{component: s.component, option: s.option, new: s.value})
		m.add(comp, s)
		return nil
	}
	// IntelliJ reads the last of two same-named options, a reader of the
	// file may take the first: both get the value.
	var e *jbEdit
	for _, o := range opts {
		if len(o.kids) > 0 || o.text {
			return jbErrorAt(m.data, o.start, nil, "%s.%s holds a structured value, not value=\"…\": set it in the IDE", s.component, s.option)
		}
		a := o.attr("value")
		if (a != nil && a.value == s.value) || (a == nil && absent == s.value) {
			continue
		}
		if e == nil {
			e = &jbEdit{component: s.component, option: s.option, new: s.value, had: a != nil}
			if a != nil {
				e.old = a.value
			}
		}
		if a != nil {
			m.splice(a.valStart, a.valEnd, jbEscape(s.value, a.quote))
			continue
		}
		// <option name="LINE_SEPARATOR" />: the value goes after the last attribute.
		last := o.attrs[len(o.attrs)-1]
		m.splice(last.end, last.end, ` value="`+jbEscape(s.value, '"')+`"`)
	}
	if e != nil {
		m.edits = append(m.edits, *e)
	}
	return nil
}

// add records an option new to comp, or to a component the file lacks
// when comp is nil.
func (m *jbMerger) add(comp *jbElem, s jbSetting) {
	if comp != nil {
		if len(m.added[comp]) == 0 {
			m.grown = append(m.grown, comp)
		}
		m.added[comp] = append(m.added[comp], s)
		return
	}
	i := slices.IndexFunc(m.created, func(c jbNewComponent) bool { return c.name == s.component })
	if i < 0 {
		m.created = append(m.created, jbNewComponent{name: s.component})
		i = len(m.created) - 1
	}
	m.created[i].options = append(m.created[i].options, s)
}

// dropSubFamilies takes the weights of the old font family out of
// DefaultFont, unless the recipe sets them too.
func (m *jbMerger) dropSubFamilies(oldFamily string, set map[[2]string]string) {
	comp := jbChild(m.root, "component", jbFontComponent)
	if comp == nil {
		return
	}
	why := "a weight of " + oldFamily
	if oldFamily == "" {
		why = "a weight of the font the IDE had by default"
	}
	for _, sub := range jbSubFamilies {
		if _, ok := set[[2]string{jbFontComponent, sub}]; ok {
			continue
		}
		for _, o := range comp.kids {
			if v, ok := o.attrValue("name"); !ok || v != sub || !o.is("option") {
				continue
			}
			old, _ := o.attrValue("value")
			m.edits = append(m.edits, jbEdit{component: jbFontComponent, option: sub, old: old, had: true, dropped: true, why: why})
			// The option and the line break and indent before it: its line.
			from := o.start
			for from > 0 && jbSpace(m.data[from-1]) {
				from--
			}
			m.splice(from, o.end, "")
		}
	}
}

func (m *jbMerger) splice(from, to int, text string) {
	m.splices = append(m.splices, jbSplice{from, to, text})
}

// insert writes the new options into their components and the new
// components into the root. A new component goes where IntelliJ, which
// writes components sorted by name (StateMap.fromMap sorts them), would
// put it: before the first component whose name sorts after its own.
func (m *jbMerger) insert() {
	for _, comp := range m.grown {
		var kids []jbChildText
		for _, s := range m.added[comp] {
			kids = append(kids, jbOptionText(s))
		}
		m.insertInto(comp, kids)
	}
	slices.SortFunc(m.created, func(a, b jbNewComponent) int { return strings.Compare(a.name, b.name) })
	var last []jbChildText
	for _, c := range m.created {
		i := slices.IndexFunc(m.root.kids, func(k *jbElem) bool {
			name, ok := k.attrValue("name")
			return ok && k.is("component") && name > c.name
		})
		if i < 0 {
			last = append(last, m.componentText(c))
			continue
		}
		at := m.root.open // before the first child
		if i > 0 {
			at = m.root.kids[i-1].end // after the one before
		}
		ml, indent := m.multiline(m.root), m.childIndent(m.root)
		text := m.componentText(c)(indent, ml)
		if ml {
			text = m.eol + indent + text
		}
		m.splice(at, at, text)
	}
	if len(last) > 0 {
		m.insertInto(m.root, last)
	}
}

// jbChildText writes a new element at an indent; on one line (ml false),
// as one-line files have them.
type jbChildText func(indent string, ml bool) string

func jbOptionText(s jbSetting) jbChildText {
	return func(string, bool) string {
		return `<option name="` + jbEscape(s.option, '"') + `" value="` + jbEscape(s.value, '"') + `" />`
	}
}

func (m *jbMerger) componentText(c jbNewComponent) jbChildText {
	return func(indent string, ml bool) string {
		var b strings.Builder
		b.WriteString(`<component name="` + jbEscape(c.name, '"') + `">`)
		for _, s := range c.options {
			if ml {
				b.WriteString(m.eol + indent + m.step)
			}
			b.WriteString(jbOptionText(s)(indent, ml))
		}
		if ml {
			b.WriteString(m.eol + indent)
		}
		b.WriteString("</component>")
		return b.String()
	}
}

// insertInto adds kids after the last thing in e, each on a line of its
// own at e's children's indent when e spans lines, else on e's line. A
// self-closing <x … /> opens to hold them.
func (m *jbMerger) insertInto(e *jbElem, kids []jbChildText) {
	ml, indent := m.multiline(e), m.childIndent(e)
	var b strings.Builder
	for _, k := range kids {
		if ml {
			b.WriteString(m.eol + indent)
		}
		b.WriteString(k(indent, ml))
	}
	closing := ""
	if ml {
		closing = m.eol + m.indent(e)
	}
	if e.selfClosing() {
		from := e.open - len("/>")
		for from > e.nameEnd && jbSpace(m.data[from-1]) {
			from--
		}
		m.splice(from, e.open, ">"+b.String()+closing+"</"+string(m.data[e.start+1:e.nameEnd])+">")
		return
	}
	at := e.close
	for at > e.open && jbSpace(m.data[at-1]) {
		at--
	}
	if ml && bytes.IndexByte(m.data[at:e.close], '\n') < 0 {
		// The end tag was on the line of the last thing in e: it goes on
		// a line of its own, below the new ones.
		m.splice(at, e.close, b.String()+closing)
		return
	}
	m.splice(at, at, b.String())
}

// multiline says e's children go on lines of their own: e spans lines,
// or is empty and starts a line (the root counts as starting one).
func (m *jbMerger) multiline(e *jbElem) bool {
	if e.selfClosing() || len(e.kids) == 0 {
		_, ok := m.lineIndent(e)
		return ok
	}
	return bytes.IndexByte(m.data[e.open:e.close], '\n') >= 0
}

// indent is the white space before e on its line, or "" when e does not
// start its line.
func (m *jbMerger) indent(e *jbElem) string {
	s, _ := m.lineIndent(e)
	return s
}

// lineIndent is the white space before e on its line, and whether there
// is only white space there. The root starts a line, at no indent,
// whatever is before it (a declaration, a byte order mark).
func (m *jbMerger) lineIndent(e *jbElem) (string, bool) {
	if e == m.root {
		return "", true
	}
	from := e.start
	for from > 0 && (m.data[from-1] == ' ' || m.data[from-1] == '\t') {
		from--
	}
	if from > 0 && m.data[from-1] != '\n' {
		return "", false
	}
	return string(m.data[from:e.start]), true
}

// childIndent is the indent of e's last child that starts a line, else
// one step deeper than e.
func (m *jbMerger) childIndent(e *jbElem) string {
	for _, k := range slices.Backward(e.kids) {
		if s, ok := m.lineIndent(k); ok {
			return s
		}
	}
	return m.indent(e) + m.step
}

// findStep is one level of indent: that of the root's first child on a
// line of its own, or IntelliJ's two spaces.
func (m *jbMerger) findStep() string {
	if m.root != nil {
		for _, k := range m.root.kids {
			if s, ok := m.lineIndent(k); ok && s != "" {
				return s
			}
		}
	}
	return "  "
}

// apply splices data.
func (m *jbMerger) apply() ([]byte, error) {
	slices.SortStableFunc(m.splices, func(a, b jbSplice) int { return cmp.Compare(a.from, b.from) })
	var b bytes.Buffer
	last := 0
	for _, s := range m.splices {
		if s.from < last {
			return nil, errors.New("two edits overlap (a bug in envup): nothing written")
		}
		b.Write(m.data[last:s.from])
		b.WriteString(s.text)
		last = s.to
	}
	b.Write(m.data[last:])
	return b.Bytes(), nil
}

// write is a whole new file, for a blank or absent one.
func (m *jbMerger) write() []byte {
	slices.SortFunc(m.created, func(a, b jbNewComponent) int { return strings.Compare(a.name, b.name) })
	var b strings.Builder
	b.WriteString("<application>")
	for _, c := range m.created {
		b.WriteString(m.eol + m.step + m.componentText(c)(m.step, true))
	}
	b.WriteString(m.eol + "</application>")
	return []byte(b.String())
}
