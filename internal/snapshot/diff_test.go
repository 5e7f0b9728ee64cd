package snapshot

import (
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install/editor"
	"github.com/envup/envup/internal/install/font"
	"github.com/envup/envup/internal/install/interpreter"
	"github.com/envup/envup/internal/install/pkgmgr"
	"github.com/envup/envup/internal/install/service"
	"github.com/envup/envup/internal/install/venv"
	"github.com/envup/envup/internal/recipe"
)

// base is a small machine; each case changes a copy of it.
func base() *Snapshot {
	return &Snapshot{
		Schema:   Schema,
		Platform: detect.Platform{OS: "linux", Version: "12", Name: "debian 12", Arch: "amd64", Libc: detect.Libc{Name: "glibc", Version: "2.36"}, Home: "~"},
		Parts: map[string]any{
			"interpreters": []interpreter.Seen{
				{Tool: "python", Version: "3.11.2", Path: "/usr/bin/python3.11", Origin: "system", Default: true},
			},
			"virtualenvs": []venv.Seen{{
				Name: "study-hall", Path: "~/envs/study-hall", Python: "3.11.2",
				Packages: map[string]string{"redis": "5.0.1", "pip": "23.0.1", "vpython": "7.6.5"},
			}},
			"services": []service.Seen{{Name: "redis", Kind: "redis", Version: "7.0.15", Origin: "envup", Port: 6379, Running: true, Config: map[string]string{"maxmemory": "64mb"}}},
			"fonts":    []font.Seen{{Family: "Akbar", Path: "~/.local/share/fonts/envup/akbar.ttf", SHA256: strings.Repeat("a", 64)}},
			"editors": map[string]editor.Seen{
				"vscode":  {Path: "~/.config/Code/User/settings.json", Settings: map[string]string{"editor.fontFamily": `"Akbar"`, "[python]": `{"editor.tabSize":4,"editor.rulers":[80]}`}},
				"pycharm": {Path: "~/.config/JetBrains/PyCharm2024.3", Version: "2024.3", Font: &recipe.EditorFont{Family: "Akbar", Size: 14}},
			},
			"packages": pkgmgr.Installed{"apt": {"hello": "2.10-3", "git": "1:2.39.5-0+deb12u2"}},
		},
	}
}

// The parts of a snapshot, typed, for a test to change.
func venvs(s *Snapshot) []venv.Seen               { return venv.Part.Of(s.Parts) }
func services(s *Snapshot) []service.Seen         { return service.Part.Of(s.Parts) }
func fonts(s *Snapshot) []font.Seen               { return font.Part.Of(s.Parts) }
func editors(s *Snapshot) map[string]editor.Seen  { return editor.Part.Of(s.Parts) }
func packages(s *Snapshot) pkgmgr.Installed       { return pkgmgr.Part.Of(s.Parts) }
func interpreters(s *Snapshot) []interpreter.Seen { return interpreter.Part.Of(s.Parts) }

func texts(t *testing.T, a, b *Snapshot, ignore ...string) []string {
	t.Helper()
	res, err := Diff(SnapshotSide("a.json", "snapshot", a), SnapshotSide("b.json", "snapshot", b), ignore)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range res.Differences {
		out = append(out, d.Path+" | "+d.Kind+" | "+d.Text)
	}
	if res.Equal != (len(out) == 0) {
		t.Errorf("Equal = %v with %d differences", res.Equal, len(out))
	}
	return out
}

func TestDiffTable(t *testing.T) {
	cases := []struct {
		name   string
		change func(b *Snapshot)
		ignore []string
		want   []string
	}{
		{"equal", func(*Snapshot) {}, nil, nil},
		{"package version", func(b *Snapshot) { venvs(b)[0].Packages["redis"] = "4.6.0" }, nil, []string{
			"virtualenvs/study-hall/packages/redis | changed | venv study-hall: redis 5.0.1 → 4.6.0",
		}},
		{"package only on one side", func(b *Snapshot) {
			delete(venvs(b)[0].Packages, "vpython")
			venvs(b)[0].Packages["numpy"] = "1.26.4"
		}, nil, []string{
			"virtualenvs/study-hall/packages/numpy | only_b | only in B: venv study-hall: numpy 1.26.4",
			"virtualenvs/study-hall/packages/vpython | only_a | only in A: venv study-hall: vpython 7.6.5",
		}},
		{"a whole venv is one difference", func(b *Snapshot) { b.Parts["virtualenvs"] = nil }, nil, []string{
			"virtualenvs/study-hall | only_a | only in A: venv study-hall (~/envs/study-hall, python 3.11.2, 3 packages)",
		}},
		{"default interpreter", func(b *Snapshot) {
			b.Parts["interpreters"] = []interpreter.Seen{
				{Tool: "python", Version: "3.11.2", Path: "/usr/bin/python3.11", Origin: "system"},
				{Tool: "python", Version: "3.12.7", Path: "~/.local/share/envup/python/3.12.7/bin/python3.12", Origin: "envup", Default: true},
			}
		}, nil, []string{
			"interpreters/python/3.12 | only_b | only in B: python 3.12 3.12.7 ~/.local/share/envup/python/3.12.7/bin/python3.12 (envup)",
			"interpreters/python/default | changed | python (default): 3.11.2 /usr/bin/python3.11 ≠ 3.12.7 ~/.local/share/envup/python/3.12.7/bin/python3.12",
		}},
		{"nested setting, written another way, is equal", func(b *Snapshot) {
			editors(b)["vscode"].Settings["[python]"] = `{"editor.rulers": [80], "editor.tabSize": 4}`
		}, nil, nil},
		{"nested setting differs", func(b *Snapshot) {
			editors(b)["vscode"].Settings["[python]"] = `{"editor.tabSize":2,"editor.rulers":[80]}`
			editors(b)["vscode"].Settings["editor.fontFamily"] = `"Consolas"`
		}, nil, []string{
			`editors/vscode/settings/[python] | changed | vscode [python]: {"editor.rulers":[80],"editor.tabSize":4} ≠ {"editor.rulers":[80],"editor.tabSize":2}`,
			`editors/vscode/settings/editor.fontFamily | changed | vscode editor.fontFamily: "Akbar" ≠ "Consolas"`,
		}},
		{"jetbrains font", func(b *Snapshot) {
			editors(b)["pycharm"] = editor.Seen{Version: "2024.3", Font: &recipe.EditorFont{Family: "Akbar", Size: 16}}
		}, nil, []string{
			"editors/pycharm/font/size | changed | pycharm font size: 14 ≠ 16",
		}},
		{"service", func(b *Snapshot) {
			services(b)[0].Running = false
			services(b)[0].Config = map[string]string{"maxmemory": "128mb"}
		}, nil, []string{
			"services/redis/config/maxmemory | changed | service redis: config maxmemory: 64mb ≠ 128mb",
			"services/redis/running | changed | service redis: running: true ≠ false",
		}},
		{"font content", func(b *Snapshot) { fonts(b)[0].SHA256 = strings.Repeat("b", 64) }, nil, []string{
			"fonts/akbar.ttf | changed | font akbar.ttf: Akbar (~/.local/share/fonts/envup/akbar.ttf, sha256 aaaaaaaaaaaa…) ≠ Akbar (~/.local/share/fonts/envup/akbar.ttf, sha256 bbbbbbbbbbbb…)",
		}},
		{"os packages", func(b *Snapshot) {
			packages(b)["apt"]["hello"] = "2.10-4"
			delete(packages(b)["apt"], "git")
		}, nil, []string{
			"packages/apt/git | only_a | only in A: apt git 1:2.39.5-0+deb12u2",
			"packages/apt/hello | changed | apt hello 2.10-3 → 2.10-4",
		}},
		{"platform", func(b *Snapshot) { b.Platform.Container = "docker" }, nil, []string{
			"platform/container | only_b | only in B: platform container docker",
		}},
		{"ignore a subtree and a glob", func(b *Snapshot) {
			packages(b)["apt"]["hello"] = "2.10-4"
			venvs(b)[0].Packages["pip"] = "24.0"
			venvs(b)[0].Packages["redis"] = "4.6.0"
		}, []string{"packages", "virtualenvs/*/packages/pip"}, []string{
			"virtualenvs/study-hall/packages/redis | changed | venv study-hall: redis 5.0.1 → 4.6.0",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := base()
			c.change(b)
			got := texts(t, base(), b, c.ignore...)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

func TestDiffBadIgnore(t *testing.T) {
	_, err := Diff(SnapshotSide("a", "snapshot", base()), SnapshotSide("b", "snapshot", base()), []string{"[a-"})
	if err == nil || !strings.Contains(err.Error(), `--ignore "[a-"`) {
		t.Errorf("err = %v", err)
	}
}

// A recipe side is partial: it compares what it names, by its
// constraints, and says nothing of the rest, unless exact.
func TestDiffRecipe(t *testing.T) {
	r := &recipe.Recipe{
		Path:         "lab.yml",
		Interpreters: map[string]*recipe.Interpreter{"python": {Tool: "python", Version: ">= 3.10"}},
		Virtualenvs: map[string]*recipe.Virtualenv{"study-hall": {
			Path: "/home/ann/envs/study-hall", Python: "python",
			Packages: []string{"redis>=4,<5", "vpython", "numpy"},
		}},
		Services: map[string]*recipe.Service{"redis": {Kind: "redis", Version: "7", Port: 6379, Start: true}},
		Editors:  map[string]*recipe.Editor{"vscode": {Settings: map[string]any{"editor.fontFamily": "Akbar"}}},
		Packages: map[string]*recipe.PackageGroup{"tools": {Managers: map[string][]string{"apt": {"hello", "curl"}, "brew": {"hello"}}}},
	}
	p := detect.Platform{OS: "linux", Home: "/home/ann", Managers: []string{"apt"}}
	want, err := RecipeSide(r, p)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Diff(SnapshotSide("here", "here", base()), want, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range res.Differences {
		got = append(got, d.Path+" | "+d.Text)
	}
	wantLines := []string{
		"packages/apt/curl | apt curl: missing, the recipe wants installed",
		"virtualenvs/study-hall/packages/numpy | venv study-hall: numpy: missing, the recipe wants any version",
		"virtualenvs/study-hall/packages/redis | venv study-hall: redis: 5.0.1, the recipe wants >=4,<5",
	}
	if strings.Join(got, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantLines, "\n"))
	}

	// exact: true is not a difference of its own: apply keeps the
	// dependencies of what the recipe names, which a snapshot cannot tell
	// apart (plan and check list what exact removes).
	r.Packages = nil
	r.Virtualenvs["study-hall"].Exact = true
	r.Virtualenvs["study-hall"].Packages = []string{"redis"}
	want, _ = RecipeSide(r, p)
	res, _ = Diff(SnapshotSide("here", "here", base()), want, nil)
	if !res.Equal {
		t.Errorf("exact venv: %+v", res.Differences)
	}

	// A recipe as side A is said from the machine's side all the same.
	r.Virtualenvs["study-hall"].Packages = []string{"redis==4.6.0", "pywin32==306 ; sys_platform == 'win32'"}
	want, _ = RecipeSide(r, p)
	res, _ = Diff(want, SnapshotSide("b.json", "snapshot", base()), nil)
	if len(res.Differences) != 1 || res.Differences[0].Text != "venv study-hall: redis: 5.0.1, the recipe wants ==4.6.0" {
		t.Errorf("recipe as A (pywin32 is for Windows only): %+v", res.Differences)
	}

	// An interpreter constraint no version meets.
	r.Interpreters["python"].Version = "3.12"
	r.Virtualenvs = nil
	want, _ = RecipeSide(r, p)
	res, _ = Diff(SnapshotSide("here", "here", base()), want, nil)
	if len(res.Differences) != 1 || res.Differences[0].Text != "python: 3.11.2, the recipe wants 3.12" {
		t.Errorf("interpreter: %+v", res.Differences)
	}
}

// What a side could not read is not compared, and a note says so: a
// whole part, one package manager's packages, one font file (too large
// to read), while the rest of the part still is.
func TestDiffSkipped(t *testing.T) {
	t.Parallel()
	a, b := base(), base()
	a.Parts["fonts"] = append(fonts(a), font.Seen{Family: "Huge", Path: "~/.fonts/huge.ttf", SHA256: strings.Repeat("b", 64)})
	fonts(b)[0].SHA256 = strings.Repeat("c", 64)
	packages(b)["apt"]["hello"] = "2.11"
	venvs(b)[0].Packages["redis"] = "4.6.0"
	b.Skipped = []string{
		"fonts: ~/.fonts/huge.ttf: skipped: larger than 512 MiB",
		"packages: apt: needs dpkg-query",
		"virtualenvs: ~/envs: permission denied",
	}
	res, err := Diff(SnapshotSide("a.json", "snapshot", a), SnapshotSide("b.json", "snapshot", b), nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range res.Differences {
		got = append(got, d.Path)
	}
	if want := []string{"fonts/akbar.ttf"}; !slices.Equal(got, want) {
		t.Errorf("differences %q, want %q", got, want)
	}
	wantNotes := []string{
		"fonts/huge.ttf not compared: b.json could not read it",
		"packages/apt not compared: b.json could not read it",
		"virtualenvs not compared: b.json could not read it",
	}
	if !slices.Equal(res.Notes, wantNotes) {
		t.Errorf("notes %q, want %q", res.Notes, wantNotes)
	}
}
