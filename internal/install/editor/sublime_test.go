package editor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

func TestSublimePaths(t *testing.T) {
	t.Parallel()
	tests := []struct{ os, config, want string }{
		{"linux", "/home/ada/.config", "/home/ada/.config/sublime-text/Packages/User/Preferences.sublime-settings"},
		{"macos", "/Users/ada/Library/Application Support", "/Users/ada/Library/Application Support/Sublime Text/Packages/User/Preferences.sublime-settings"},
		{"windows", `C:\Users\ada\AppData\Roaming`, `C:\Users\ada\AppData\Roaming\Sublime Text\Packages\User\Preferences.sublime-settings`},
	}
	for _, tt := range tests {
		t.Run(tt.os, func(t *testing.T) {
			t.Parallel()
			r, err := NewSublime(&recipe.Editor{}, detect.Platform{OS: tt.os, Dirs: detect.Dirs{Config: tt.config}})
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Path(); got != tt.want {
				t.Errorf("path = %q, want %q", got, tt.want)
			}
			if r.ID().String() != "editor/sublime" {
				t.Errorf("ID = %q", r.ID())
			}
		})
	}
}

func TestSublimeSettings(t *testing.T) {
	t.Parallel()
	p := vscodeHost(t.TempDir())
	path := filepath.Join(p.Dirs.Config, "sublime-text", "Packages", "User", "Preferences.sublime-settings")
	user := vscodeFixture(t, "sublime", "Preferences.sublime-settings")
	vscodePut(t, path, user)
	r, err := NewSublime(&recipe.Editor{Settings: map[string]any{
		"font_face": "DejaVu Sans Mono", "font_size": 14, "translate_tabs_to_spaces": true,
	}}, p)
	if err != nil {
		t.Fatal(err)
	}
	vscodeWant(t, vscodeConverge(t, r, system.NewReal()), []string{
		`+ font_face: absent → "DejaVu Sans Mono"`,
		"~ font_size: 11 → 14",
		"+ translate_tabs_to_spaces: absent → true",
	})
	want := strings.Replace(user, `"font_size": 11,`, `"font_size": 14,`, 1)
	want = strings.Replace(want, "// the lab's screens are dark\n}", "// the lab's screens are dark\n"+
		"\t\"font_face\": \"DejaVu Sans Mono\",\n\t\"translate_tabs_to_spaces\": true,\n}", 1)
	if got := vscodeGet(t, path); got != want {
		t.Errorf("preferences:\n%s\nwant:\n%s", got, want)
	}
	if got := vscodeGet(t, path+".envup-backup"); got != user {
		t.Errorf("backup = %q", got)
	}
	// Nothing left to do: the file is not touched again.
	before, _ := os.Stat(path)
	vscodeConverge(t, r, system.NewReal())
	if after, _ := os.Stat(path); !after.ModTime().Equal(before.ModTime()) {
		t.Error("an unchanged file was rewritten")
	}
}
