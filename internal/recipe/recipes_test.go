package recipe

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
)

// recipesDir holds the recipes envup ships, and any a user adds;
// fragments they include live under recipes/common and are not loaded
// alone.
const recipesDir = "../../recipes"

// shippedHosts are the platforms every recipe under recipes/ must load on.
var shippedHosts = []string{"debian12", "xp", "win7", "lion", "sonoma"}

// effectiveDir holds the goldens: <recipe>.<host>.yml for each recipe
// envup ships and each of shippedHosts.
var effectiveDir = filepath.Join("testdata", "effective")

// recipeFiles returns every recipe directly under recipes/: the ones envup
// ships and any a user put there.
func recipeFiles(t *testing.T) []string {
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
// testdata/effective/<recipe>.<host>.yml when the recipe has goldens.
//
// The goldens, not the folder, say which recipes are envup's own: a user
// may keep a recipe of their own in recipes/ (the README runs the
// commands from there), and go test ./... must still pass for them. Such
// a recipe has no goldens, so it is only loaded, and must load without
// error on every platform, as envup's own must. A golden left without its
// recipe or host fails, so renaming or removing a recipe cannot leave its
// goldens unchecked. With -update (ENVUP_UPDATE=1) every recipe found
// gets its goldens written: that is how a new recipe of envup's joins the
// checked ones (review the diff, as for every update).
func TestRecipesLoad(t *testing.T) {
	t.Parallel()
	goldens, err := filepath.Glob(filepath.Join(effectiveDir, "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	stale := map[string]bool{}
	for _, g := range goldens {
		stale[g] = true
	}
	files := recipeFiles(t)
	checked := map[string]bool{} // recipe names with at least one golden
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yml")
		for _, h := range shippedHosts {
			golden := filepath.Join(effectiveDir, name+"."+h+".yml")
			if stale[golden] {
				checked[name] = true
			}
			delete(stale, golden)
		}
	}
	for g := range stale {
		t.Errorf("%s: a golden for no recipe under recipes/ or no host in shippedHosts; remove it", g)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yml")
		for _, h := range shippedHosts {
			t.Run(name+"/"+h, func(t *testing.T) {
				t.Parallel()
				got := render(t, file, hosts[h])
				golden := filepath.Join(effectiveDir, name+"."+h+".yml")
				if updating() {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				if !checked[name] {
					return // not one of envup's recipes: loading is the test
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
			for _, file := range recipeFiles(t) {
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
