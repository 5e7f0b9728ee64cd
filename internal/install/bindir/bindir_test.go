package bindir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

// platform is a host of os at version whose data and bin dirs are under
// a temp folder called home, as on Windows: DATA\bin.
func platform(t *testing.T, os, version, home string) detect.Platform {
	root := filepath.Join(t.TempDir(), home)
	data := filepath.Join(root, "envup")
	return detect.Platform{OS: os, Version: version, Dirs: detect.Dirs{Bin: filepath.Join(data, "bin"), Data: data}}
}

// envupExe writes a stand-in for envup's own executable.
func envupExe(t *testing.T) string {
	t.Helper()
	self := filepath.Join(t.TempDir(), "envup.exe")
	if err := os.WriteFile(self, []byte("MZ envup itself"), 0o755); err != nil {
		t.Fatal(err)
	}
	return self
}

func read(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func wantForeignKept(t *testing.T, err error, name, content string) {
	t.Helper()
	if err == nil || !strings.HasSuffix(err.Error(), "exists and envup did not make it: move it away, or set default: false") {
		t.Errorf("err = %v", err)
	}
	if data, _ := os.ReadFile(name); string(data) != content {
		t.Errorf("%s was replaced: %q", name, data)
	}
}

func TestSymlinksAreMadeOnceAndForeignEntriesKept(t *testing.T) {
	t.Parallel()
	sys := system.NewReal()
	p := platform(t, "linux", "", "home")
	target := filepath.Join(p.Dirs.Data, "python", "3.12.1", "bin", "python3.12")
	links := []Link{Entry(p, "python3.12", target), Entry(p, "python3", target)}
	if err := Make(sys, p, "", links, "set default: false"); err != nil {
		t.Fatal(err)
	}
	if m := Missing(sys, p, links); len(m) != 0 {
		t.Errorf("still missing %v", m)
	}
	if got, err := os.Readlink(filepath.Join(p.Dirs.Bin, "python3")); err != nil || got != target {
		t.Errorf("python3 → %q, %v", got, err)
	}
	mine := Entry(p, "python", target)
	if err := os.WriteFile(mine.Name, []byte("mine"), 0o755); err != nil {
		t.Fatal(err)
	}
	wantForeignKept(t, Make(sys, p, "", []Link{mine}, "set default: false"), mine.Name, "mine")
}

func TestWindowsEntriesAreLaunchersMadeOnce(t *testing.T) {
	t.Parallel()
	sys := system.NewReal()
	p := platform(t, "windows", "10.0.19045", "Zoë Ådams")
	self := envupExe(t)
	python := filepath.Join(p.Dirs.Data, "python", "3.12.7", "python.exe")
	node := filepath.Join(p.Dirs.Data, "node", "22.1.0", "node.exe")
	npmCLI := filepath.Join(p.Dirs.Data, "node", "22.1.0", "node_modules", "npm", "bin", "npm-cli.js")
	links := []Link{Entry(p, "python3.12", python), Entry(p, "python3", python), Entry(p, "npm", node, npmCLI)}
	if links[1].Name != filepath.Join(p.Dirs.Bin, "python3.exe") {
		t.Fatalf("entry name %s", links[1].Name)
	}
	if err := Make(sys, p, self, links, "set default: false"); err != nil {
		t.Fatal(err)
	}
	launcher, err := os.Stat(Launcher(p))
	if err != nil || read(t, Launcher(p)) != "MZ envup itself" {
		t.Fatalf("launcher copy: %v", err)
	}
	for _, name := range []string{"python3.12", "python3", "npm"} {
		exe := filepath.Join(p.Dirs.Bin, name+".exe")
		fi, err := os.Stat(exe)
		if err != nil || !os.SameFile(fi, launcher) {
			t.Errorf("%s is not a hard link to the launcher: %v", exe, err)
		}
	}
	if got, want := read(t, filepath.Join(p.Dirs.Bin, "python3.shim")), `path = "`+python+"\"\r\n"; got != want {
		t.Errorf("python3.shim = %q, want %q", got, want)
	}
	if got, want := read(t, filepath.Join(p.Dirs.Bin, "npm.shim")), `path = "`+node+"\"\r\nargs = \""+npmCLI+"\"\r\n"; got != want {
		t.Errorf("npm.shim = %q, want %q", got, want)
	}

	// A second apply finds nothing missing and reads no executable: with
	// envup's own executable gone, it still succeeds.
	if m := Missing(sys, p, links); len(m) != 0 {
		t.Errorf("still missing %v", m)
	}
	if err := Make(sys, p, filepath.Join(t.TempDir(), "gone.exe"), links, ""); err != nil {
		t.Errorf("a second Make: %v", err)
	}

	// A new version changes the .shim only: the .exe, which may be
	// running, stays the same file.
	newer := filepath.Join(p.Dirs.Data, "python", "3.12.8", "python.exe")
	up := []Link{Entry(p, "python3", newer)}
	if m := Missing(sys, p, up); len(m) != 1 {
		t.Fatalf("a changed target is not missing: %v", m)
	}
	before, _ := os.Stat(up[0].Name)
	if err := Make(sys, p, "", up, ""); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(up[0].Name)
	if !os.SameFile(before, after) || !strings.Contains(read(t, filepath.Join(p.Dirs.Bin, "python3.shim")), "3.12.8") {
		t.Errorf("the upgrade replaced the .exe or kept the old .shim")
	}
}

func TestWindowsForeignEntriesAreKept(t *testing.T) {
	t.Parallel()
	sys := system.NewReal()
	p := platform(t, "windows", "10.0.22631", "home")
	python := filepath.Join(p.Dirs.Data, "python", "3.12.7", "python.exe")
	if err := os.MkdirAll(p.Dirs.Bin, 0o755); err != nil {
		t.Fatal(err)
	}
	// The user's own python.exe, with no .shim beside it.
	own := Entry(p, "python", python)
	if err := os.WriteFile(own.Name, []byte("MZ the user's python"), 0o755); err != nil {
		t.Fatal(err)
	}
	wantForeignKept(t, Make(sys, p, envupExe(t), []Link{own}, "set default: false"), own.Name, "MZ the user's python")

	// Scoop's shim pair for another program.
	scoop := Entry(p, "python3", python)
	shimName := filepath.Join(p.Dirs.Bin, "python3.shim")
	if err := os.WriteFile(shimName, []byte("path = C:\\scoop\\apps\\python\\current\\python.exe\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantForeignKept(t, Make(sys, p, envupExe(t), []Link{scoop}, "set default: false"), shimName, "path = C:\\scoop\\apps\\python\\current\\python.exe\r\n")
	if _, err := os.Stat(scoop.Name); err == nil {
		t.Error("an .exe was made beside a foreign .shim")
	}
}

func TestOldCmdShimsGoWhenTheLauncherIsMade(t *testing.T) {
	t.Parallel()
	sys := system.NewReal()
	p := platform(t, "windows", "10.0.19045", "home")
	python := filepath.Join(p.Dirs.Data, "python", "3.12.7", "python.exe")
	if err := os.MkdirAll(p.Dirs.Bin, 0o755); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(p.Dirs.Bin, "python3.cmd")
	if err := os.WriteFile(old, []byte("@\""+python+"\" %*\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	users := filepath.Join(p.Dirs.Bin, "python.cmd")
	if err := os.WriteFile(users, []byte("@C:\\tools\\python.exe %*\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Make(sys, p, envupExe(t), []Link{Entry(p, "python3", python), Entry(p, "python", python)}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); err == nil {
		t.Error("envup's old python3.cmd stayed beside python3.exe")
	}
	if read(t, users) != "@C:\\tools\\python.exe %*\r\n" {
		t.Error("the user's own python.cmd was touched")
	}
}

func TestLauncherIsCopiedWhereNoLinkCanBeMade(t *testing.T) {
	t.Parallel()
	// no hard link can be made (the bin dir on another volume than the data dir)
	sys := systemtest.New(t).Hook(func(v systemtest.Verb, name string) error {
		if v == systemtest.Link {
			return &os.LinkError{Op: "link", New: name, Err: os.ErrInvalid}
		}
		return nil
	})
	p := platform(t, "windows", "10.0.19045", "home")
	l := Entry(p, "redis-cli", filepath.Join(p.Dirs.Data, "redis", "5.0.14.1", "redis-cli.exe"))
	if err := Make(sys, p, envupExe(t), []Link{l}, ""); err != nil {
		t.Fatal(err)
	}
	if read(t, l.Name) != "MZ envup itself" {
		t.Error("redis-cli.exe is not a copy of the launcher")
	}
	if m := Missing(sys, p, []Link{l}); len(m) != 0 {
		t.Errorf("still missing %v", m)
	}
}

func TestWindowsBefore10GetsASCIICmdShims(t *testing.T) {
	t.Parallel()
	sys := system.NewReal()
	p := platform(t, "windows", "5.1.2600", "Zoë Ådams")
	python := filepath.Join(p.Dirs.Data, "python", "3.4.4", "python.exe")
	links := []Link{Entry(p, "python3.4", python), Entry(p, "python", python)}
	if links[0].Name != filepath.Join(p.Dirs.Bin, "python3.4.cmd") {
		t.Fatalf("entry name %s", links[0].Name)
	}
	// An absolute shim an earlier envup wrote is envup's to replace.
	if err := os.MkdirAll(p.Dirs.Bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(links[1].Name, []byte("@\""+python+"\" %*\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Make(sys, p, "", links, "set default: false"); err != nil {
		t.Fatal(err)
	}
	for _, l := range links {
		if got, want := read(t, l.Name), "@\"%~dp0..\\python\\3.4.4\\python.exe\" %*\r\n"; got != want {
			t.Errorf("%s = %q, want %q", l.Name, got, want)
		}
	}
	if m := Missing(sys, p, links); len(m) != 0 {
		t.Errorf("still missing %v", m)
	}
	// A relative shim is recognised as envup's: a new version replaces it.
	newer := []Link{Entry(p, "python", filepath.Join(p.Dirs.Data, "python", "3.4.10", "python.exe"), filepath.Join(p.Dirs.Data, "50%", "x.py"))}
	if err := Make(sys, p, "", newer, "set default: false"); err != nil {
		t.Fatal(err)
	}
	if got, want := read(t, newer[0].Name), "@\"%~dp0..\\python\\3.4.10\\python.exe\" \"%~dp0..\\50%%\\x.py\" %*\r\n"; got != want {
		t.Errorf("python.cmd = %q, want %q", got, want)
	}
	// A target outside the bin dir's parent keeps its full path, which
	// must then be ASCII.
	outside := Entry(p, "py", filepath.Join(filepath.Dir(filepath.Dir(p.Dirs.Data)), "Zoë", "python.exe"))
	err := Make(sys, p, "", []Link{outside}, "")
	if err == nil || !strings.Contains(err.Error(), outside.Target) || !strings.Contains(err.Error(), "ASCII") {
		t.Errorf("err = %v", err)
	}
	if _, err := os.Stat(outside.Name); err == nil {
		t.Error("a non-ASCII .cmd was written")
	}
}

// A plan for a Windows 10 host from elsewhere shows the launcher's steps.
func TestPlanForWindows10ShowsTheLauncher(t *testing.T) {
	t.Parallel()
	p, err := detect.ParsePlatform("windows/10.0.19045/amd64")
	if err != nil {
		t.Fatal(err)
	}
	dry := system.NewDryRun(system.Absent{})
	l := Entry(p, "python3", p.Join(p.Dirs.Data, "python", "3.12.7", "python.exe"))
	if err := Make(dry, p, "", Missing(dry, p, []Link{l}), ""); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"write ~/AppData/Local/envup/bin/python3.shim",
		"write ~/AppData/Local/envup/shim/envup-shim.exe",
		"hardlink ~/AppData/Local/envup/bin/python3.exe (to ~/AppData/Local/envup/shim/envup-shim.exe)",
	}
	steps := dry.Steps()
	if len(steps) != len(want) {
		t.Fatalf("steps = %v", steps)
	}
	for i, w := range want {
		if !strings.HasPrefix(steps[i].String(), w) {
			t.Errorf("step %d = %s, want %s", i, steps[i], w)
		}
	}
}
