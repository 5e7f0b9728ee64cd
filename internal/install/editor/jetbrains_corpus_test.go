package editor

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aymanbagabas/go-udiff"

	"github.com/envup/envup/internal/recipe"
)

// The JetBrains corpus (../shared/corpora/jetbrains-options: README.md,
// SOURCES.md) is 73 options files copied byte for byte from public
// IDE-settings repositories: editor-font.xml, editor.xml, other.xml,
// ui.lnf.xml, laf.xml, colors.scheme.xml and keymap.xml of PyCharm, IDEA,
// WebStorm and Rider. cases.tsv names, for each, the file name it is
// installed as and one component.option=value a recipe sets in it.

// jbCorpusCase is one row of cases.tsv.
type jbCorpusCase struct {
	file                    string // under files/
	name                    string // under options/: "editor.xml"
	component, option, want string
}

// jbCorpusCases reads cases.tsv; the test is skipped when the corpora
// are not beside the project.
func jbCorpusCases(t testing.TB) (dir string, cases []jbCorpusCase) {
	t.Helper()
	dir = corpusFiles(t, "jetbrains-options")
	rows := corpusCases(t, "jetbrains-options")
	if want := []string{"file", "name", "component", "option", "value", "repo", "commit", "path"}; !slices.Equal(rows[0], want) {
		t.Fatalf("cases.tsv header is %q, want %q", rows[0], want)
	}
	for _, r := range rows[1:] {
		cases = append(cases, jbCorpusCase{r[0], r[1], r[2], r[3], r[4]})
	}
	return dir, cases
}

// jbLabFontFile is editor-font.xml as envup writes it new for jbLabFont,
// and as IntelliJ writes one: options in PersistentFontPreferences'
// field order, " />", LF, no final newline (as 65 of the corpus's 73
// files end).
const jbLabFontFile = `<application>
  <component name="DefaultFont">
    <option name="FONT_SIZE" value="14" />
    <option name="FONT_SIZE_2D" value="14.0" />
    <option name="FONT_FAMILY" value="JetBrains Mono" />
    <option name="LINE_SPACING" value="1.2" />
    <option name="USE_LIGATURES" value="true" />
  </component>
</application>`

// jbLabFontWant is what jbLabFont sets, as component.option → value.
func jbLabFontWant() map[[2]string]string {
	return map[[2]string]string{
		{"DefaultFont", "FONT_SIZE"}:     "14",
		{"DefaultFont", "FONT_SIZE_2D"}:  "14.0",
		{"DefaultFont", "FONT_FAMILY"}:   "JetBrains Mono",
		{"DefaultFont", "LINE_SPACING"}:  "1.2",
		{"DefaultFont", "USE_LIGATURES"}: "true",
	}
}

// Every file of the corpus, installed in a PyCharm 2024.3 config dir and
// merged with the lab's font and its case's option by the resource
// itself: the values read back, a line diff against the original holds
// only envup's lines, the backup is the original, a second apply changes
// nothing. The font goes where the resource puts it: into the file when
// it is editor-font.xml or an editor.xml holding DefaultFont, else into a
// new editor-font.xml written as the IDE writes it.
func TestJetBrainsCorpus(t *testing.T) {
	t.Parallel()
	dir, cases := jbCorpusCases(t)
	if len(cases) != 73 {
		t.Errorf("%d cases, SOURCES.md says 73", len(cases))
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			orig, err := os.ReadFile(filepath.Join(dir, c.file))
			if err != nil {
				t.Fatal(err)
			}
			p := jbHost("linux", t.TempDir())
			opts := filepath.Join(p.Dirs.Config, "JetBrains", "PyCharm2024.3", "options")
			path := filepath.Join(opts, c.name)
			jbPut(t, path, string(orig))
			r := jbNew(t, "pycharm", &recipe.Editor{
				Font:    jbLabFont(),
				Options: map[string]map[string]map[string]string{c.name: {c.component: {c.option: c.want}}},
			}, p)
			diff := jbConverge(t, r)

			want := map[[2]string]string{{c.component, c.option}: c.want}
			fontFile := filepath.Join(opts, "editor-font.xml")
			if c.name == "editor-font.xml" || c.name == "editor.xml" && bytes.Contains(orig, []byte(`<component name="DefaultFont"`)) {
				fontFile = path
				maps.Copy(want, jbLabFontWant())
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := jbCheckMerge(orig, got, want); err != nil {
				t.Errorf("%v\ndiff of the plan:\n  %s", err, strings.Join(diff, "\n  "))
			}
			if !bytes.Equal(got, orig) {
				if backup, err := os.ReadFile(path + ".envup-backup"); err != nil || !bytes.Equal(backup, orig) {
					t.Errorf("backup is not the original (%v)", err)
				}
			}
			if fontFile != path {
				if got, err := os.ReadFile(fontFile); err != nil || string(got) != jbLabFontFile {
					t.Errorf("new editor-font.xml (%v):\n%s\nwant\n%s", err, got, jbLabFontFile)
				}
			}
		})
	}
}

// jbCheckMerge checks out, the merge of in with want: every value reads
// back, the weights of a font family replaced are gone, a line diff
// holds only envup's lines (a value changed in place, an option or
// component added with the file's indent), everything else is in the
// same order byte for byte, and a second merge changes nothing.
func jbCheckMerge(in, out []byte, want map[[2]string]string) error {
	if err := jbCheckValues(in, out, want); err != nil {
		return err
	}
	if err := jbCheckLines(in, out, want); err != nil {
		return err
	}
	if err := jbCheckForeign(in, out, want); err != nil {
		return err
	}
	var settings []jbSetting
	for _, k := range slices.SortedFunc(maps.Keys(want), jbKeyCompare) {
		settings = append(settings, jbSetting{k[0], k[1], want[k]})
	}
	if again, edits, err := jbMerge(out, settings); err != nil || again != nil || len(edits) > 0 {
		return fmt.Errorf("a second merge: %v, %v, %q; want no change", err, edits, again)
	}
	return nil
}

func jbKeyCompare(a, b [2]string) int { return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1]) }

// jbTestRead is the option values of an options file as a plain
// encoding/xml reading of it sees them, independent of envup's reader:
// component.option → the value of each such <option> in the first
// component of that name ("\x00" for one without a value attribute).
func jbTestRead(data []byte) (map[[2]string][]string, error) {
	var doc struct {
		XMLName    xml.Name `xml:"application"`
		Components []struct {
			Name    string `xml:"name,attr"`
			Options []struct {
				Name  string  `xml:"name,attr"`
				Value *string `xml:"value,attr"`
			} `xml:"option"`
		} `xml:"component"`
	}
	got := map[[2]string][]string{}
	if len(bytes.Trim(data, " \t\r\n")) == 0 {
		return got, nil
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	if err := d.Decode(&doc); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, c := range doc.Components {
		if seen[c.Name] {
			continue
		}
		seen[c.Name] = true
		for _, o := range c.Options {
			v := "\x00"
			if o.Value != nil {
				v = *o.Value
			}
			k := [2]string{c.Name, o.Name}
			got[k] = append(got[k], v)
		}
	}
	return got, nil
}

// jbCheckValues checks every wanted value reads back from out, and that
// out holds no weight of a font family it replaced.
func jbCheckValues(in, out []byte, want map[[2]string]string) error {
	got, err := jbTestRead(out)
	if err != nil {
		return fmt.Errorf("the merged file does not read: %w", err)
	}
	for k, v := range want {
		vals := got[k]
		if len(vals) == 0 && jbAbsentMeans[k] == v {
			continue
		}
		if len(vals) == 0 {
			return fmt.Errorf("%s.%s is missing, want %q", k[0], k[1], v)
		}
		for _, g := range vals {
			if g != v && !(g == "\x00" && jbAbsentMeans[k] == v) {
				return fmt.Errorf("%s.%s = %q, want %q", k[0], k[1], g, v)
			}
		}
	}
	family, ok := want[[2]string{jbFontComponent, "FONT_FAMILY"}]
	if !ok {
		return nil
	}
	before, err := jbTestRead(in)
	if err != nil {
		return err
	}
	if old := before[[2]string{jbFontComponent, "FONT_FAMILY"}]; len(old) > 0 && old[0] == family {
		return nil // the family stays, and so do its weights
	}
	for _, sub := range jbSubFamilies {
		k := [2]string{jbFontComponent, sub}
		if _, owned := want[k]; !owned && len(got[k]) > 0 {
			return fmt.Errorf("%s = %q is a weight of the font replaced, and stayed", sub, got[k])
		}
	}
	return nil
}

var (
	jbOptionLine    = regexp.MustCompile(`^([ \t]*)<option name="([^"]*)"(?: value="([^"]*)")? />$`)
	jbComponentLine = regexp.MustCompile(`^([ \t]*)<component name="([^"]*)"[^>]*?(/?)>$`)
	jbEndLine       = regexp.MustCompile(`^[ \t]*</component>$`)
	jbValueAttr     = regexp.MustCompile(` value="[^"]*"`)
	jbSelfClose     = regexp.MustCompile(`\s*/>$`)
)

// jbCheckLines checks a line diff of in and out holds only envup's lines:
// an owned option's line with its value changed and nothing else, a
// sub-family's line taken out, and new option, component and
// </component> lines, each option indented as the line above it or one
// step below the component.
func jbCheckLines(in, out []byte, want map[[2]string]string) error {
	values := map[string]string{} // option → value, components aside
	comps := map[string]bool{}
	for k, v := range want {
		values[k[1]], comps[k[0]] = v, true
	}
	_, dropping := want[[2]string{jbFontComponent, "FONT_FAMILY"}]
	for _, e := range udiff.Lines(string(in), string(out)) {
		line := 1 + strings.Count(string(in[:e.Start]), "\n")
		removed := jbSplitLines(string(in[e.Start:e.End]))
		added := jbSplitLines(e.New)
		for _, l := range removed {
			m := jbOptionLine.FindStringSubmatch(l)
			switch {
			case m != nil && dropping && slices.Contains(jbSubFamilies, m[2]) && want[[2]string{jbFontComponent, m[2]}] == "":
				// a weight of the old font
			case m != nil && values[m[2]] != "":
				value := ` value="` + jbEscape(values[m[2]], '"') + `"`
				changed := jbValueAttr.ReplaceAllLiteralString(l, value)
				if m[3] == "" && !strings.Contains(l, ` value=`) {
					changed = strings.TrimSuffix(l, " />") + value + " />"
				}
				i := slices.Index(added, changed)
				if i < 0 {
					return fmt.Errorf("line %d %q became none of %q; want %q", line, l, added, changed)
				}
				added = slices.Delete(added, i, i+1)
			case jbComponentLine.MatchString(l) && comps[jbComponentLine.FindStringSubmatch(l)[2]]:
				// <component name="C" /> opened to take an option
			default:
				return fmt.Errorf("line %d %q changed (to %q): envup does not own it", line, l, added)
			}
		}
		for _, l := range added {
			if m := jbOptionLine.FindStringSubmatch(l); m != nil && values[m[2]] != "" && m[3] == jbEscape(values[m[2]], '"') {
				continue
			}
			if m := jbComponentLine.FindStringSubmatch(l); m != nil && comps[m[2]] && m[3] == "" || jbEndLine.MatchString(l) {
				continue
			}
			return fmt.Errorf("line %q added near line %d: envup does not own it", l, line)
		}
	}
	// Each owned option line is indented as the line above it, or one
	// step (two spaces, in the corpus) below its component.
	lines := jbSplitLines(string(out))
	for i, l := range lines {
		m := jbOptionLine.FindStringSubmatch(l)
		if m == nil || values[m[2]] == "" || i == 0 {
			continue
		}
		above := lines[i-1]
		indent := above[:len(above)-len(strings.TrimLeft(above, " \t"))]
		if jbComponentLine.MatchString(above) {
			indent += "  "
		}
		if m[1] != indent {
			return fmt.Errorf("line %d %q is indented %q, want %q", i+1, l, m[1], indent)
		}
	}
	return nil
}

// jbSplitLines is s's lines without their line endings.
func jbSplitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// jbCheckForeign checks the tokens of in that envup does not own are
// those of out, in order and byte for byte: start tags as written (but
// for a "/>" opened), comments, CDATA, text and declarations. Owned are
// the start and end tags of a component want names, and its <option>
// elements want names (the font's weights too when the family is set);
// white space between elements is the line diff's to check.
func jbCheckForeign(in, out []byte, want map[[2]string]string) error {
	if jbBlank(in) {
		return nil // nothing of the user's
	}
	a, err := jbForeignTokens(in, want)
	if err != nil {
		return fmt.Errorf("the original: %w", err)
	}
	b, err := jbForeignTokens(out, want)
	if err != nil {
		return fmt.Errorf("the merged file: %w", err)
	}
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Errorf("token %d of the user's was %q, is %q", i, a[i], b[i])
		}
	}
	if len(a) != len(b) {
		return fmt.Errorf("%d tokens of the user's, %d after the merge", len(a), len(b))
	}
	return nil
}

// jbForeignTokens is data's tokens outside what want owns, as written.
func jbForeignTokens(data []byte, want map[[2]string]string) ([]string, error) {
	comps, opts := map[string]bool{}, map[[2]string]bool{}
	for k := range want {
		comps[k[0]], opts[k] = true, true
		if k == [2]string{jbFontComponent, "FONT_FAMILY"} {
			for _, sub := range jbSubFamilies {
				opts[[2]string{jbFontComponent, sub}] = true
			}
		}
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var toks []string
	var stack []string // "component" names at depth 1, else ""
	skip := 0          // depth inside an owned option
	for {
		at := d.InputOffset()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return toks, nil
		}
		if err != nil {
			return nil, err
		}
		raw := string(data[at:d.InputOffset()])
		switch t := tok.(type) {
		case xml.StartElement:
			name, _ := jbTestAttr(t, "name")
			if skip > 0 || len(stack) == 2 && stack[1] != "" && t.Name.Local == "option" && opts[[2]string{stack[1], name}] {
				skip++
				continue
			}
			comp := ""
			if len(stack) == 1 && t.Name.Local == "component" {
				comp = name
			}
			stack = append(stack, comp)
			if comp != "" && comps[comp] {
				continue
			}
			toks = append(toks, jbSelfClose.ReplaceAllString(raw, ">"))
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			comp := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if comp != "" && comps[comp] {
				continue
			}
			toks = append(toks, "</"+t.Name.Local+">")
		case xml.CharData:
			if text := strings.Trim(raw, " \t\r\n"); skip == 0 && text != "" {
				toks = append(toks, text)
			}
		default:
			if skip == 0 {
				toks = append(toks, raw)
			}
		}
	}
}

func jbTestAttr(t xml.StartElement, name string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}
