package inventory

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/state"
)

// windowsHost lays out a Windows 11 host, answering its commands from a
// table: `py -0p` with the 3.11+ launcher's output (testdata), and each
// python.exe's version.
func windowsHost(t *testing.T, launcherOutput string) (*fakeHost, detect.Platform) {
	t.Helper()
	f := newFakeHost(t, true)
	local := `C:\Users\x\AppData\Local`
	f.WithEnv("LOCALAPPDATA", local)
	f.WithEnv("APPDATA", `C:\Users\x\AppData\Roaming`)
	f.WithEnv("ProgramFiles", `C:\Program Files`)
	f.WithEnv("ProgramFiles(x86)", `C:\Program Files (x86)`)
	f.WithEnv("SystemDrive", "C:")
	f.WithEnv("PATH", strings.Join([]string{
		local + `\Programs\Python\Python312\`,
		local + `\Programs\Python\Python312\Scripts\`,
		local + `\Microsoft\WindowsApps`,
		`C:\Users\x\scoop\shims`,
		`"C:\Program Files\nodejs\"`,
		`C:\Windows\system32`,
	}, ";"))

	pythons := []struct{ exe, version string }{
		{local + `\Programs\Python\Python312\python.exe`, "3.12.4"},
		{local + `\Programs\Python\Python38-32\python.exe`, "3.8.10"},
		{`C:\Python27\python.exe`, "2.7.18"},
		{`C:\Tools\Py311\python.exe`, "3.11.9"},
		{`C:\Users\x\anaconda3\python.exe`, "3.9.12"},
		{`C:\Users\x\AppData\Roaming\uv\python\cpython-3.13.1-windows-x86_64-none\python.exe`, "3.13.1"},
		{`C:\Users\x\AppData\Roaming\uv\data\python\cpython-3.12.8-windows-x86_64-none\python.exe`, "3.12.8"},
		{`C:\Users\x\.pyenv\pyenv-win\versions\3.10.11\python.exe`, "3.10.11"},
		{local + `\Microsoft\WindowsApps\python.exe`, ""},
		{`C:\Users\x\scoop\shims\python.exe`, ""},
	}
	for _, py := range pythons {
		f.file(py.exe, "MZ", 0o644)
		if py.version != "" {
			f.answer(py.version+"\r\n", py.exe, "-E", "-S", "-c", pythonVersion)
		}
	}
	f.file(local+`\Programs\Python\Python312\pythonw.exe`, "MZ", 0o644)
	nodes := map[string]string{
		`C:\Program Files\nodejs\node.exe`:                 "20.11.0",
		`C:\Users\x\AppData\Roaming\nvm\v18.19.0\node.exe`: "18.19.0",
	}
	for exe, v := range nodes {
		f.file(exe, "MZ", 0o644)
		f.answer("v"+v+"\r\n", exe, "--version")
	}

	f.file(`C:\Windows\py.exe`, "MZ", 0o644)
	f.WithPath("py", `C:\Windows\py.exe`)
	f.answer(launcherOutput, `C:\Windows\py.exe`, "-0p")

	p := detect.Platform{
		OS: "windows", Version: "10.0.22631", Arch: "amd64", Home: `C:\Users\x`,
		Managers: []string{"winget"},
		Dirs:     detect.Dirs{Data: local + `\envup`},
	}
	return f, p
}

func TestFindWindows(t *testing.T) {
	t.Parallel()
	launcher2 := testdata(t, "py-0p-launcher2.txt")
	tests := []struct {
		tool string
		want []Interpreter
	}{
		{"python", []Interpreter{
			{`C:\Users\x\AppData\Roaming\uv\python\cpython-3.13.1-windows-x86_64-none\python.exe`, "3.13.1", OriginUV},
			{`C:\Users\x\AppData\Roaming\uv\data\python\cpython-3.12.8-windows-x86_64-none\python.exe`, "3.12.8", OriginUV},
			{`C:\Users\x\AppData\Local\Programs\Python\Python312\python.exe`, "3.12.4", OriginPythonOrg},
			{`C:\Tools\Py311\python.exe`, "3.11.9", OriginRegistry},
			{`C:\Users\x\.pyenv\pyenv-win\versions\3.10.11\python.exe`, "3.10.11", OriginPyenv},
			{`C:\Users\x\anaconda3\python.exe`, "3.9.12", OriginRegistry},
			{`C:\Users\x\AppData\Local\Programs\Python\Python38-32\python.exe`, "3.8.10", OriginPythonOrg},
			{`C:\Python27\python.exe`, "2.7.18", OriginPythonOrg},
		}},
		{"node", []Interpreter{
			{`C:\Program Files\nodejs\node.exe`, "20.11.0", OriginSystem},
			{`C:\Users\x\AppData\Roaming\nvm\v18.19.0\node.exe`, "18.19.0", OriginNvm},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.tool, func(t *testing.T) {
			t.Parallel()
			f, p := windowsHost(t, launcher2)
			memo := state.NewMemo(nil)
			got, err := Find(t.Context(), f, tt.tool, p, memo)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Find(%s):\n%s\nwant:\n%s", tt.tool, show(got), show(tt.want))
			}
			// Each python.exe ran once, the launcher once for python.
			wantSpawns := int64(len(tt.want))
			if tt.tool == "python" {
				wantSpawns++
			}
			if n := f.spawns.Load(); n != wantSpawns {
				t.Errorf("spawned %d, want %d: %v", n, wantSpawns, f.commands())
			}

			// Nothing changed: the launcher is not asked again either.
			f.spawns.Store(0)
			again, err := Find(t.Context(), f, tt.tool, p, memo)
			if err != nil {
				t.Fatal(err)
			}
			if n := f.spawns.Load(); n != 0 || !slices.Equal(again, got) {
				t.Errorf("second Find spawned %d (want 0) and found:\n%s", n, show(again))
			}
		})
	}
}

// TestFindWindowsLauncherAsksAgain checks that a new per-user install
// makes the launcher's remembered answer stale.
func TestFindWindowsLauncherAsksAgain(t *testing.T) {
	t.Parallel()
	f, p := windowsHost(t, testdata(t, "py-0p-launcher2.txt"))
	f.age()
	memo := state.NewMemo(nil)
	if _, err := Find(t.Context(), f, "python", p, memo); err != nil {
		t.Fatal(err)
	}
	f.commands()
	exe := `C:\Users\x\AppData\Local\Programs\Python\Python313\python.exe`
	f.file(exe, "MZ", 0o644)
	f.answer("3.13.2\r\n", exe, "-E", "-S", "-c", pythonVersion)
	got, err := Find(t.Context(), f, "python", p, memo)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`C:\Users\x\AppData\Local\Programs\Python\Python313\python.exe -E -S -c ` + pythonVersion, `C:\Windows\py.exe -0p`}
	if cmds := f.commands(); !slices.Equal(cmds, want) {
		t.Errorf("ran %q, want %q", cmds, want)
	}
	if got[0].Version != "3.13.2" || got[0].Origin != OriginPythonOrg {
		t.Errorf("newest = %+v", got[0])
	}
}

func TestParsePyList(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want []string
	}{
		{"py-0p-launcher2.txt", []string{
			`C:\Users\x\AppData\Local\Programs\Python\Python312\python.exe`,
			`C:\Tools\Py311\python.exe`,
			`C:\Users\x\AppData\Local\Programs\Python\Python38-32\python.exe`,
			`C:\Users\x\anaconda3\python.exe`,
		}},
		{"py-0p-launcher.txt", []string{
			`C:\Users\x\AppData\Local\Programs\Python\Python38\python.exe`,
			`C:\Program Files (x86)\Python37-32\python.exe`,
			`C:\Python27\python.exe`,
		}},
		{"py-0p-launcher-console.txt", []string{
			`C:\Users\x\AppData\Local\Programs\Python\Python38\python.exe`,
			`C:\Program Files (x86)\Python37-32\python.exe`,
			`C:\Python27\python.exe`,
		}},
		{"py-0p-none.txt", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			if got := parsePyList(testdata(t, tt.file)); !slices.Equal(got, tt.want) {
				t.Errorf("parsePyList:\n%q\nwant:\n%q", got, tt.want)
			}
		})
	}
}

func TestParsePyListLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want []string
	}{
		// An executable with arguments (a registration's ExecutableArguments).
		{` -V:Company/Tag    C:\Py\python.exe -X utf8`, []string{`C:\Py\python.exe`}},
		// No executable registered: the install folder.
		{` -V:3.10           C:\Python310\`, []string{`C:\Python310\python.exe`}},
		// An active virtual environment is no installed python.
		{` (venv)         C:\work\.venv\Scripts\python.exe`, nil},
		{` *               C:\work\.venv\Scripts\python.exe`, nil},
		// A tag with no path, and one with a relative path.
		{` -V:3.9`, nil},
		{` -V:3.9           python.exe`, nil},
		{`Installed Pythons found by py Launcher for Windows`, nil},
		{` -3.8-arm64     C:\Py38\python.exe`, []string{`C:\Py38\python.exe`}},
		{` -V:3.12 *        \\server\share\Python312\python.exe`, []string{`\\server\share\Python312\python.exe`}},
	}
	for _, tt := range tests {
		if got := parsePyList(tt.line); !slices.Equal(got, tt.want) {
			t.Errorf("parsePyList(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

func testdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
