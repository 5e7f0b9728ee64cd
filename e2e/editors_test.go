//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFontAndEditorSettings installs a real font (Debian's DejaVu Sans
// Mono, served through a mirror folder) that fontconfig then lists under
// its family name, and sets VS Code's and PyCharm's font in a HOME that
// already holds the user's own settings, which survive, comments too.
func TestFontAndEditorSettings(t *testing.T) {
	m := newMachine(t)
	const system = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
	if _, err := os.Stat(system); err != nil {
		t.Skip("no fonts-dejavu-core")
	}
	if _, err := exec.LookPath("fc-list"); err != nil {
		t.Skip("no fontconfig")
	}
	mirror := t.TempDir()
	data, err := os.ReadFile(system)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(mirror, "DejaVuSansMono.ttf"), string(data))
	sum := fileSHA256(t, filepath.Join(mirror, "DejaVuSansMono.ttf"))

	userSettings := `{
  // my own settings: envup must keep this comment
  "workbench.colorTheme": "Solarized Light",
  "editor.fontSize": 12, /* was twelve */
}
`
	vscode := filepath.Join(m.home, ".config", "Code", "User", "settings.json")
	writeFile(t, vscode, userSettings)
	options := filepath.Join(m.home, ".config", "JetBrains", "PyCharm2024.3", "options")
	other := `<application>
  <component name="PropertiesComponent">
    <property name="settings.editor.selected.configurable" value="editor.preferences.fonts.default" />
  </component>
</application>
`
	writeFile(t, filepath.Join(options, "other.xml"), other)

	recipe := filepath.Join(t.TempDir(), "editors.yml")
	writeFile(t, recipe, `envup: 1
fonts:
  DejaVu Sans Mono:
    url: https://example.org/fonts/DejaVuSansMono.ttf
    sha256: `+sum+`
editors:
  vscode:
    settings: {"editor.fontFamily": "DejaVu Sans Mono", "editor.fontSize": 14}
  pycharm:
    font: {family: DejaVu Sans Mono, size: 14}
`)
	m.envup(0, "apply", "--mirror", mirror, "--offline", recipe)

	list := run(t, "env", "HOME="+m.home, "fc-list", ":", "family", "file")
	if !strings.Contains(list, filepath.Join(m.home, ".local", "share", "fonts")) || !strings.Contains(list, "DejaVu Sans Mono") {
		t.Errorf("fc-list does not show the installed font under its family:\n%s", list)
	}
	got, _ := os.ReadFile(vscode)
	for _, want := range []string{"// my own settings: envup must keep this comment", `"workbench.colorTheme": "Solarized Light"`, "/* was twelve */", `"editor.fontFamily": "DejaVu Sans Mono"`, `"editor.fontSize": 14`} {
		if !strings.Contains(string(got), want) {
			t.Errorf("settings.json lacks %s:\n%s", want, got)
		}
	}
	font, _ := os.ReadFile(filepath.Join(options, "editor-font.xml"))
	if !strings.Contains(string(font), `name="FONT_FAMILY" value="DejaVu Sans Mono"`) || !strings.Contains(string(font), `name="FONT_SIZE" value="14"`) {
		t.Errorf("editor-font.xml:\n%s", font)
	}
	if kept, _ := os.ReadFile(filepath.Join(options, "other.xml")); string(kept) != other {
		t.Errorf("other.xml changed:\n%s", kept)
	}
	if out := m.envup(0, "apply", "--mirror", mirror, "--offline", recipe); !strings.Contains(out, "Nothing to change") {
		t.Errorf("second apply changed something:\n%s", out)
	}
}
