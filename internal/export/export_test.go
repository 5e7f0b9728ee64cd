package export

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// standIns are the test catalog's files: small stand-ins named like the
// real ones, so the exports name what a real export would.
var standIns = map[string]catalog.Artifact{
	"python-3.4.4.msi":        {Kind: catalog.KindInstaller, OS: "windows", Arch: "386"},
	"python-3.8.10-amd64.exe": {Kind: catalog.KindInstaller, OS: "windows", Arch: "amd64"},
	"Python-3.7.6.tar.xz":     {Kind: catalog.KindSource},
	"Python-3.12.13.tar.xz":   {Kind: catalog.KindSource},
	"redis-7.2.15.tar.gz":     {Kind: catalog.KindSource},
	"Redis-x64-5.0.14.1.zip":  {Kind: catalog.KindArchive, OS: "windows", Arch: "amd64"},
}

// testCatalog is python 3.4.4 (XP's msi), 3.8.10 (7's installer), 3.7.6
// and 3.12.13 (sources), redis 7.2.15 (source) and the Windows port
// 5.0.14.1: each pinned to a stand-in file, served by fetch from dir.
func testCatalog(t *testing.T, dir string) (*catalog.Catalog, func(context.Context, string, string) (string, error)) {
	t.Helper()
	byURL := map[string]string{}
	art := func(name string) catalog.Artifact {
		data := []byte("stand-in " + name + "\n")
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		a := standIns[name]
		a.URL = "https://downloads.example.org/" + name
		a.SHA256 = hex.EncodeToString(sum[:])
		a.Origin = "test"
		byURL[a.URL] = filepath.Join(dir, name)
		return a
	}
	c, err := catalog.New(
		catalog.Release{Tool: "python", Version: "3.4.4", Artifacts: []catalog.Artifact{art("python-3.4.4.msi")}},
		catalog.Release{Tool: "python", Version: "3.7.6", Artifacts: []catalog.Artifact{art("Python-3.7.6.tar.xz")}},
		catalog.Release{Tool: "python", Version: "3.8.10", Artifacts: []catalog.Artifact{art("python-3.8.10-amd64.exe")}},
		catalog.Release{Tool: "python", Version: "3.12.13", Artifacts: []catalog.Artifact{art("Python-3.12.13.tar.xz")}},
		catalog.Release{Tool: "redis", Version: "7.2.15", Artifacts: []catalog.Artifact{art("redis-7.2.15.tar.gz")}},
		catalog.Release{Tool: "redis", Version: "5.0.14.1", Artifacts: []catalog.Artifact{art("Redis-x64-5.0.14.1.zip")}},
	)
	if err != nil {
		t.Fatal(err)
	}
	fetch := func(_ context.Context, url, _ string) (string, error) {
		if p, ok := byURL[url]; ok {
			return p, nil
		}
		return "", os.ErrNotExist
	}
	return c, fetch
}

// The study-hall recipe exported for Windows XP, Windows 7, OS X Lion and
// Debian 7 with the test catalog: each script and its file list are kept
// as golden files (go test ./internal/export -update rewrites them).
func TestStudyHallGolden(t *testing.T) {
	cases := []struct{ name, platform, format string }{
		{"xp", "windows/5.1/386", "cmd"},
		{"win7", "windows/6.1/amd64", "cmd"},
		{"win7", "windows/6.1/amd64", "ps1"},
		{"lion", "macos/10.7/amd64", "sh"},
		{"debian7", "linux/debian/7/amd64", "sh"},
	}
	for _, c := range cases {
		t.Run(c.name+"."+c.format, func(t *testing.T) {
			cat, fetch := testCatalog(t, t.TempDir())
			p, err := detect.ParsePlatform(c.platform)
			if err != nil {
				t.Fatal(err)
			}
			r, err := recipe.Load("../../recipes/study-hall.yml", p)
			if err != nil {
				t.Fatal(err)
			}
			ex, err := Build(context.Background(), r, p, Options{
				Format: c.format,
				Plan:   install.Options{Catalog: cat},
				Fetch:  fetch,
			})
			if err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			if err := ex.Write(out, c.format); err != nil {
				t.Fatal(err)
			}
			script, err := os.ReadFile(filepath.Join(out, "setup."+c.format))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range ex.Files {
				names = append(names, f.Name)
			}
			slices.Sort(names)
			got := map[string][]byte{
				"study-hall-" + c.name + "." + c.format:            script,
				"study-hall-" + c.name + "." + c.format + ".files": []byte(strings.Join(names, "\n") + "\n"),
			}
			for name, data := range got {
				golden := filepath.Join("testdata", "golden", name)
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, data, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./internal/export -update)", err)
				}
				if string(want) != string(data) {
					t.Errorf("%s differs from its golden file (go test ./internal/export -run TestStudyHallGolden -update, then read the diff)", name)
				}
			}
		})
	}
}

// A step with no script form is an error naming the resource, never a
// step left out: sh cannot be made for Windows, ps1 not for XP.
func TestExportRefuses(t *testing.T) {
	cat, fetch := testCatalog(t, t.TempDir())
	for platform, format := range map[string]string{"windows/5.1/386": "ps1", "macos/10.7/amd64": "cmd", "windows/6.1/amd64": "sh"} {
		p, _ := detect.ParsePlatform(platform)
		r, err := recipe.Load("../../recipes/study-hall.yml", p)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Build(context.Background(), r, p, Options{Format: format, Plan: install.Options{Catalog: cat}, Fetch: fetch})
		if err == nil {
			t.Errorf("%s for %s: no error", format, platform)
		}
	}
}

// A registry step (a font's value) is a reg add in cmd and ps1, as the
// scripts ran it before the value was a step of its own; an HKLM value
// needs an administrator, as the step's intent says (the font records
// it); sh has no registry and no export has a hard link.
func TestRegistryAndHardLinkSteps(t *testing.T) {
	t.Parallel()
	const fonts = `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts`
	hklm := system.Intent{Admin: "it writes to HKEY_LOCAL_MACHINE"}
	tests := []struct {
		name   string
		format string
		step   system.Step
		argv   string // the Run op's argv, joined by "|"
		admin  bool
		err    string
	}{
		{
			name: "a font for all users", format: "cmd",
			step: system.Step{Verb: "registry", Target: fonts, Name: "DejaVu Sans Mono (TrueType)", Data: []byte("DejaVuSansMono.ttf"), Intent: hklm},
			argv: "reg|add|" + fonts + "|/v|DejaVu Sans Mono (TrueType)|/t|REG_SZ|/d|DejaVuSansMono.ttf|/f", admin: true,
		},
		{
			name: "the spelled-out root", format: "ps1",
			step: system.Step{Verb: "registry", Target: `HKEY_LOCAL_MACHINE\SOFTWARE\Envup`, Name: "x", Data: []byte("y"), Intent: hklm},
			argv: `reg|add|HKEY_LOCAL_MACHINE\SOFTWARE\Envup|/v|x|/t|REG_SZ|/d|y|/f`, admin: true,
		},
		{
			name: "an expandable user value", format: "ps1",
			step: system.Step{Verb: "registry", Target: `HKCU\Environment`, Name: "Path", Data: []byte(`%USERPROFILE%\bin`), Expand: true},
			argv: `reg|add|HKCU\Environment|/v|Path|/t|REG_EXPAND_SZ|/d|%USERPROFILE%\bin|/f`,
		},
		{
			name: "sh has no registry", format: "sh",
			step: system.Step{Verb: "registry", Target: `HKCU\Environment`, Name: "Path", Data: []byte("x")},
			err:  `a registry value (HKCU\Environment\Path) has no sh form: only Windows has a registry`,
		},
		{
			name: "a hard link", format: "cmd",
			step: system.Step{Verb: "hardlink", Target: `~\AppData\Local\envup\bin\python.exe`, From: `~\AppData\Local\envup\bin\envup.exe`},
			err:  `a hard link (~\AppData\Local\envup\bin\python.exe) has no cmd form`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			windows := tt.format != "sh"
			b := &builder{
				ctx: t.Context(), opts: Options{Format: tt.format}, windows: windows,
				names: map[string]bool{}, downloads: map[string]string{},
				ex: &Export{Script: &Script{}},
			}
			err := b.step("font/x", tt.step)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Errorf("err = %v\nwant %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ops := b.ex.Script.Ops
			if len(ops) != 1 || ops[0].Kind != Run || strings.Join(ops[0].Argv, "|") != tt.argv {
				t.Errorf("ops = %+v\nwant one run of %s", ops, tt.argv)
			}
			if got := needsAdmin([]system.Step{tt.step}) != ""; got != tt.admin {
				t.Errorf("needs an administrator: %v, want %v", got, tt.admin)
			}
		})
	}
}
