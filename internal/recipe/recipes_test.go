package recipe

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
)

// recipesDir holds the recipes envup ships; fragments they include live
// under recipes/common and are not loaded alone.
const recipesDir = "../../recipes"

// shippedHosts are the platforms every shipped recipe must load on.
var shippedHosts = []string{"debian12", "xp", "win7", "lion", "sonoma"}

func shippedRecipes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(recipesDir, "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no recipes")
	}
	return files
}

// TestRecipesLoad loads every recipe directly under recipes/ on each of
// the shipped platforms, and compares the effective recipe with
// testdata/effective/<recipe>.<host>.yml.
func TestRecipesLoad(t *testing.T) {
	t.Parallel()
	for _, file := range shippedRecipes(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".yml")
		for _, h := range shippedHosts {
			t.Run(name+"/"+h, func(t *testing.T) {
				t.Parallel()
				got := render(t, file, hosts[h])
				golden := filepath.Join("testdata", "effective", name+"."+h+".yml")
				if updating() {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if got != string(want) {
					t.Errorf("effective recipe:\n%s\nwant (%s):\n%s", got, golden, want)
				}
			})
		}
	}
}

// TestStudyHallPlatforms checks what the study-hall lab gets where.
func TestStudyHallPlatforms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		host        string
		python      string
		redis       string
		venvPython  string
		vscode      bool
		redisPinned string // the virtualenv's redis requirement
	}{
		{"debian12", ">= 3.2, < 3.13", "7.2", "/home/kirby/envs/study-hall/bin/python", true, "redis>=4"},
		{"sonoma", ">= 3.2, < 3.13", "7.2", "/Users/kirby/envs/study-hall/bin/python", true, "redis>=4"},
		{"lion", "3.7.6", "7.2", "/Users/kirby/envs/study-hall/bin/python", true, "redis>=4"},
		{"win11", ">= 3.2, < 3.13", "5.0", `C:\Users\kirby\envs\study-hall\Scripts\python.exe`, true, "redis>=4"},
		{"win7", "3.8", "5.0", `C:\Users\kirby\envs\study-hall\Scripts\python.exe`, true, "redis>=4"},
		{"xp", "3.4.4", "5.0", `C:\Documents and Settings\kirby\envs\study-hall\Scripts\python.exe`, false, "redis<4"},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			t.Parallel()
			r, err := Load(filepath.Join(recipesDir, "study-hall.yml"), hosts[tt.host])
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Interpreters["python"].Version; got != tt.python {
				t.Errorf("python version = %q, want %q", got, tt.python)
			}
			if got := r.Services["redis"].Version; got != tt.redis {
				t.Errorf("redis version = %q, want %q", got, tt.redis)
			}
			if got := r.Vars["venv_python"]; got != tt.venvPython {
				t.Errorf("venv_python = %q, want %q", got, tt.venvPython)
			}
			if _, ok := r.Editors["vscode"]; ok != tt.vscode {
				t.Errorf("vscode present = %v, want %v", ok, tt.vscode)
			}
			if got := r.Virtualenvs["study-hall"].Packages; len(got) != 2 || got[1] != tt.redisPinned {
				t.Errorf("virtualenv packages = %q, want [vpython %s]", got, tt.redisPinned)
			}
			for _, f := range r.Files {
				if _, err := os.Stat(r.Abs(f.Source)); err != nil {
					t.Errorf("file source: %v", err)
				}
			}
			if _, err := os.Stat(r.Abs(r.Fonts["DejaVu Sans Mono"].Path)); err != nil {
				t.Errorf("font: %v", err)
			}
		})
	}
}

// TestRecipesOnForeignPlatforms loads the shipped recipes for platforms
// given as --platform gives them (detect.ParsePlatform: Home is "~").
func TestRecipesOnForeignPlatforms(t *testing.T) {
	t.Parallel()
	tests := []struct{ platform, python string }{
		{"linux/debian/12/amd64", ">= 3.2, < 3.13"},
		{"windows/5.1/386", "3.4.4"},
		{"windows/6.1/amd64", "3.8"},
		{"macos/10.7/amd64", "3.7.6"},
		{"macos/14/arm64", ">= 3.2, < 3.13"},
	}
	for _, tt := range tests {
		t.Run(tt.platform, func(t *testing.T) {
			t.Parallel()
			p, err := detect.ParsePlatform(tt.platform)
			if err != nil {
				t.Fatal(err)
			}
			for _, file := range shippedRecipes(t) {
				if _, err := Load(file, p); err != nil {
					t.Errorf("%s: %v", file, err)
				}
			}
			r, err := Load(filepath.Join(recipesDir, "study-hall.yml"), p)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Interpreters["python"].Version; got != tt.python {
				t.Errorf("python version = %q, want %q", got, tt.python)
			}
			if got := r.Virtualenvs["study-hall"].Path; !strings.HasPrefix(got, "~") {
				t.Errorf("virtualenv path = %q, want it under ~ (the platform's home is unknown)", got)
			}
		})
	}
}
