//go:build e2e

package e2e

// The .cmd export of a recipe runs for real under Wine, as Windows XP x64:
// its host check, the python.org installer step and the venv (with a
// stand-in installer and python built here with mingw-w64: Wine 8 cannot
// run Go 1.26 programs), the file and font writes with the font's HKLM
// value, and the recipe's checks. It needs apt wine64 and
// gcc-mingw-w64-x86-64-win32 (.ci/run installs both).

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/export"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
)

const (
	wine64     = "/usr/lib/wine/wine64"
	wineserver = "/usr/lib/wine/wineserver"
	mingwCC    = "x86_64-w64-mingw32-gcc"
	// installerName is python.org's name for the installer the stand-in plays.
	installerName = "python-3.8.10-amd64.exe"
	fontValue     = "DejaVu Sans Mono (TrueType)"
	fontsKey      = `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts`
)

// wineRecipe is the recipe the export is made of. The font comes from the
// repository's recipes/fonts; the file and the wheelhouse are written
// beside the recipe.
const wineRecipe = `envup: 1
name: wine-lab
vars:
  venv: ~/envs/lab
interpreters:
  python:
    version: "3.8.10"
    sources: [archive]
virtualenvs:
  lab:
    path: ${venv}
    python: python
    packages: [demo]
    find_links: [./wheelhouse]
    offline: true
files:
  ~/lab/hello.txt: {source: hello.txt}
fonts:
  DejaVu Sans Mono:
    path: %s
checks:
  - name: python version
    run: ['${venv}\Scripts\python.exe', -c, "import sys; print('%%d.%%d.%%d' %% sys.version_info[:3])"]
    expect: 3.8.10
  - name: demo imports
    run: ['${venv}\Scripts\python.exe', -c, "import demo"]
  - name: the font is registered
    run: [reg, query, '` + fontsKey + `', /v, '` + fontValue + `']
    expect: DejaVuSansMono.ttf
`

const helloText = "hello from the lab\r\n"

func TestExportCmdUnderWine(t *testing.T) {
	if _, err := os.Stat(wine64); err != nil {
		t.Skip("wine64 is not installed (apt-get install wine64)")
	}
	if os.Geteuid() != 0 {
		t.Skip("e2e tests change the machine and run as root")
	}
	work := t.TempDir()
	installer := buildStandIn(t, filepath.Join(work, installerName))
	cat, fetch := standInCatalog(t, installer)
	fontPath, err := filepath.Abs("../recipes/fonts/DejaVuSansMono.ttf")
	if err != nil {
		t.Fatal(err)
	}
	recipeDir := filepath.Join(work, "recipe")
	recipePath := filepath.Join(recipeDir, "wine-lab.yml")
	writeFile(t, recipePath, fmt.Sprintf(wineRecipe, fontPath))
	writeFile(t, filepath.Join(recipeDir, "hello.txt"), helloText)
	writeFile(t, filepath.Join(recipeDir, "wheelhouse", "demo-1.0-py3-none-any.whl"), "a stand-in wheel: the stand-in pip only looks for its name\n")

	// the export for this prefix (XP x64) and one for Windows 7
	xpDir := filepath.Join(work, "usb stick", "xp")
	xp := exportCmd(t, recipePath, "windows/5.2/amd64", xpDir, cat, fetch)
	sevenDir := filepath.Join(work, "usb stick", "seven")
	exportCmd(t, recipePath, "windows/6.1/amd64", sevenDir, cat, fetch)
	t.Logf("the XP x64 export: %d ops, %d files, %.1f kB in all", len(xp.Script.Ops), len(xp.Files), float64(dirSize(t, xpDir))/1e3)

	start := time.Now()
	w := newWinePrefix(t, "winxp64")
	t.Logf("a fresh winxp64 prefix: %.1fs", time.Since(start).Seconds())
	_, profile, _ := w.run(wine64, "cmd", "/c", "echo %USERPROFILE%")
	profile = strings.TrimSpace(profile)
	home := w.unix(profile)
	fontFile := w.unix(`C:\Windows\Fonts\DejaVuSansMono.ttf`)

	// the export for 7 stops on XP x64 before it writes anything
	code, out, d := w.run(wine64, filepath.Join(sevenDir, "setup.cmd"))
	t.Logf("the Windows 7 export on XP x64: exit %d in %.1fs", code, d.Seconds())
	if code != 2 || !strings.Contains(out, "this script is for windows 7 (windows 6.1, amd64); this host says \"Microsoft Windows 5.2.3790\" AMD64") {
		t.Errorf("the Windows 7 export on XP x64: exit %d, want 2 and the hosts named\n%s", code, out)
	}
	for _, p := range []string{filepath.Join(sevenDir, "setup.log"), filepath.Join(home, "lab"), filepath.Join(home, "envs"), filepath.Join(home, "AppData", "Local", "envup"), fontFile} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("the Windows 7 export on XP x64 made %s", p)
		}
	}

	// the XP x64 export runs
	script := filepath.Join(xpDir, "setup.cmd")
	logPath := filepath.Join(xpDir, "setup.log")
	code, out, d = w.run(wine64, script)
	t.Logf("first run: exit %d in %.1fs", code, d.Seconds())
	if code != 0 {
		t.Fatalf("first run: exit %d, want 0\n%s\nsetup.log:\n%s", code, out, readText(t, logPath))
	}
	log := readText(t, logPath)
	for _, want := range sectionLines(xp.Script) {
		if !strings.Contains(log, want) {
			t.Errorf("setup.log lacks the section line %q", want)
		}
	}
	if !strings.Contains(log, "envup setup: done, 3 checks passed") {
		t.Errorf("setup.log does not say the 3 checks passed:\n%s", log)
	}
	if got := readText(t, filepath.Join(home, "lab", "hello.txt")); got != helloText {
		t.Errorf("~/lab/hello.txt holds %q, want %q", got, helloText)
	}
	target := installTarget(t, xp.Script)
	targetDir := w.unix(strings.Replace(target, "~", profile, 1))
	if _, err := os.Stat(filepath.Join(targetDir, "python.exe")); err != nil {
		t.Errorf("the installer's python: %v", err)
	}
	runs := readText(t, filepath.Join(targetDir, "standin-installer.log"))
	for _, want := range []string{"/quiet", "InstallAllUsers=0", `TargetDir=` + strings.Replace(target, "~", profile, 1)} {
		if !strings.Contains(runs, want) {
			t.Errorf("the installer ran without %q: %s", want, runs)
		}
	}
	for _, p := range []string{"pyvenv.cfg", filepath.Join("Scripts", "python.exe"), filepath.Join("Lib", "site-packages", "demo-1.0.dist-info", "METADATA")} {
		if _, err := os.Stat(filepath.Join(home, "envs", "lab", p)); err != nil {
			t.Errorf("the venv: %v", err)
		}
	}
	if got, want := readText(t, fontFile), readText(t, fontPath); got != want {
		t.Errorf("%s is not the recipe's font (%d bytes, want %d)", fontFile, len(got), len(want))
	}
	code, out, _ = w.run(wine64, "reg", "query", fontsKey, "/v", fontValue)
	if code != 0 || !strings.Contains(out, "REG_SZ    DejaVuSansMono.ttf") {
		t.Errorf("reg query %s /v %q: exit %d\n%s", fontsKey, fontValue, code, out)
	}

	// the second run skips what is there and passes its checks again
	code, out, d = w.run(wine64, script)
	t.Logf("second run: exit %d in %.1fs", code, d.Seconds())
	if code != 0 {
		t.Fatalf("second run: exit %d, want 0\n%s", code, out)
	}
	log = readText(t, logPath)
	second := log[strings.LastIndex(log, "=== setup.cmd:"):]
	if n := strings.Count(second, "already there, skipped"); n != 3 {
		t.Errorf("second run: %d sections skipped, want 3 (python, the venv, the font):\n%s", n, second)
	}
	// Wine's fc is a stub, so the script copies the files again rather
	// than compare them, and says so: "same bytes already there: kept" is
	// what a real Windows logs here.
	if !strings.Contains(second, "note: fc /b finds two different files equal here") {
		t.Errorf("second run: the log does not say why the files were copied again:\n%s", second)
	}
	if !strings.Contains(second, "envup setup: done, 3 checks passed") {
		t.Errorf("second run: the checks did not pass:\n%s", second)
	}
	if runs := readText(t, filepath.Join(targetDir, "standin-installer.log")); strings.Count(runs, "\n") != 1 {
		t.Errorf("the installer ran again on the second run: %q", runs)
	}
	if os.Getenv("ENVUP_WINE_LOG") != "" {
		t.Logf("setup.log:\n%s", log)
	}
}

// buildStandIn compiles testdata/export/standin.c into name: the
// installer when its name starts with python-, the python.exe it installs
// (a copy of itself) otherwise.
func buildStandIn(t *testing.T, name string) string {
	t.Helper()
	cc, err := exec.LookPath(mingwCC)
	if err != nil {
		t.Fatalf("%s is not installed (apt-get install gcc-mingw-w64-x86-64-win32): the stand-in installer is a Windows program", mingwCC)
	}
	start := time.Now()
	out, err := exec.CommandContext(t.Context(), cc, "-O2", "-s", "-Wall", "-Werror", "-o", name, filepath.Join("testdata", "export", "standin.c")).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", cc, err, out)
	}
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the stand-in installer: %d bytes, built in %.1fs", fi.Size(), time.Since(start).Seconds())
	return name
}

// standInCatalog is a catalog of python 3.8.10 whose Windows amd64
// installer is the stand-in, and the fetch that serves it. It has no OS
// floors (the built-in catalog's say 3.8 needs Vista): the stand-in runs
// on XP x64.
func standInCatalog(t *testing.T, installer string) (*catalog.Catalog, func(context.Context, string, string) (string, error)) {
	t.Helper()
	data, err := os.ReadFile(installer)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	url := "https://downloads.example.org/" + installerName
	cat, err := catalog.New(catalog.Release{Tool: "python", Version: "3.8.10", Artifacts: []catalog.Artifact{{
		Kind: catalog.KindInstaller, OS: "windows", Arch: "amd64", Origin: "test",
		URL: url, SHA256: hex.EncodeToString(sum[:]),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	fetch := func(_ context.Context, u, _ string) (string, error) {
		if u == url {
			return installer, nil
		}
		return "", fmt.Errorf("%s: not in the test catalog: %w", u, os.ErrNotExist)
	}
	return cat, fetch
}

// exportCmd builds the cmd export of the recipe for platform into dir.
func exportCmd(t *testing.T, recipePath, platform, dir string, cat *catalog.Catalog, fetch func(context.Context, string, string) (string, error)) *export.Export {
	t.Helper()
	p, err := detect.ParsePlatform(platform)
	if err != nil {
		t.Fatal(err)
	}
	r, err := recipe.Load(recipePath, p)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := export.Build(t.Context(), r, p, export.Options{
		Format: "cmd",
		Plan:   install.Options{Catalog: cat},
		Fetch:  fetch,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ex.Write(dir, "cmd"); err != nil {
		t.Fatal(err)
	}
	return ex
}

// sectionLines are the lines the log shows for each section, as the
// writer numbers them.
func sectionLines(s *export.Script) []string {
	var titles []string
	for _, op := range s.Ops {
		if op.Kind != export.Section {
			continue
		}
		title := op.Title
		if op.Resource != "" {
			title = op.Resource + ": " + op.Title
		}
		titles = append(titles, title)
	}
	lines := make([]string, len(titles))
	for i, title := range titles {
		lines[i] = fmt.Sprintf("[%d/%d] %s", i+1, len(titles), title)
	}
	return lines
}

// installTarget is the TargetDir the script gives the installer (~\...).
func installTarget(t *testing.T, s *export.Script) string {
	t.Helper()
	for _, op := range s.Ops {
		if op.Kind != export.Run || !strings.HasSuffix(op.Argv[0], installerName) {
			continue
		}
		for _, a := range op.Argv[1:] {
			if dir, ok := strings.CutPrefix(a, "TargetDir="); ok {
				return dir
			}
		}
	}
	t.Fatalf("the script runs no %s with TargetDir=", installerName)
	return ""
}

func readText(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Errorf("%v", err)
	}
	return string(data)
}

func dirSize(t *testing.T, dir string) int64 {
	t.Helper()
	var size int64
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		size += fi.Size()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return size
}

// winePrefix is a Wine prefix of its own for one test.
type winePrefix struct {
	t    *testing.T
	path string
}

// newWinePrefix makes a prefix set to winver (winxp64, win7); a cleanup
// stops its wineserver and removes Debian's /tmp/wine-XXXXXX socket
// folder, before t.TempDir removes the prefix.
func newWinePrefix(t *testing.T, winver string) *winePrefix {
	t.Helper()
	w := &winePrefix{t: t, path: filepath.Join(t.TempDir(), "prefix")}
	t.Cleanup(w.stop)
	for _, args := range [][]string{{wine64, "wineboot", "-i"}, {wine64, "winecfg", "-v", winver}, {wineserver, "-w"}} {
		if code, out, _ := w.run(args...); code != 0 {
			t.Fatalf("%s: exit %d\n%s", strings.Join(args, " "), code, out)
		}
	}
	return w
}

func (w *winePrefix) env() []string {
	return []string{
		"WINEPREFIX=" + w.path,
		"WINEDEBUG=-all",
		"WINEDLLOVERRIDES=mscoree,mshtml=", // no Mono or Gecko installer
		"HOME=" + os.Getenv("HOME"),
		"PATH=/usr/bin:/bin",
		"LANG=C.UTF-8",
	}
}

func (w *winePrefix) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // in a Cleanup: t.Context is over
	defer cancel()
	k := exec.CommandContext(ctx, wineserver, "-k")
	k.Env = w.env()
	_ = k.Run()
	if b, err := os.ReadFile(filepath.Join(w.path, "wineserver")); err == nil {
		if name := strings.TrimSpace(string(b)); strings.HasPrefix(name, "wine-") && !strings.ContainsAny(name, `/\`) {
			_ = os.RemoveAll(filepath.Join(os.TempDir(), name))
		}
	}
}

// run runs a command in the prefix and returns its exit code, its output
// (stdout and stderr, CRLF as LF) and how long it took. The output goes
// through a file, not a pipe: Wine's helper processes inherit it and keep
// a pipe open after wine64 exits.
func (w *winePrefix) run(args ...string) (int, string, time.Duration) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.t.Context(), 5*time.Minute)
	defer cancel()
	f, err := os.CreateTemp(w.t.TempDir(), "out")
	if err != nil {
		w.t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = w.env()
	cmd.Stdout, cmd.Stderr = f, f
	start := time.Now()
	err = cmd.Run()
	d := time.Since(start)
	code := 0
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		code = exitErr.ExitCode()
	case err != nil:
		w.t.Fatalf("%s: %v", strings.Join(args, " "), err)
	}
	out, err := os.ReadFile(f.Name())
	if err != nil {
		w.t.Fatal(err)
	}
	return code, string(bytes.ReplaceAll(out, []byte("\r\n"), []byte("\n"))), d
}

// unix is where a path on the prefix's drive C is, each part matched
// without regard to case as Windows does (C:\Windows is drive_c/windows).
func (w *winePrefix) unix(win string) string {
	w.t.Helper()
	rest, ok := strings.CutPrefix(strings.ToLower(win), `c:\`)
	if !ok {
		w.t.Fatalf("%s is not on drive C", win)
	}
	rest = win[len(win)-len(rest):]
	dir := filepath.Join(w.path, "drive_c")
	for _, part := range strings.Split(rest, `\`) {
		next := filepath.Join(dir, part)
		if entries, err := os.ReadDir(dir); err == nil {
			for _, e := range entries {
				if strings.EqualFold(e.Name(), part) {
					next = filepath.Join(dir, e.Name())
					break
				}
			}
		}
		dir = next
	}
	return dir
}
