package editor

import (
	"encoding/xml"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// jbHost is a platform of the given OS whose home and config dir are under
// dir, laid out as detect lays them out on that OS.
func jbHost(goos, dir string) detect.Platform {
	home := filepath.Join(dir, "home")
	cfg := map[string]string{
		"linux":   filepath.Join(home, ".config"),
		"macos":   filepath.Join(home, "Library", "Application Support"),
		"windows": filepath.Join(home, "AppData", "Roaming"),
	}[goos]
	return detect.Platform{OS: goos, Home: home, Dirs: detect.Dirs{Config: cfg}}
}

func jbPut(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func jbGet(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func jbFixture(t *testing.T, name string) string {
	t.Helper()
	return jbGet(t, filepath.Join("testdata", "jetbrains", name))
}

func jbBool(b bool) *bool { return &b }

// jbLabFont is the font the lab wants on every seat.
func jbLabFont() *recipe.EditorFont {
	return &recipe.EditorFont{Family: "JetBrains Mono", Size: 14, LineSpacing: 1.2, Ligatures: jbBool(true)}
}

func jbNew(t *testing.T, key string, spec *recipe.Editor, p detect.Platform) *JetBrains {
	t.Helper()
	r, err := NewJetBrains(key, spec, p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// jbConverge observes, applies, and checks a second observe finds nothing
// left to do. It returns the first diff as "subject: why" lines.
func jbConverge(t *testing.T, r *JetBrains) []string {
	t.Helper()
	sys := system.NewReal()
	o, err := r.Observe(t.Context(), sys)
	if err != nil {
		t.Fatal(err)
	}
	var diff []string
	for _, ch := range r.Diff(o) {
		diff = append(diff, ch.Action.Symbol()+" "+ch.Subject+": "+ch.Why)
	}
	if err := r.Apply(t.Context(), sys, o); err != nil {
		t.Fatal(err)
	}
	o, err = r.Observe(t.Context(), sys)
	if err != nil {
		t.Fatal(err)
	}
	if again := r.Diff(o); len(again) > 0 {
		t.Errorf("after apply, diff = %v, want none", again)
	}
	return diff
}

func jbWantSame(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestJetBrainsMergesCurrentFontAndOptions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := jbHost("linux", dir)
	opts := filepath.Join(p.Dirs.Config, "JetBrains", "PyCharm2024.3", "options")
	fontXML, otherXML := filepath.Join(opts, "editor-font.xml"), filepath.Join(opts, "other.xml")
	jbPut(t, fontXML, jbFixture(t, "editor-font.xml"))
	jbPut(t, otherXML, jbFixture(t, "other.xml"))

	r := jbNew(t, "pycharm", &recipe.Editor{
		Font: jbLabFont(),
		Options: map[string]map[string]map[string]string{
			"other.xml": {
				"NotRoamableUiSettings": {"presentationModeIdeScale": "2.0"},
				"GeneralSettings":       {"confirmExit": "false"},
			},
		},
	}, p)
	if r.ID().String() != "editor/pycharm" {
		t.Errorf("ID = %q", r.ID())
	}
	jbWantSame(t, jbConverge(t, r), []string{
		"~ editor-font.xml DefaultFont.FONT_SIZE: 12 → 14",
		"~ editor-font.xml DefaultFont.FONT_SIZE_2D: 12.0 → 14.0",
		"~ editor-font.xml DefaultFont.FONT_FAMILY: Fira Code → JetBrains Mono",
		"~ editor-font.xml DefaultFont.LINE_SPACING: 1.1 → 1.2",
		"+ editor-font.xml DefaultFont.USE_LIGATURES: unset → true",
		"~ editor-font.xml DefaultFont.FONT_REGULAR_SUB_FAMILY: Retina → unset (a weight of Fira Code)",
		"~ editor-font.xml DefaultFont.FONT_BOLD_SUB_FAMILY: Bold → unset (a weight of Fira Code)",
		"+ other.xml GeneralSettings.confirmExit: unset → false",
		"~ other.xml NotRoamableUiSettings.presentationModeIdeScale: 1.75 → 2.0",
	})

	// Values change in place, the new option goes last at its siblings'
	// indent, Fira Code's weights go; the rest, final newline included,
	// is as it was.
	// That is the lab's font as a new file has it, below the fixture's
	// VERSION and with its final newline.
	font := jbGet(t, fontXML)
	if want := strings.Replace(jbLabFontFile, "\"DefaultFont\">\n", "\"DefaultFont\">\n    <option name=\"VERSION\" value=\"1\" />\n", 1) + "\n"; font != want {
		t.Errorf("editor-font.xml =\n%s\nwant\n%s", font, want)
	}
	// GeneralSettings goes where IntelliJ, which sorts components by
	// name, would write it: first, above the user's comment, which stays
	// with the component it is about.
	other := jbGet(t, otherXML)
	want := strings.Replace(jbFixture(t, "other.xml"), `value="1.75"`, `value="2.0"`, 1)
	want = strings.Replace(want, "<application>\n", "<application>\n"+
		"  <component name=\"GeneralSettings\">\n"+
		"    <option name=\"confirmExit\" value=\"false\" />\n"+
		"  </component>\n", 1)
	if other != want {
		t.Errorf("other.xml =\n%s\nwant\n%s", other, want)
	}
	// The first backup is the user's original, and stays so.
	if got := jbGet(t, fontXML+".envup-backup"); got != jbFixture(t, "editor-font.xml") {
		t.Errorf("backup = %q, want the original", got)
	}
	jbPut(t, fontXML, strings.Replace(font, `value="14"`, `value="16"`, 1))
	jbConverge(t, r)
	if got := jbGet(t, fontXML+".envup-backup"); got != jbFixture(t, "editor-font.xml") {
		t.Errorf("backup overwritten: %q", got)
	}
	if got := jbGet(t, fontXML); got != font {
		t.Errorf("second apply gave\n%s\nwant\n%s", got, font)
	}
}

func TestJetBrainsLegacyEditorXML(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := jbHost("linux", dir)
	editorXML := filepath.Join(p.Home, ".PyCharmCE2019.3", "config", "options", "editor.xml")
	jbPut(t, editorXML, jbFixture(t, "editor.xml"))

	r := jbNew(t, "pycharm-ce", &recipe.Editor{Font: &recipe.EditorFont{Family: "JetBrains Mono", Size: 14}}, p)
	jbWantSame(t, jbConverge(t, r), []string{
		"~ editor.xml DefaultFont.FONT_SIZE: 12 → 14",
		"+ editor.xml DefaultFont.FONT_SIZE_2D: unset → 14.0",
		"~ editor.xml DefaultFont.FONT_FAMILY: DejaVu Sans Mono → JetBrains Mono",
	})
	want := strings.NewReplacer(`"12"`, `"14"`, `"DejaVu Sans Mono"`, `"JetBrains Mono"`,
		"    <option name=\"FONT_SCALE\" value=\"1.0\" />\n",
		"    <option name=\"FONT_SCALE\" value=\"1.0\" />\n    <option name=\"FONT_SIZE_2D\" value=\"14.0\" />\n",
	).Replace(jbFixture(t, "editor.xml"))
	if got := jbGet(t, editorXML); got != want {
		t.Errorf("editor.xml =\n%s\nwant\n%s", got, want)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(editorXML), "editor-font.xml")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a 2019.3 IDE got an editor-font.xml it does not read (%v)", err)
	}
}

func TestJetBrainsFindsConfigDirs(t *testing.T) {
	t.Parallel()
	for _, goos := range []string{"linux", "macos", "windows"} {
		t.Run(goos, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			p := jbHost(goos, dir)
			newDir := func(v string) string { return filepath.Join(p.Dirs.Config, "JetBrains", "PyCharm"+v) }
			oldDir := filepath.Join(p.Home, ".PyCharm2019.3", "config")
			if goos == "macos" {
				oldDir = filepath.Join(p.Home, "Library", "Preferences", "PyCharm2019.3")
			}
			for _, d := range []string{
				newDir("2023.2"), newDir("2024.3"), newDir("2024.10"), oldDir,
				filepath.Join(p.Dirs.Config, "JetBrains", "PyCharmCE2025.1"), // another product
				filepath.Join(p.Dirs.Config, "JetBrains", "PyCharm2019.1"),   // not a layout 2019.1 reads
				filepath.Join(p.Dirs.Config, "JetBrains", "PyCharm2024.3.bak"),
			} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			r := jbNew(t, "pycharm", &recipe.Editor{Font: jbLabFont()}, p)
			st, err := r.Observe(t.Context(), system.NewReal())
			if err != nil {
				t.Fatal(err)
			}
			jbWantSame(t, st.Found, []string{newDir("2024.10"), newDir("2024.3"), newDir("2023.2"), oldDir})
			if st.Dir != newDir("2024.10") || st.Version != "2024.10" {
				t.Errorf("picked %s %s, want the newest, 2024.10", st.Version, st.Dir)
			}

			// With only the old layout there, it is the one.
			old := t.TempDir()
			p = jbHost(goos, old)
			oldDir = strings.Replace(oldDir, dir, old, 1)
			if err := os.MkdirAll(oldDir, 0o755); err != nil {
				t.Fatal(err)
			}
			st, err = jbNew(t, "pycharm", &recipe.Editor{Font: jbLabFont()}, p).Observe(t.Context(), system.NewReal())
			if err != nil {
				t.Fatal(err)
			}
			if st.Dir != oldDir || st.Version != "2019.3" {
				t.Errorf("picked %s %s, want 2019.3 %s", st.Version, st.Dir, oldDir)
			}
		})
	}
}

func TestJetBrainsLegacyDirWithoutConfigIsNotSettings(t *testing.T) {
	t.Parallel()
	p := jbHost("linux", t.TempDir())
	// ~/.GoLand2019.3/system only: caches of an IDE whose config was moved.
	if err := os.MkdirAll(filepath.Join(p.Home, ".GoLand2019.3", "system"), 0o755); err != nil {
		t.Fatal(err)
	}
	st, err := jbNew(t, "goland", &recipe.Editor{Font: jbLabFont()}, p).Observe(t.Context(), system.NewReal())
	if err != nil {
		t.Fatal(err)
	}
	if st.Dir != "" || len(st.Found) > 0 {
		t.Errorf("found %v, want nothing", st.Found)
	}
}

func TestJetBrainsVersionCreatesItsDir(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		os, version string
		want        []string // path under the temp dir
		content     string
	}{
		{"linux", "2025.1", []string{"home", ".config", "JetBrains", "GoLand2025.1", "options", "editor-font.xml"}, ""},
		{"macos", "2024.3", []string{"home", "Library", "Application Support", "JetBrains", "GoLand2024.3", "options", "editor-font.xml"}, ""},
		{"windows", "2024.3", []string{"home", "AppData", "Roaming", "JetBrains", "GoLand2024.3", "options", "editor-font.xml"}, ""},
		{"linux", "2021.1", []string{"home", ".config", "JetBrains", "GoLand2021.1", "options", "editor.xml"}, ""},
		{"linux", "2019.2", []string{"home", ".GoLand2019.2", "config", "options", "editor.xml"}, ""},
		{"windows", "2019.2", []string{"home", ".GoLand2019.2", "config", "options", "editor.xml"}, ""},
		{"macos", "2019.2", []string{"home", "Library", "Preferences", "GoLand2019.2", "options", "editor.xml"}, ""},
	} {
		t.Run(tc.os+"-"+tc.version, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			p := jbHost(tc.os, dir)
			// A newer version is there, but the recipe names this one.
			if err := os.MkdirAll(filepath.Join(p.Dirs.Config, "JetBrains", "GoLand2099.1"), 0o755); err != nil {
				t.Fatal(err)
			}
			r := jbNew(t, "goland", &recipe.Editor{Version: tc.version, Font: &recipe.EditorFont{Family: "Iosevka", Size: 15}}, p)
			name := tc.want[len(tc.want)-1]
			jbWantSame(t, jbConverge(t, r), []string{
				"+ " + name + " DefaultFont.FONT_SIZE: unset → 15",
				"+ " + name + " DefaultFont.FONT_SIZE_2D: unset → 15.0",
				"+ " + name + " DefaultFont.FONT_FAMILY: unset → Iosevka",
			})
			// As IntelliJ writes a file: " />", LF, no final newline.
			path := filepath.Join(append([]string{dir}, tc.want...)...)
			want := "<application>\n  <component name=\"DefaultFont\">\n" +
				"    <option name=\"FONT_SIZE\" value=\"15\" />\n" +
				"    <option name=\"FONT_SIZE_2D\" value=\"15.0\" />\n" +
				"    <option name=\"FONT_FAMILY\" value=\"Iosevka\" />\n" +
				"  </component>\n</application>"
			if got := jbGet(t, path); got != want {
				t.Errorf("%s =\n%s\nwant\n%s", path, got, want)
			}
			if _, err := os.Lstat(path + ".envup-backup"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a new file got a backup (%v)", err)
			}
		})
	}
}

func TestJetBrainsWithoutSettingsChangesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := jbHost("linux", dir)
	r := jbNew(t, "pycharm", &recipe.Editor{Font: jbLabFont()}, p)
	sys := system.NewReal()
	o, err := r.Observe(t.Context(), sys)
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Diff(o); len(d) > 0 {
		t.Errorf("diff = %v, want none", d)
	}
	if err := r.Apply(t.Context(), sys, o); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) > 0 {
		t.Errorf("the temp dir holds %v (%v), want nothing", entries, err)
	}
	desc := r.Describe(o)
	if desc != "no PyCharm settings found: start PyCharm once, or set version:" {
		t.Errorf("Describe = %q", desc)
	}
}

func TestJetBrainsMalformedXMLIsLeftAlone(t *testing.T) {
	t.Parallel()
	p := jbHost("linux", t.TempDir())
	opts := filepath.Join(p.Dirs.Config, "JetBrains", "IdeaIC2024.2", "options")
	fontXML := filepath.Join(opts, "editor-font.xml")
	broken := "<application>\n  <component name=\"DefaultFont\">\n    <option name=\"FONT_SIZE\" value=\"12\" />\n  </application>\n"
	jbPut(t, fontXML, broken)

	r := jbNew(t, "idea-ce", &recipe.Editor{Font: jbLabFont()}, p)
	sys := system.NewReal()
	_, err := r.Observe(t.Context(), sys)
	if err == nil || err.Error() != fontXML+":4:3: element <component> closed by </application>" {
		t.Fatalf("observe error = %v, want one naming %s, line 4, column 3", err, fontXML)
	}
	if _, ok := errors.AsType[*xml.SyntaxError](err); !ok {
		t.Errorf("error %v does not wrap an *xml.SyntaxError", err)
	}

	// The file breaks between plan and apply: apply refuses too.
	jbPut(t, fontXML, jbFixture(t, "editor-font.xml"))
	o, err := r.Observe(t.Context(), sys)
	if err != nil {
		t.Fatal(err)
	}
	jbPut(t, fontXML, broken)
	if err := r.Apply(t.Context(), sys, o); err == nil || !strings.Contains(err.Error(), fontXML) {
		t.Fatalf("apply error = %v, want one naming %s", err, fontXML)
	}
	if got := jbGet(t, fontXML); got != broken {
		t.Errorf("file changed to %q", got)
	}
	if _, err := os.Lstat(fontXML + ".envup-backup"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("backup written (%v)", err)
	}
}

func TestJetBrainsPlanWritesNothing(t *testing.T) {
	t.Parallel()
	p := jbHost("windows", t.TempDir())
	fontXML := filepath.Join(p.Dirs.Config, "JetBrains", "Rider2024.3", "options", "editor-font.xml")
	jbPut(t, fontXML, jbFixture(t, "editor-font.xml"))
	r := jbNew(t, "rider", &recipe.Editor{Font: jbLabFont()}, p)
	o, err := r.Observe(t.Context(), system.NewReal())
	if err != nil {
		t.Fatal(err)
	}
	dry := system.NewDryRun(system.NewReal())
	if err := r.Apply(t.Context(), dry, o); err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, st := range dry.Steps() {
		targets = append(targets, st.Target)
	}
	jbWantSame(t, targets, []string{fontXML + ".envup-backup", fontXML})
	if got := jbGet(t, fontXML); got != jbFixture(t, "editor-font.xml") {
		t.Errorf("plan changed the file")
	}
}

func TestNewJetBrainsRejects(t *testing.T) {
	t.Parallel()
	p := jbHost("linux", "/nowhere")
	font := jbLabFont()
	for _, tc := range []struct {
		name, key string
		spec      *recipe.Editor
		want      string
	}{
		{"unknown IDE", "netbeans", &recipe.Editor{Font: font}, "editor netbeans: not a JetBrains IDE ("},
		{"no settings", "pycharm", nil, "editor pycharm: no settings"},
		{"nothing to set", "pycharm", &recipe.Editor{Version: "2024.3"}, "nothing to set"},
		{"patch version", "pycharm", &recipe.Editor{Version: "2024.3.1", Font: font}, `version "2024.3.1": want year.release`},
		{"old numbering", "idea", &recipe.Editor{Version: "15", Font: font}, `version "15"`},
		{"empty font", "pycharm", &recipe.Editor{Font: &recipe.EditorFont{}}, "font: give family"},
		{"negative size", "pycharm", &recipe.Editor{Font: &recipe.EditorFont{Size: -1}}, "size -1"},
		{"path in options", "pycharm", &recipe.Editor{Options: map[string]map[string]map[string]string{"../x.xml": {"C": {"o": "v"}}}}, `"../x.xml": want a file name`},
		{"not xml", "pycharm", &recipe.Editor{Options: map[string]map[string]map[string]string{"editor": {"C": {"o": "v"}}}}, `"editor": want a file name`},
		{"a control character", "pycharm", &recipe.Editor{Options: map[string]map[string]map[string]string{"other.xml": {"C": {"o": "a\x1bb"}}}}, `options: other.xml C.o: "a\x1bb" holds U+001B, which an XML file cannot hold`},
		{"a family not UTF-8", "pycharm", &recipe.Editor{Font: &recipe.EditorFont{Family: "\xff"}}, `font: family: "\xff" is not UTF-8`},
		{"font conflict", "pycharm", &recipe.Editor{Font: font, Options: map[string]map[string]map[string]string{"editor-font.xml": {"DefaultFont": {"FONT_SIZE": "12"}}}}, `DefaultFont.FONT_SIZE is "12", but font sets it to "14"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewJetBrains(tc.key, tc.spec, p)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
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
