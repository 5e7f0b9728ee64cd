package lock

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

const labRecipe = `envup: 1
interpreters:
  python: {version: "3.12", sources: [archive, build]}
services:
  redis: {version: "7.2"}
platforms:
  - when: windows <= 6.1
    interpreters:
      python: {version: "3.8", sources: [archive]}
`

func loadFor(t *testing.T, text, platform string) (*recipe.Recipe, detect.Platform) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "lab.yml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := detect.ParsePlatform(platform)
	if err != nil {
		t.Fatal(err)
	}
	r, err := recipe.Load(path, p)
	if err != nil {
		t.Fatal(err)
	}
	return r, p
}

func resolve(t *testing.T, platform string) *Platform {
	t.Helper()
	r, p := loadFor(t, labRecipe, platform)
	lp, err := Resolve(context.Background(), r, p, install.Options{}, system.NewReal(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return lp
}

// A lock for several platforms is written the same way every time, and
// holds each platform's own versions and files.
func TestLockStable(t *testing.T) {
	build := func() []byte {
		f := &File{Schema: Schema, Recipe: "lab.yml", Platforms: map[string]*Platform{}}
		for _, p := range []string{"windows/6.1/amd64", "linux/debian/12/amd64", "macos/14.0/arm64"} {
			f.Platforms[p] = resolve(t, p)
		}
		data, err := f.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	first := build()
	for range 5 {
		if again := build(); !bytes.Equal(first, again) {
			t.Fatalf("two locks of one recipe differ:\n%s\n---\n%s", first, again)
		}
	}
	if !strings.Contains(string(first), `"version": "3.8.10"`) || !strings.Contains(string(first), `"version": "3.12.`) {
		t.Errorf("lock lacks the platforms' own pythons:\n%s", first)
	}
	back := readBack(t, first)
	if again, _ := back.Bytes(); !bytes.Equal(first, again) {
		t.Errorf("read and written again, the lock changed")
	}
}

// A lock made with entries for Windows 7 and Debian, read on a Debian
// host, gives Debian's entry only; the recipe is pinned to its versions.
func TestLockForHost(t *testing.T) {
	f := &File{Schema: Schema, Platforms: map[string]*Platform{
		"windows/6.1/amd64":     resolve(t, "windows/6.1/amd64"),
		"linux/debian/12/amd64": resolve(t, "linux/debian/12/amd64"),
	}}
	host := detect.Platform{OS: "linux", Arch: "amd64", Distro: detect.Distro{ID: "debian", Version: "12"}}
	key, lp := f.For(host)
	if key != "linux/debian/12/amd64" {
		t.Fatalf("For(debian host) = %q", key)
	}
	for id, r := range lp.Resources {
		for _, a := range r.Artifacts {
			if strings.Contains(a.Name, "windows") || strings.HasSuffix(a.Name, ".exe") || strings.HasSuffix(a.Name, ".zip") {
				t.Errorf("%s: the Debian entry holds a Windows file %s", id, a.Name)
			}
		}
	}
	r, _ := loadFor(t, labRecipe, "linux/debian/12/amd64")
	own := r.Interpreters["python"].Version
	lp.Pin(r)
	if got := r.Interpreters["python"].Version; got != lp.Resources["interpreter/python"].Version || !strings.HasPrefix(got, "3.12.") {
		t.Errorf("pinned python %q", got)
	}
	if got := r.Interpreters["python"].Unpinned; got != own {
		t.Errorf("pinned python keeps %q as the recipe's own version, want %q", got, own)
	}

	win := detect.Platform{OS: "windows", Arch: "amd64", Version: "6.1.7601"}
	if key, _ := f.For(win); key != "windows/6.1/amd64" {
		t.Errorf("For(windows 6.1.7601) = %q, want the 6.1 entry", key)
	}
	win.Server = true
	if key, lp := f.For(win); lp != nil {
		t.Errorf("For(windows server 2008 R2) = %q, want none (a client entry)", key)
	}
	f.Platforms["windows/10.0.19045/amd64"] = f.Platforms["windows/6.1/amd64"]
	f.Platforms["macos/14/arm64"] = f.Platforms["windows/6.1/amd64"]
	for host, want := range map[string]string{
		"windows/10.0.22631/amd64": "windows/10.0.19045/amd64",
		"macos/14.5/arm64":         "macos/14/arm64",
	} {
		hp, err := detect.ParsePlatform(host)
		if err != nil {
			t.Fatal(err)
		}
		if key, _ := f.For(hp); key != want {
			t.Errorf("For(%s) = %q, want %q", host, key, want)
		}
	}
	if key, lp := f.For(detect.Platform{OS: "macos", Arch: "arm64", Version: "13.6.1"}); lp != nil {
		t.Errorf("For(macos) = %q, want none", key)
	}
}

// Lacks names a file the plan would fetch that the lock does not hold.
func TestLacks(t *testing.T) {
	lp := resolve(t, "linux/debian/12/amd64")
	r, p := loadFor(t, labRecipe, "linux/debian/12/amd64")
	p.Foreign = true
	pl, err := plan.Build(r, p, install.Options{})
	if err != nil {
		t.Fatal(err)
	}
	outcomes := plan.Observe(context.Background(), system.Absent{}, pl.Resources)
	if lacks := lp.Lacks(outcomes, system.NewReal()); len(lacks) != 0 {
		t.Errorf("a fresh lock lacks %v", lacks)
	}
	py := lp.Resources["interpreter/python"]
	py.Artifacts = []install.Artifact{{Name: "other.tar.gz", SHA256: strings.Repeat("0", 64)}}
	lp.Resources["interpreter/python"] = py
	delete(lp.Resources, "service/redis")
	lacks := lp.Lacks(outcomes, system.NewReal())
	if len(lacks) != 2 || !strings.Contains(lacks[0], "interpreter/python: cpython-3.12") || lacks[1] != "service/redis: not in the lock" {
		t.Errorf("lacks %q", lacks)
	}
}

// Digest changes with the effective recipe, so a stale lock is seen.
func TestDigestFollowsRecipe(t *testing.T) {
	a, p := loadFor(t, labRecipe, "linux/debian/12/amd64")
	b, _ := loadFor(t, strings.Replace(labRecipe, `"7.2"`, `"7.0"`, 1), "linux/debian/12/amd64")
	da, _ := Digest(a.Path, p)
	db, _ := Digest(b.Path, p)
	if da == db {
		t.Error("two recipes, one digest")
	}
	// Another user's home, and the recipe's folder moved: the same recipe.
	text := labRecipe + "files:\n  ~/lab/README.txt: {content: hi}\n"
	c, _ := loadFor(t, text, "linux/debian/12/amd64")
	ann, bob := p, p
	ann.Home, bob.Home = "/home/ann", "/home/annie"
	d1, _ := Digest(c.Path, ann)
	moved, _ := loadFor(t, text, "linux/debian/12/amd64")
	d2, _ := Digest(moved.Path, bob)
	if d1 != d2 {
		t.Error("the digest depends on the home folder or where the recipe lies")
	}
}

// A venv's seed is pinned as optional (the catalog's pip wheel), counted
// apart from the files it needs, and read back as written; a wheelhouse
// holding a pip wheel of its own pins none.
func TestOptionalSeed(t *testing.T) {
	const text = `envup: 1
interpreters:
  python: {version: "3.12", sources: [archive]}
virtualenvs:
  lab: {path: ~/envs/lab, packages: [alpha], find_links: [wheelhouse], offline: true}
`
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "wheelhouse"), 0o755); err != nil {
		t.Fatal(err)
	}
	// The wheel's bytes do not matter here: the lock reads its digest.
	if err := os.WriteFile(filepath.Join(dir, "wheelhouse", "alpha-1.0-py3-none-any.whl"), []byte("alpha"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lab.yml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := detect.ParsePlatform("linux/debian/12/amd64")
	if err != nil {
		t.Fatal(err)
	}
	r, err := recipe.Load(filepath.Join(dir, "lab.yml"), p)
	if err != nil {
		t.Fatal(err)
	}
	lp, err := Resolve(context.Background(), r, p, install.Options{}, system.NewReal(), nil)
	if err != nil {
		t.Fatal(err)
	}
	venv := lp.Resources["virtualenv/lab"]
	var pip *install.Artifact
	for i, a := range venv.Artifacts {
		if strings.HasPrefix(a.Name, "pip-") {
			pip = &venv.Artifacts[i]
		}
	}
	if pip == nil || !pip.Optional || pip.Instead == "" || !strings.HasPrefix(pip.URL, "https://files.pythonhosted.org/") || len(pip.SHA256) != 64 {
		t.Fatalf("virtualenv/lab pins %+v, want the catalog's pip wheel, optional", venv.Artifacts)
	}
	if lp.OptionalFiles() != 1 || lp.Files() != 2 || !strings.HasSuffix(lp.Summary(), "; 2 files and 1 optional") {
		t.Errorf("Files %d, OptionalFiles %d, Summary %q: want 2 (python, alpha) and 1", lp.Files(), lp.OptionalFiles(), lp.Summary())
	}
	f := &File{Schema: Schema, Recipe: "lab.yml", Platforms: map[string]*Platform{p.String(): lp}}
	data, err := f.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"optional": true`) {
		t.Errorf("the lock does not say the pip wheel is optional:\n%s", data)
	}
	back := readBack(t, data)
	if got := back.Platforms[p.String()].OptionalFiles(); got != 1 {
		t.Errorf("read back, the lock has %d optional files, want 1", got)
	}

	// A lock made before the seed was pinned still holds for --locked.
	p.Foreign = true
	pl, err := plan.Build(r, p, install.Options{})
	if err != nil {
		t.Fatal(err)
	}
	outcomes := plan.Observe(context.Background(), system.Absent{}, pl.Resources)
	if lacks := lp.Lacks(outcomes, system.NewReal()); len(lacks) != 0 {
		t.Errorf("the lock lacks %v", lacks)
	}
	venv.Artifacts = slices.DeleteFunc(venv.Artifacts, func(a install.Artifact) bool { return a.Optional })
	lp.Resources["virtualenv/lab"] = venv
	if lacks := lp.Lacks(outcomes, system.NewReal()); len(lacks) != 0 {
		t.Errorf("without the optional pip wheel, the lock lacks %v", lacks)
	}
	venv.Artifacts = nil
	lp.Resources["virtualenv/lab"] = venv
	if lacks := lp.Lacks(outcomes, system.NewReal()); len(lacks) != 1 || !strings.Contains(lacks[0], "alpha-1.0-py3-none-any.whl") {
		t.Errorf("without the wheelhouse's wheel, the lock lacks %q", lacks)
	}

	if err := os.WriteFile(filepath.Join(dir, "wheelhouse", "pip-23.3.2-py3-none-any.whl"), []byte("pip"), 0o644); err != nil {
		t.Fatal(err)
	}
	lp, err = Resolve(context.Background(), r, p, install.Options{}, system.NewReal(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := lp.OptionalFiles(); n != 0 {
		t.Errorf("with a pip wheel in the wheelhouse, %d optional files: want none", n)
	}
}

// readBack writes data as a lock file and reads it back.
func readBack(t *testing.T, data []byte) *File {
	t.Helper()
	path := filepath.Join(t.TempDir(), "lab.yml.lock")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return back
}
