package snapshot

import (
	"strings"
	"testing"

	"github.com/envup/envup/internal/install/editor"
)

// A setting read from a settings file keeps its whole numbers whole: the
// recipe says editor.fontSize: 14, as the file did, not 14.0; a fraction
// stays a float, nested numbers too.
func TestCaptureWholeNumbers(t *testing.T) {
	t.Parallel()
	s := base()
	s.Parts["editors"] = map[string]editor.Seen{"vscode": {Path: "~/.config/Code/User/settings.json", Settings: map[string]string{
		"editor.fontSize":   `14`,
		"editor.lineHeight": `1.5`,
		"window.zoomLevel":  `-1`,
		"big":               `9007199254740993`, // 2^53+1: a float64 would round it
		"written.as.float":  `14.0`,
		"huge":              `1e300`,
		"[python]":          `{"editor.tabSize":4,"editor.rulers":[80,100.5]}`,
		"out.of.range":      `1e400`, // encoding/json refuses it: left out, as before
	}}}
	data, err := s.Capture(CaptureOptions{Name: "seat"}).Recipe.YAML()
	if err != nil {
		t.Fatal(err)
	}
	got := string(data)
	for _, want := range []string{
		"editor.fontSize: 14\n",
		"editor.lineHeight: 1.5\n",
		"window.zoomLevel: -1\n",
		"big: 9007199254740993\n",
		"written.as.float: 14\n",
		"huge: 1e+300\n",
		"editor.tabSize: 4\n",
		"editor.rulers: [80, 100.5]\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the recipe lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "out.of.range") {
		t.Errorf("a number out of range was captured:\n%s", got)
	}
}

// A snapshot writes the home folder in settings as ~, so two users'
// settings compare; a settings file needs a real path, so capture writes
// the home back (issue 14: capture wrote ~ into VS Code's settings).
func TestCaptureSettingsNameRealPaths(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		os, home, want, wantList string
	}{
		{"linux", "/home/ann", "python.defaultInterpreterPath: /home/ann/envs/study-hall/bin/python\n", "python.venvFolders: [/home/ann/envs]\n"},
		{"windows", `C:\Users\ann`, `python.defaultInterpreterPath: C:\Users\ann\envs\study-hall\Scripts\python.exe` + "\n", `python.venvFolders: ['C:\Users\ann\envs']` + "\n"},
	} {
		t.Run(tt.os, func(t *testing.T) {
			t.Parallel()
			s := base()
			s.Platform.OS = tt.os
			interp := `"~/envs/study-hall/bin/python"`
			if tt.os == "windows" {
				interp = `"~\\envs\\study-hall\\Scripts\\python.exe"`
			}
			s.Parts["editors"] = map[string]editor.Seen{"vscode": {Path: "~/.config/Code/User/settings.json", Settings: map[string]string{
				"python.defaultInterpreterPath": interp,
				"python.venvFolders":            `["~/envs"]`,
				"editor.fontFamily":             `"~ not a path"`,
			}}}
			data, err := s.Capture(CaptureOptions{Name: "seat", Home: tt.home}).Recipe.YAML()
			if err != nil {
				t.Fatal(err)
			}
			got := string(data)
			for _, want := range []string{tt.want, tt.wantList, "editor.fontFamily: ~ not a path\n"} {
				if !strings.Contains(got, want) {
					t.Errorf("the recipe lacks %q:\n%s", want, got)
				}
			}
			for _, line := range strings.Split(got, "\n") {
				if strings.Contains(line, "python.") && strings.Contains(line, "~") {
					t.Errorf("a setting still names ~: %s", line)
				}
			}
		})
	}
}
