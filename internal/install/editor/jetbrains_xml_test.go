package editor

import (
	"strings"
	"testing"
)

func TestJBMerge(t *testing.T) {
	t.Parallel()
	size := []jbSetting{{"DefaultFont", "FONT_SIZE", "14"}}
	for _, tc := range []struct {
		name     string
		in       string
		settings []jbSetting
		want     string // "" when nothing changes
		err      string
	}{
		{
			name: "absent file", settings: size,
			want: "<application>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_SIZE\" value=\"14\"/>\n  </component>\n</application>\n",
		},
		{
			name: "one line stays one line", settings: size,
			in:   `<application><component name="DefaultFont"><option name="FONT_SIZE" value="12"/></component></application>`,
			want: `<application><component name="DefaultFont"><option name="FONT_SIZE" value="14"/></component></application>`,
		},
		{
			name: "empty component", settings: size,
			in:   "<application>\n  <component name=\"DefaultFont\" />\n</application>\n",
			want: "<application>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_SIZE\" value=\"14\"/>\n  </component>\n</application>\n",
		},
		{
			name: "declaration and other attributes kept", settings: size,
			in:   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<application>\n  <component name=\"DefaultFont\" x=\"1\">\n    <option name=\"FONT_SIZE\" value=\"12\" extra=\"&lt;kept&gt;\" />\n  </component>\n</application>\n",
			want: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<application>\n  <component name=\"DefaultFont\" x=\"1\">\n    <option name=\"FONT_SIZE\" value=\"14\" extra=\"&lt;kept>\"/>\n  </component>\n</application>\n",
		},
		{
			name: "newlines in other values survive", settings: size,
			in:   "<application>\n  <component name=\"X\">\n    <option name=\"TEMPLATE\" value=\"a&#10;b&#9;c\" />\n  </component>\n</application>",
			want: "<application>\n  <component name=\"X\">\n    <option name=\"TEMPLATE\" value=\"a&#xA;b&#x9;c\"/>\n  </component>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_SIZE\" value=\"14\"/>\n  </component>\n</application>",
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
			in:  `<application><component name="C"><option name="LIST"><list><option value="a"/></list></option></component></application>`,
			err: "C.LIST holds a structured value",
		},
		{name: "not application", settings: size, in: `<project version="4"/>`, err: "root element is <project>, want <application>"},
		{name: "truncated", settings: size, in: "<application>\n  <component name=\"DefaultFont\">\n", err: "XML syntax error on line 3: unexpected EOF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var in []byte
			if tc.in != "" {
				in = []byte(tc.in)
			}
			out, edits, err := jbMerge(in, tc.settings)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want %q", err, tc.err)
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
				return
			}
			// Merging twice is merging once.
			again, edits, err := jbMerge(out, tc.settings)
			if err != nil || again != nil || len(edits) > 0 {
				t.Errorf("second merge: %q, %v, %v; want no change", again, edits, err)
			}
		})
	}
}

func TestJBFloat(t *testing.T) {
	t.Parallel()
	for in, want := range map[float64]string{1.2: "1.2", 1: "1.0", 1.25: "1.25", 0.9: "0.9", 2.0: "2.0"} {
		if got := jbFloat(in); got != want {
			t.Errorf("jbFloat(%g) = %q, want %q", in, got, want)
		}
	}
}

func TestJBParseVersion(t *testing.T) {
	t.Parallel()
	for in, ok := range map[string]bool{
		"2024.3": true, "2019.3": true, "2024.10": true, "2016.1": true,
		"2024": false, "2024.3.1": false, "15": false, "2015.1": false, "2024.+3": false, "2024.0": false, "": false, "x.1": false,
	} {
		if _, got := jbParseVersion(in); got != ok {
			t.Errorf("jbParseVersion(%q) ok = %v, want %v", in, got, ok)
		}
	}
}
