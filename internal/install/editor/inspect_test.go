package editor

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

func inspectFixture(t *testing.T, name string) string {
	t.Helper()
	return vscodeGet(t, filepath.Join("testdata", "inspect", name))
}

func inspectRun(t *testing.T, sys system.System, p detect.Platform) map[string]Seen {
	t.Helper()
	got, err := Inspect(t.Context(), sys, p)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// inspectKeys are the editors found, sorted.
func inspectKeys(seen map[string]Seen) []string {
	return slices.Sorted(maps.Keys(seen))
}

func inspectWant[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s =\n  %#v\nwant\n  %#v", what, got, want)
	}
}

func TestInspectNothingOnDisk(t *testing.T) {
	t.Parallel()
	for _, goos := range []string{"linux", "macos", "windows"} {
		t.Run(goos, func(t *testing.T) {
			t.Parallel()
			p := jbHost(goos, t.TempDir())
			if err := os.MkdirAll(p.Dirs.Config, 0o755); err != nil {
				t.Fatal(err)
			}
			got := inspectRun(t, system.NewReal(), p)
			if len(got) != 0 {
				t.Errorf("found %v, want nothing", inspectKeys(got))
			}
		})
	}
	t.Run("no home or config dir", func(t *testing.T) {
		t.Parallel()
		if got := inspectRun(t, system.NewReal(), detect.Platform{OS: "linux"}); len(got) != 0 {
			t.Errorf("found %v, want nothing", inspectKeys(got))
		}
	})
}

func TestInspectCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Inspect(ctx, system.NewReal(), jbHost("linux", t.TempDir())); err == nil {
		t.Error("Inspect with a cancelled context: no error")
	}
}

func TestInspectVSCodeSettings(t *testing.T) {
	t.Parallel()
	p := jbHost("linux", t.TempDir())
	path := filepath.Join(p.Dirs.Config, "Code", "User", "settings.json")
	vscodePut(t, path, vscodeFixture(t, "vscode", "user-comments.jsonc"))

	got := inspectRun(t, system.NewReal(), p)
	inspectWant(t, "editors", inspectKeys(got), []string{"vscode"})
	inspectWant(t, "vscode", got["vscode"], Seen{
		Path:   path,
		Flavor: "code",
		Settings: map[string]string{
			"workbench.colorTheme":          `"Solarized Light"`,
			"editor.fontSize":               `12`,
			"editor.minimap.enabled":        `false`,
			"[python]":                      `{"editor.tabSize":2,"editor.rulers":[79,99]}`,
			"files.exclude":                 `{"**/.git":true,"**/node_modules":true}`,
			"terminal.integrated.env.linux": `{"PYTHONPATH":"${workspaceFolder}/src"}`,
		},
	})
}

func TestInspectBrokenSettingsLeavesTheOthers(t *testing.T) {
	t.Parallel()
	p := jbHost("linux", t.TempDir())
	bad := filepath.Join(p.Dirs.Config, "VSCodium", "User", "settings.json")
	vscodePut(t, bad, vscodeFixture(t, "vscode", "bad.jsonc"))
	sublime := filepath.Join(p.Dirs.Config, "sublime-text", "Packages", "User", "Preferences.sublime-settings")
	vscodePut(t, sublime, vscodeFixture(t, "sublime", "Preferences.sublime-settings"))
	vimrc := filepath.Join(p.Home, ".vimrc")
	vscodePut(t, vimrc, vscodeFixture(t, "vim", "vimrc"))

	got := inspectRun(t, system.NewReal(), p)
	inspectWant(t, "editors", inspectKeys(got), []string{"sublime", "vim", "vscodium"})
	if s := got["vscodium"]; !strings.HasPrefix(s.Problem, bad+":3:20: ") || s.Settings != nil || s.Path != bad {
		t.Errorf("vscodium = %+v, want no settings and a problem starting %s:3:20", s, bad)
	}
	inspectWant(t, "sublime", got["sublime"], Seen{
		Path: sublime,
		Settings: map[string]string{
			"ignored_packages": `["Vintage"]`,
			"font_size":        `11`,
			"theme":            `"Adaptive.sublime-theme"`,
		},
	})
	inspectWant(t, "vim", got["vim"], Seen{Path: vimrc, Lines: []string{"set number", "set tabstop=8"}})
}

func TestInspectVSCodeExtensions(t *testing.T) {
	t.Parallel()
	p := jbHost("linux", t.TempDir())
	// VS Code: extensions.json is the list, whatever folders are there.
	code := filepath.Join(p.Home, ".vscode", "extensions")
	vscodePut(t, filepath.Join(code, "extensions.json"), inspectFixture(t, "extensions.json"))
	vscodePut(t, filepath.Join(code, "twxs.cmake-0.0.17", "package.json"), "{}")
	// Insiders without extensions.json: the folder names.
	insiders := filepath.Join(p.Home, ".vscode-insiders", "extensions")
	for _, dir := range []string{
		"PKief.material-icon-theme-5.3.0",
		"ms-dotnettools.csdevkit-1.6.8-darwin-arm64",
		"eamodio.gitlens-15.0.4", "eamodio.gitlens-15.1.0",
		"gro-david.bluloco-godot-1.1.4", // in .obsolete
		"not-an-extension",
	} {
		vscodePut(t, filepath.Join(insiders, dir, "package.json"), "{}")
	}
	vscodePut(t, filepath.Join(insiders, ".obsolete"), `{"gro-david.bluloco-godot-1.1.4":true}`)
	vscodePut(t, filepath.Join(insiders, "notes-1.0.0.txt"), "")
	// VSCodium with an extensions.json cut short.
	oss := filepath.Join(p.Home, ".vscode-oss", "extensions", "extensions.json")
	vscodePut(t, oss, "[{\"identifier\":\n{\"id\" \"a.b\"}}]")

	got := inspectRun(t, system.NewReal(), p)
	inspectWant(t, "editors", inspectKeys(got), []string{"vscode", "vscode-insiders", "vscodium"})
	inspectWant(t, "vscode", got["vscode"], Seen{
		Path:       filepath.Join(p.Dirs.Config, "Code", "User", "settings.json"),
		Flavor:     "code",
		Extensions: []string{"esbenp.prettier-vscode", "ms-python.debugpy", "visualstudioexptteam.intellicode-api-usage-examples"},
	})
	inspectWant(t, "vscode-insiders", got["vscode-insiders"], Seen{
		Path:       filepath.Join(p.Dirs.Config, "Code - Insiders", "User", "settings.json"),
		Flavor:     "insiders",
		Extensions: []string{"eamodio.gitlens", "ms-dotnettools.csdevkit", "pkief.material-icon-theme"},
	})
	if s := got["vscodium"]; !strings.HasPrefix(s.Problem, oss+":2:7: ") || s.Extensions != nil {
		t.Errorf("vscodium = %+v, want a problem starting %s:2:7", s, oss)
	}
}

// inspectPutOptions writes fixtures into a JetBrains config dir's options/.
func inspectPutOptions(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		jbPut(t, filepath.Join(dir, "options", name), data)
	}
}

func TestInspectJetBrainsNewestVersion(t *testing.T) {
	t.Parallel()
	p := jbHost("linux", t.TempDir())
	older := filepath.Join(p.Dirs.Config, "JetBrains", "PyCharm2023.3")
	inspectPutOptions(t, older, map[string]string{
		"editor-font.xml": jbFixture(t, "editor-font.xml"),
		"other.xml":       jbFixture(t, "other.xml"),
	})
	newest := filepath.Join(p.Dirs.Config, "JetBrains", "PyCharm2024.2")
	files := map[string]string{}
	for _, name := range []string{"colors.scheme.xml", "editor-font.xml", "editor.xml", "ide.general.xml", "laf.xml", "ui.lnf.xml", "window.state.xml"} {
		files[name] = inspectFixture(t, filepath.Join("jetbrains", name))
	}
	inspectPutOptions(t, newest, files)
	jbPut(t, filepath.Join(p.Dirs.Config, "JetBrains", "PyCharm2024.2-backup", "options", "editor.xml"), "<application/>")

	got := inspectRun(t, system.NewReal(), p)
	inspectWant(t, "editors", inspectKeys(got), []string{"pycharm"})
	s := got["pycharm"]
	inspectWant(t, "path", s.Path, newest)
	inspectWant(t, "version", s.Version, "2024.2")
	inspectWant(t, "versions", s.Versions, []string{"2024.2", "2023.3"})
	inspectWant(t, "font", s.Font, &recipe.EditorFont{Family: "CaskaydiaCove Nerd Font", Size: 24, LineSpacing: 1.4, Ligatures: jbBool(true)})
	if s.Problem != "" {
		t.Errorf("problem = %q", s.Problem)
	}
	for key, want := range map[string]string{
		"editor.xml/EditorSettings/USE_SOFT_WRAPS":                "MAIN_EDITOR",
		"editor.xml/EditorSettings/SOFT_WRAP_FILE_MASKS":          "*.md; *.txt; *.rst; *.adoc",
		"editor.xml/DaemonCodeAnalyzerSettings/AUTOREPARSE_DELAY": "0",
		"editor-font.xml/DefaultFont/FONT_FAMILY":                 "CaskaydiaCove Nerd Font",
		"editor-font.xml/DefaultFont/SECONDARY_FONT_FAMILY":       "Cascadia Code",
		"ui.lnf.xml/UISettings/UI_DENSITY":                        "COMPACT",
		"ui.lnf.xml/UISettings/smoothScrolling":                   "false",
	} {
		if s.Options[key] != want {
			t.Errorf("options[%q] = %q, want %q", key, s.Options[key], want)
		}
	}
	// 9 options in editor.xml, 10 in editor-font.xml, 15 in ui.lnf.xml;
	// laf.xml and colors.scheme.xml hold none (their values are
	// attributes of other elements), ide.general.xml and window.state.xml
	// are not read.
	if len(s.Options) != 34 {
		t.Errorf("%d options, want 34:\n%s", len(s.Options), strings.Join(slices.Sorted(maps.Keys(s.Options)), "\n"))
	}
	for key := range s.Options {
		if file, _, _ := strings.Cut(key, "/"); !slices.Contains(jbSeenFiles, file) {
			t.Errorf("option %q is from a file Inspect does not read", key)
		}
	}
}

func TestInspectJetBrainsFont(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, os, key string
		dir           func(p detect.Platform) string
		file, fixture string
		want          *recipe.EditorFont
		wantVersion   string
	}{
		{
			name: "pre-2020 layout, font in editor.xml", os: "linux", key: "pycharm-ce",
			dir:  func(p detect.Platform) string { return filepath.Join(p.Home, ".PyCharmCE2019.3", "config") },
			file: "editor.xml", fixture: filepath.Join("jetbrains", "editor.xml"),
			want:        &recipe.EditorFont{Family: "DejaVu Sans Mono", Size: 12, Ligatures: jbBool(false)},
			wantVersion: "2019.3",
		},
		{
			name: "macOS pre-2020 layout", os: "macos", key: "idea-ce",
			dir:  func(p detect.Platform) string { return filepath.Join(p.Home, "Library", "Preferences", "IdeaIC2019.3") },
			file: "editor.xml", fixture: filepath.Join("jetbrains", "editor.xml"),
			want:        &recipe.EditorFont{Family: "DejaVu Sans Mono", Size: 12, Ligatures: jbBool(false)},
			wantVersion: "2019.3",
		},
		{
			name: "2020.1+ layout, font in editor.xml (2020.x)", os: "macos", key: "goland",
			dir: func(p detect.Platform) string {
				return filepath.Join(p.Home, "Library", "Application Support", "JetBrains", "GoLand2020.3")
			},
			file: "editor.xml", fixture: filepath.Join("jetbrains", "editor.xml"),
			want:        &recipe.EditorFont{Family: "DejaVu Sans Mono", Size: 12, Ligatures: jbBool(false)},
			wantVersion: "2020.3",
		},
		{
			name: "editor-font.xml with a fractional size", os: "windows", key: "idea",
			dir: func(p detect.Platform) string {
				return filepath.Join(p.Home, "AppData", "Roaming", "JetBrains", "IntelliJIdea2024.1")
			},
			file: "editor-font.xml", fixture: filepath.Join("inspect", "jetbrains", "editor-font-fractional.xml"),
			want:        &recipe.EditorFont{Size: 18, Ligatures: jbBool(false)},
			wantVersion: "2024.1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := jbHost(tt.os, t.TempDir())
			dir := tt.dir(p)
			inspectPutOptions(t, dir, map[string]string{tt.file: vscodeGet(t, filepath.Join("testdata", tt.fixture))})
			got := inspectRun(t, system.NewReal(), p)
			inspectWant(t, "editors", inspectKeys(got), []string{tt.key})
			s := got[tt.key]
			inspectWant(t, "path", s.Path, dir)
			inspectWant(t, "version", s.Version, tt.wantVersion)
			inspectWant(t, "font", s.Font, tt.want)
			if s.Problem != "" {
				t.Errorf("problem = %q", s.Problem)
			}
		})
	}
}

func TestInspectJetBrainsBrokenFile(t *testing.T) {
	t.Parallel()
	p := jbHost("linux", t.TempDir())
	dir := filepath.Join(p.Dirs.Config, "JetBrains", "GoLand2024.3")
	inspectPutOptions(t, dir, map[string]string{
		"editor.xml": "<application>\n  <component name=\"EditorSettings\">\n    <option name=\"X\" value=\"1\" />\n</application>\n",
		"ui.lnf.xml": inspectFixture(t, filepath.Join("jetbrains", "ui.lnf.xml")),
	})
	s := inspectRun(t, system.NewReal(), p)["goland"]
	broken := filepath.Join(dir, "options", "editor.xml")
	if !strings.HasPrefix(s.Problem, broken+":4:1: element <component> closed by </application>") {
		t.Errorf("problem = %q, want it to start %s:4:1:", s.Problem, broken)
	}
	if s.Options["ui.lnf.xml/UISettings/UI_DENSITY"] != "COMPACT" || s.Font != nil {
		t.Errorf("ui.lnf.xml not read past the broken file, or a font from nowhere: %+v", s)
	}
}

func TestInspectVim(t *testing.T) {
	t.Parallel()
	luaLines := []string{"set number", "let g:x = [[1]]"}
	tests := []struct {
		name  string
		file  string // under home
		data  string
		key   string
		lines []string
		found bool
		// problem is what Problem starts with, after the file's path.
		problem string
	}{
		{name: "vimrc block", file: ".vimrc", data: vscodeFixture(t, "vim", "vimrc"), key: "vim", lines: []string{"set number", "set tabstop=8"}, found: true},
		{name: "~/.vim/vimrc when alone", file: filepath.Join(".vim", "vimrc"), data: vscodeFixture(t, "vim", "vimrc"), key: "vim", lines: []string{"set number", "set tabstop=8"}, found: true},
		{
			name: "CRLF", file: ".vimrc", key: "vim", found: true, lines: []string{"set number"},
			data: "syntax on\r\n" + VimBegin + "\r\nset number\r\n" + VimEnd + "\r\n",
		},
		{name: "no block", file: ".vimrc", data: "set nocompatible\nsyntax on\n", key: "vim"},
		{
			name: "init.lua, vim.cmd unwrapped", file: filepath.Join(".config", "nvim", "init.lua"), key: "neovim", found: true, lines: luaLines,
			data: "vim.opt.number = true\n\n" + string(vimBlock(VimLuaBegin, VimLuaEnd, luaLines, true, "\n")),
		},
		{
			name: "block without its end", file: filepath.Join(".config", "nvim", "init.vim"), key: "neovim", found: true,
			data: "syntax on\n" + VimBegin + "\nset number\n", problem: ":2: ",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := jbHost("linux", t.TempDir())
			path := filepath.Join(p.Home, tt.file)
			vscodePut(t, path, tt.data)
			got := inspectRun(t, system.NewReal(), p)
			s, found := got[tt.key]
			if found != tt.found {
				t.Fatalf("%s found = %v, want %v (%+v)", tt.key, found, tt.found, got)
			}
			if !found {
				return
			}
			inspectWant(t, "path", s.Path, path)
			inspectWant(t, "lines", s.Lines, tt.lines)
			switch {
			case tt.problem == "" && s.Problem != "":
				t.Errorf("problem = %q, want none", s.Problem)
			case tt.problem != "" && !strings.HasPrefix(s.Problem, path+tt.problem):
				t.Errorf("problem = %q, want it to start %q", s.Problem, path+tt.problem)
			}
		})
	}
}

func TestInspectPlatformPaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		os    string
		files map[string]string // editor key → file under home
	}{
		{"windows", map[string]string{
			"vscode":          filepath.Join("AppData", "Roaming", "Code", "User", "settings.json"),
			"vscode-insiders": filepath.Join("AppData", "Roaming", "Code - Insiders", "User", "settings.json"),
			"sublime":         filepath.Join("AppData", "Roaming", "Sublime Text", "Packages", "User", "Preferences.sublime-settings"),
			"vim":             "_vimrc",
			"neovim":          filepath.Join("Local", "nvim", "init.vim"), // under LOCALAPPDATA, set below
		}},
		{"macos", map[string]string{
			"vscode":   filepath.Join("Library", "Application Support", "Code", "User", "settings.json"),
			"vscodium": filepath.Join("Library", "Application Support", "VSCodium", "User", "settings.json"),
			"sublime":  filepath.Join("Library", "Application Support", "Sublime Text", "Packages", "User", "Preferences.sublime-settings"),
			"vim":      ".vimrc",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.os, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			p := jbHost(tt.os, dir)
			local := filepath.Join(dir, "Local")
			// the environment is the test's, so a test of Windows paths
			// does not depend on the LOCALAPPDATA of the machine it runs on
			sys := systemtest.New(t).WithEnv("LOCALAPPDATA", local)
			want := map[string]string{}
			for key, file := range tt.files {
				path := filepath.Join(p.Home, file)
				if key == "neovim" && tt.os == "windows" {
					path = filepath.Join(dir, file)
				}
				data := `{"editor.fontSize": 14,}`
				if key == "vim" || key == "neovim" {
					data = VimBegin + "\nset number\n" + VimEnd + "\n"
				}
				vscodePut(t, path, data)
				want[key] = path
			}
			got := inspectRun(t, sys, p)
			inspectWant(t, "editors", inspectKeys(got), slices.Sorted(maps.Keys(want)))
			for key, path := range want {
				s := got[key]
				if s.Path != path || s.Problem != "" {
					t.Errorf("%s: path %q, problem %q; want path %q", key, s.Path, s.Problem, path)
				}
			}
		})
	}
}
