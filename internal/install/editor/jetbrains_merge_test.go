package editor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The shapes a merge meets, each with the exact bytes it must write. The
// real files are the corpus's (TestJetBrainsCorpus); these are small
// ones, written for the paths a real file may take: one-line files, tabs,
// CRLF, self-closing components and roots, comments, quotes, entities.
func TestJBMerge(t *testing.T) {
	t.Parallel()
	size := []jbSetting{{"DefaultFont", "FONT_SIZE", "14"}}
	family := []jbSetting{{"DefaultFont", "FONT_FAMILY", "JetBrains Mono"}}
	font := "<application>\n  <component name=\"DefaultFont\">\n" +
		"    <option name=\"FONT_FAMILY\" value=\"Fira Code\" />\n" +
		"    <option name=\"FONT_REGULAR_SUB_FAMILY\" value=\"Retina\" />\n" +
		"    <option name=\"FONT_BOLD_SUB_FAMILY\" value=\"Bold\" />\n" +
		"  </component>\n</application>"
	for _, tc := range []struct {
		name     string
		in       string // "" for an absent file
		settings []jbSetting
		want     string // "" when nothing changes
		err      string
	}{
		{
			name: "absent file", settings: append(size, jbSetting{"Alpha", "a", "1"}),
			want: "<application>\n  <component name=\"Alpha\">\n    <option name=\"a\" value=\"1\" />\n  </component>\n" +
				"  <component name=\"DefaultFont\">\n    <option name=\"FONT_SIZE\" value=\"14\" />\n  </component>\n</application>",
		},
		{
			name: "blank file", settings: size, in: "\n\n",
			want: "<application>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_SIZE\" value=\"14\" />\n  </component>\n</application>",
		},
		{
			name: "one line stays one line", settings: append(size, jbSetting{"DefaultFont", "FONT_SIZE_2D", "14.0"}, jbSetting{"Z", "z", "1"}, jbSetting{"A", "a", "1"}),
			in:   `<application><component name="DefaultFont"><option name="FONT_SIZE" value="12"/></component></application>`,
			want: `<application><component name="A"><option name="a" value="1" /></component><component name="DefaultFont"><option name="FONT_SIZE" value="14"/><option name="FONT_SIZE_2D" value="14.0" /></component><component name="Z"><option name="z" value="1" /></component></application>`,
		},
		{
			name: "self-closing component", settings: size,
			in:   "<application>\n  <component name=\"DefaultFont\" />\n</application>\n",
			want: "<application>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_SIZE\" value=\"14\" />\n  </component>\n</application>\n",
		},
		{
			name: "empty component on one line", settings: size,
			in:   "<application>\n  <component name=\"DefaultFont\"></component>\n</application>",
			want: "<application>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_SIZE\" value=\"14\" />\n  </component>\n</application>",
		},
		{
			name: "self-closing root", settings: size, in: "<application />",
			want: "<application>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_SIZE\" value=\"14\" />\n  </component>\n</application>",
		},
		{
			name: "declaration, entities and other attributes kept", settings: size,
			in:   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<application>\n  <component name=\"DefaultFont\" x=\"1\">\n    <option name=\"FONT_SIZE\" value=\"12\" extra=\"&lt;kept&gt;&#10;\" />\n  </component>\n</application>\n\n",
			want: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<application>\n  <component name=\"DefaultFont\" x=\"1\">\n    <option name=\"FONT_SIZE\" value=\"14\" extra=\"&lt;kept&gt;&#10;\" />\n  </component>\n</application>\n\n",
		},
		{
			name: "new component sorted between", settings: size,
			in:   "<application>\n  <component name=\"A\">\n    <option name=\"T\" value=\"a&#10;b&#9;c\" />\n  </component>\n  <!-- about X -->\n  <component name=\"X\" />\n</application>",
			want: "<application>\n  <component name=\"A\">\n    <option name=\"T\" value=\"a&#10;b&#9;c\" />\n  </component>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_SIZE\" value=\"14\" />\n  </component>\n  <!-- about X -->\n  <component name=\"X\" />\n</application>",
		},
		{
			name: "value escaped as IntelliJ does", settings: []jbSetting{{"C", "T", "a<b> \"c\" & d\ne"}},
			in:   "<application>\n  <component name=\"C\">\n    <option name=\"T\" value=\"\" />\n  </component>\n</application>",
			want: "<application>\n  <component name=\"C\">\n    <option name=\"T\" value=\"a&lt;b&gt; &quot;c&quot; &amp; d&#10;e\" />\n  </component>\n</application>",
		},
		{
			name: "apostrophes", settings: []jbSetting{{"C", "T", "it's"}},
			in:   "<application><component name='C'><option name='T' value='x'/></component></application>",
			want: "<application><component name='C'><option name='T' value='it&apos;s'/></component></application>",
		},
		{
			name: "an option without a value", settings: size,
			in:   "<application>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_SIZE\" />\n  </component>\n</application>",
			want: "<application>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_SIZE\" value=\"14\" />\n  </component>\n</application>",
		},
		{
			name: "tabs", settings: append(size, jbSetting{"E", "e", "1"}),
			in: "<application>\n\t<component name=\"DefaultFont\">\n\t\t<option name=\"FONT_FAMILY\" value=\"Hack\" />\n\t</component>\n</application>",
			want: "<application>\n\t<component name=\"DefaultFont\">\n\t\t<option name=\"FONT_FAMILY\" value=\"Hack\" />\n\t\t<option name=\"FONT_SIZE\" value=\"14\" />\n\t</component>\n" +
				"\t<component name=\"E\">\n\t\t<option name=\"e\" value=\"1\" />\n\t</component>\n</application>",
		},
		{
			name: "CRLF", settings: append(size, jbSetting{"E", "e", "1"}),
			in: "<application>\r\n  <component name=\"DefaultFont\">\r\n    <option name=\"FONT_FAMILY\" value=\"Hack\" />\r\n  </component>\r\n</application>\r\n",
			want: "<application>\r\n  <component name=\"DefaultFont\">\r\n    <option name=\"FONT_FAMILY\" value=\"Hack\" />\r\n    <option name=\"FONT_SIZE\" value=\"14\" />\r\n  </component>\r\n" +
				"  <component name=\"E\">\r\n    <option name=\"e\" value=\"1\" />\r\n  </component>\r\n</application>\r\n",
		},
		{
			name: "a comment after the last option stays on its line", settings: size,
			in:   "<application>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_FAMILY\" value=\"Hack\" /> <!-- mine -->\n  </component>\n</application>",
			want: "<application>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_FAMILY\" value=\"Hack\" /> <!-- mine -->\n    <option name=\"FONT_SIZE\" value=\"14\" />\n  </component>\n</application>",
		},
		{
			name: "end tag on the last option's line", settings: size,
			in:   "<application>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_FAMILY\" value=\"Hack\" /></component>\n</application>",
			want: "<application>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_FAMILY\" value=\"Hack\" />\n    <option name=\"FONT_SIZE\" value=\"14\" />\n  </component>\n</application>",
		},
		{
			name: "a byte order mark", settings: size,
			in:   "\uFEFF<application />\n",
			want: "\uFEFF<application>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_SIZE\" value=\"14\" />\n  </component>\n</application>\n",
		},
		{
			name: "a new family drops the old one's weights", settings: family, in: font,
			want: "<application>\n  <component name=\"DefaultFont\">\n" +
				"    <option name=\"FONT_FAMILY\" value=\"JetBrains Mono\" />\n  </component>\n</application>",
		},
		{
			name: "weights the recipe sets stay", settings: append(family, jbSetting{"DefaultFont", "FONT_BOLD_SUB_FAMILY", "ExtraBold"}), in: font,
			want: "<application>\n  <component name=\"DefaultFont\">\n" +
				"    <option name=\"FONT_FAMILY\" value=\"JetBrains Mono\" />\n" +
				"    <option name=\"FONT_BOLD_SUB_FAMILY\" value=\"ExtraBold\" />\n  </component>\n</application>",
		},
		{
			name: "the same family keeps its weights", settings: []jbSetting{{"DefaultFont", "FONT_FAMILY", "Fira Code"}}, in: font,
		},
		{
			name: "a family set anew drops weights of the default font", settings: family,
			in:   "<application>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_REGULAR_SUB_FAMILY\" value=\"Light\" />\n  </component>\n</application>",
			want: "<application>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_FAMILY\" value=\"JetBrains Mono\" />\n  </component>\n</application>",
		},
		{
			name: "an option given twice is set twice", settings: size,
			in:   "<application><component name=\"DefaultFont\"><option name=\"FONT_SIZE\" value=\"12\" /><option name=\"FONT_SIZE\" value=\"13\" /></component></application>",
			want: "<application><component name=\"DefaultFont\"><option name=\"FONT_SIZE\" value=\"14\" /><option name=\"FONT_SIZE\" value=\"14\" /></component></application>",
		},
		{
			name: "a setting given twice alike", settings: append(size, size...),
			in:   `<application><component name="DefaultFont"><option name="FONT_SIZE" value="12"/></component></application>`,
			want: `<application><component name="DefaultFont"><option name="FONT_SIZE" value="14"/></component></application>`,
		},
		{
			name: "already so", settings: size,
			in: `<application><component name="DefaultFont"><option name="FONT_SIZE" value="14" /></component></application>`,
		},
		{
			name: "absent ligatures are off", settings: []jbSetting{{"DefaultFont", "USE_LIGATURES", "false"}},
			in: "<application>\n  <component name=\"DefaultFont\">\n    <option name=\"VERSION\" value=\"1\" />\n  </component>\n</application>\n",
		},
		{
			name: "structured option", settings: []jbSetting{{"C", "LIST", "x"}},
			in:  "<application>\n  <component name=\"C\">\n    <option name=\"LIST\">\n      <list><option value=\"a\"/></list>\n    </option>\n  </component>\n</application>",
			err: "3:5: C.LIST holds a structured value",
		},
		{name: "set twice", settings: append(size, jbSetting{"DefaultFont", "FONT_SIZE", "15"}), err: `DefaultFont.FONT_SIZE is set twice, to "14" and "15"`},
		{name: "a value XML cannot hold", settings: []jbSetting{{"C", "T", "a\x00b"}}, err: `C.T: "a\x00b" holds U+0000`},
		{name: "not application", settings: size, in: `<project version="4"/>`, err: "1:1: root element is <project>, want <application>"},
		{name: "truncated", settings: size, in: "<application>\n  <component name=\"DefaultFont\">\n", err: "2:3: <component> is not closed before the file ends"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var in []byte
			if tc.in != "" {
				in = []byte(tc.in)
			}
			out, edits, err := jbMerge(in, tc.settings)
			if tc.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.err) || out != nil {
					t.Fatalf("error = %v, output %q; want %q and none", err, out, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", out, tc.want)
			}
			if (len(edits) > 0) != (tc.want != "") {
				t.Errorf("edits = %v with output %q", edits, out)
			}
			if out == nil {
				out = in
			}
			want := map[[2]string]string{}
			for _, s := range tc.settings {
				want[[2]string{s.component, s.option}] = s.value
			}
			if err := jbCheckValues(in, out, want); err != nil {
				t.Error(err)
			}
			if err := jbCheckForeign(in, out, want); err != nil {
				t.Error(err)
			}
			// Merging twice is merging once.
			again, edits, err := jbMerge(out, tc.settings)
			if err != nil || again != nil || len(edits) > 0 {
				t.Errorf("second merge: %q, %v, %v; want no change", again, edits, err)
			}
		})
	}
}

// FuzzMergeJetBrains merges the lab's font and one fuzzed option into a
// fuzzed options file. A merge either refuses, writing nothing, or its
// output reads back every value (by a plain encoding/xml reading), keeps
// every token it does not own byte for byte and in order, and a second
// merge changes nothing. Seeds: the 73 files of the JetBrains corpus
// with the option their case sets (when the corpora are beside the
// project), and the package's JetBrains fixtures.
func FuzzMergeJetBrains(f *testing.F) {
	if _, err := os.Stat(filepath.Join(corpora, "jetbrains-options")); err == nil {
		dir, cases := jbCorpusCases(f)
		for _, c := range cases {
			data, err := os.ReadFile(filepath.Join(dir, c.file))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data, c.component, c.option, c.want)
		}
	}
	for _, d := range []string{filepath.Join("testdata", "jetbrains"), filepath.Join("testdata", "inspect", "jetbrains")} {
		names, err := filepath.Glob(filepath.Join(d, "*.xml"))
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data, "EditorSettings", "IS_WHITESPACES_SHOWN", "a<b>&#10;\"c\"")
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, component, option, value string) {
		if component == "" || option == "" {
			return // the recipe refuses empty names
		}
		want := jbLabFontWant()
		want[[2]string{component, option}] = value
		settings := []jbSetting{{component, option, value}}
		for k, v := range jbLabFontWant() {
			if k != [2]string{component, option} {
				settings = append(settings, jbSetting{k[0], k[1], v})
			}
		}
		out, edits, err := jbMerge(data, settings)
		if err != nil {
			if out != nil || edits != nil {
				t.Fatalf("refused (%v) but wrote %q, %v", err, out, edits)
			}
			return
		}
		if out == nil {
			if len(edits) > 0 {
				t.Fatalf("edits %v but no output", edits)
			}
			out = data
		}
		if err := jbCheckValues(data, out, want); err != nil {
			t.Fatalf("%v\nin:\n%q\nout:\n%q", err, data, out)
		}
		if err := jbCheckForeign(data, out, want); err != nil {
			t.Fatalf("%v\nin:\n%q\nout:\n%q", err, data, out)
		}
		again, edits, err := jbMerge(out, settings)
		if err != nil || again != nil || len(edits) > 0 {
			t.Fatalf("second merge: %v, %v, %q\nin:\n%q\nout:\n%q", err, edits, again, data, out)
		}
	})
}
