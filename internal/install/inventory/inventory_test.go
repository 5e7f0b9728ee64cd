package inventory

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// linuxHost lays out a Linux host with pythons and nodes in every place
// Find looks, and some it must pass over.
func linuxHost(t testing.TB) (*fakeHost, detect.Platform) {
	t.Helper()
	f := newFakeHost(t, false)
	f.WithEnv("PATH", "/opt/tools/bin:/home/u/.pyenv/shims:/usr/bin:/bin:/usr/local/bin:relative/bin")
	f.WithEnv("MISE_DATA_DIR", "/srv/mise")

	// A PATH directory of its own: a link to a link, a broken python,
	// one that prints nonsense, one not executable, one that leads into
	// pyenv by an absolute link.
	f.python("/opt/tools/bin/python3.11", "3.11.4")
	f.link("python3.11", "/opt/tools/bin/python3")
	f.link("python3", "/opt/tools/bin/python")
	f.python("/opt/tools/bin/python3.8", "3.8.10")
	f.file("/opt/tools/bin/python2.7", "#!/bin/sh\necho 'error: no libpython' >&2\nexit 1\n", 0o755)
	f.file("/opt/tools/bin/python3.9", "#!/bin/sh\necho 'Python rocks'\n", 0o755)
	f.file("/opt/tools/bin/python3.7", "#!/bin/sh\necho 3.7.0\n", 0o644)
	f.python("/opt/tools/bin/python3.10-config", "0.0.0")
	f.link("/home/u/.pyenv/versions/3.12.1/bin/python3.12", "/opt/tools/bin/python3.12")
	f.node("/opt/tools/bin/node-gyp", "0.0.0")
	f.link("/home/u/.nvm/versions/node/v20.11.1/bin/node", "/opt/tools/bin/node")

	// The system's, reached both as /usr/bin and as /bin.
	f.python("/usr/bin/python3.11", "3.11.2")
	f.link("python3.11", "/usr/bin/python3")
	f.link("usr/bin", "/bin")
	f.node("/usr/bin/node", "20.20.2")
	f.link("node", "/usr/bin/nodejs")

	// pyenv, and its shims, which must not count.
	f.python("/home/u/.pyenv/shims/python3", "3.99.0")
	f.python("/home/u/.pyenv/versions/3.12.1/bin/python3.12", "3.12.1")
	f.link("python3.12", "/home/u/.pyenv/versions/3.12.1/bin/python3")
	f.link("python3", "/home/u/.pyenv/versions/3.12.1/bin/python")
	f.python("/home/u/.pyenv/versions/2.7.18/bin/python2.7", "2.7.18")
	f.link("python2.7", "/home/u/.pyenv/versions/2.7.18/bin/python")
	f.python("/home/u/.pyenv/versions/miniconda3-latest/bin/python3", "3.10.0")

	// uv, with its minor-version link to the patch release.
	uv := "/home/u/.local/share/uv/python/"
	f.python(uv+"cpython-3.13.2-linux-x86_64-gnu/bin/python3.13", "3.13.2")
	f.link("python3.13", uv+"cpython-3.13.2-linux-x86_64-gnu/bin/python3")
	f.link("cpython-3.13.2-linux-x86_64-gnu", uv+"cpython-3.13-linux-x86_64-gnu")
	f.file(uv+".lock", "", 0o644)

	// mise, in $MISE_DATA_DIR, with its "3.10" and "latest" links.
	f.python("/srv/mise/installs/python/3.10.4/bin/python3.10", "3.10.4")
	f.link("3.10.4", "/srv/mise/installs/python/3.10")
	f.link("3.10.4", "/srv/mise/installs/python/latest")
	f.node("/srv/mise/installs/node/22.1.0/bin/node", "22.1.0")

	// envup's own: an altinstall has only python3.N.
	f.python("/home/u/.local/share/envup/python/3.11.9/bin/python3.11", "3.11.9")
	f.node("/home/u/.local/share/envup/node/21.7.3/bin/node", "21.7.3")

	// Homebrew on Linux: opt links into the Cellar.
	brew := "/home/linuxbrew/.linuxbrew/"
	f.python(brew+"Cellar/python@3.12/3.12.4/bin/python3.12", "3.12.4")
	f.link("../Cellar/python@3.12/3.12.4", brew+"opt/python@3.12")
	f.node(brew+"Cellar/node@18/18.20.4/bin/node", "18.20.4")
	f.link("../Cellar/node@18/18.20.4", brew+"opt/node@18")

	// nvm.
	f.node("/home/u/.nvm/versions/node/v20.11.1/bin/node", "20.11.1")
	f.node("/home/u/.nvm/versions/node/v18.19.0/bin/node", "18.19.0")

	p := detect.Platform{
		OS: "linux", Arch: "amd64", Home: "/home/u", Managers: []string{"apt"},
		Distro: detect.Distro{ID: "debian"},
		Dirs:   detect.Dirs{Data: "/home/u/.local/share/envup"},
	}
	return f, p
}

func TestFind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tool string
		want []Interpreter
	}{
		{"python", []Interpreter{
			{"/home/u/.local/share/uv/python/cpython-3.13-linux-x86_64-gnu/bin/python3.13", "3.13.2", OriginUV},
			{"/home/linuxbrew/.linuxbrew/opt/python@3.12/bin/python3.12", "3.12.4", OriginHomebrew},
			{"/home/u/.pyenv/versions/3.12.1/bin/python3.12", "3.12.1", OriginPyenv},
			{"/home/u/.local/share/envup/python/3.11.9/bin/python3.11", "3.11.9", OriginEnvup},
			{"/opt/tools/bin/python3.11", "3.11.4", OriginPath},
			{"/usr/bin/python3.11", "3.11.2", OriginSystem},
			{"/srv/mise/installs/python/3.10/bin/python3.10", "3.10.4", OriginMise},
			{"/opt/tools/bin/python3.8", "3.8.10", OriginPath},
			{"/home/u/.pyenv/versions/2.7.18/bin/python2.7", "2.7.18", OriginPyenv},
		}},
		{"node", []Interpreter{
			{"/srv/mise/installs/node/22.1.0/bin/node", "22.1.0", OriginMise},
			{"/home/u/.local/share/envup/node/21.7.3/bin/node", "21.7.3", OriginEnvup},
			{"/usr/bin/node", "20.20.2", OriginSystem},
			{"/home/u/.nvm/versions/node/v20.11.1/bin/node", "20.11.1", OriginNvm},
			{"/home/linuxbrew/.linuxbrew/opt/node@18/bin/node", "18.20.4", OriginHomebrew},
			{"/home/u/.nvm/versions/node/v18.19.0/bin/node", "18.19.0", OriginNvm},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.tool, func(t *testing.T) {
			t.Parallel()
			f, p := linuxHost(t)
			got, err := Find(t.Context(), f, tt.tool, p, state.NewMemo(nil))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Find(%s):\n%s\nwant:\n%s", tt.tool, show(got), show(tt.want))
			}
			for _, cmd := range f.commands() {
				if strings.Contains(cmd, "shims") || strings.Contains(cmd, "miniconda") || strings.Contains(cmd, "-config") || strings.Contains(cmd, "node-gyp") {
					t.Errorf("ran %s, which is no interpreter Find wants", cmd)
				}
			}
		})
	}
}

func show(is []Interpreter) string {
	var b strings.Builder
	for _, i := range is {
		b.WriteString("  " + i.Version + " " + i.Origin + " " + i.Path + "\n")
	}
	return b.String()
}

// TestFindRunsEachFileOnce checks that links to one file (python3 →
// python3.11, /bin → /usr/bin, a PATH link into pyenv) run it once.
func TestFindRunsEachFileOnce(t *testing.T) {
	t.Parallel()
	f, p := linuxHost(t)
	if _, err := Find(t.Context(), f, "python", p, nil); err != nil {
		t.Fatal(err)
	}
	cmds := f.commands()
	runs := map[string]int{}
	for _, c := range cmds {
		runs[strings.Fields(c)[0]]++
	}
	for bin, n := range runs {
		if n > 1 {
			t.Errorf("%s ran %d times", bin, n)
		}
	}
	// 9 found, plus the broken 2.7 and the nonsense 3.9.
	if len(cmds) != 11 {
		t.Errorf("ran %d commands, want 11:\n%s", len(cmds), strings.Join(cmds, "\n"))
	}
}

func TestFindMemo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(f *fakeHost)
		spawns int64
		newest string // the first interpreter's version after the change
	}{
		{"nothing changed", func(*fakeHost) {}, 0, "3.13.2"},
		{"mtime changed", func(f *fakeHost) {
			later := time.Now().Add(time.Minute)
			if err := os.Chtimes(f.Local("/opt/tools/bin/python3.11"), later, later); err != nil {
				t.Fatal(err)
			}
		}, 1, "3.13.2"},
		{"file replaced", func(f *fakeHost) {
			f.python("/home/u/.local/share/uv/python/cpython-3.13.2-linux-x86_64-gnu/bin/python3.13", "3.13.22")
		}, 1, "3.13.22"},
		{"python added to a PATH directory", func(f *fakeHost) {
			f.python("/opt/tools/bin/python3.14", "3.14.0")
		}, 1, "3.14.0"},
		{"pyenv version removed", func(f *fakeHost) {
			if err := os.RemoveAll(f.Local("/home/u/.pyenv/versions/2.7.18")); err != nil {
				t.Fatal(err)
			}
		}, 0, "3.13.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, p := linuxHost(t)
			f.age()
			memo := state.NewMemo(nil)
			first, err := Find(t.Context(), f, "python", p, memo)
			if err != nil {
				t.Fatal(err)
			}
			f.commands()
			f.spawns.Store(0)
			f.readDirs.Store(0)
			tt.change(f)

			again, err := Find(t.Context(), f, "python", p, memo)
			if err != nil {
				t.Fatal(err)
			}
			if n := f.spawns.Load(); n != tt.spawns {
				t.Errorf("second Find spawned %d processes, want %d: %v", n, tt.spawns, f.commands())
			}
			if again[0].Version != tt.newest {
				t.Errorf("newest is %s, want %s", again[0].Version, tt.newest)
			}
			if tt.spawns == 0 && tt.name == "nothing changed" {
				if !slices.Equal(first, again) {
					t.Errorf("second Find:\n%s\nfirst:\n%s", show(again), show(first))
				}
				if n := f.readDirs.Load(); n != 0 {
					t.Errorf("second Find read %d directories, want 0 (unchanged listings are remembered)", n)
				}
			}
		})
	}
}

// TestFindRemembersFromState checks that a memo restored from the state
// file (NewMemo(values)) is as good as the one that learned them.
func TestFindRemembersFromState(t *testing.T) {
	t.Parallel()
	f, p := linuxHost(t)
	memo := state.NewMemo(nil)
	if _, err := Find(t.Context(), f, "node", p, memo); err != nil {
		t.Fatal(err)
	}
	f.spawns.Store(0)
	if _, err := Find(t.Context(), f, "node", p, state.NewMemo(memo.Values())); err != nil {
		t.Fatal(err)
	}
	if n := f.spawns.Load(); n != 0 {
		t.Errorf("spawned %d with a restored memo: %v", n, f.commands())
	}
}

func TestFindMacOS(t *testing.T) {
	t.Parallel()
	f := newFakeHost(t, false)
	f.WithEnv("PATH", "/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin")
	f.python("/opt/homebrew/Cellar/python@3.12/3.12.4/bin/python3.12", "3.12.4")
	f.link("python3.12", "/opt/homebrew/Cellar/python@3.12/3.12.4/bin/python3")
	f.link("../Cellar/python@3.12/3.12.4", "/opt/homebrew/opt/python@3.12")
	f.link("../Cellar/python@3.12/3.12.4/bin/python3", "/opt/homebrew/bin/python3")
	fw := "/Library/Frameworks/Python.framework/Versions/"
	f.python(fw+"3.11/bin/python3.11", "3.11.8")
	f.link("3.11", fw+"Current")
	f.link("../../../Library/Frameworks/Python.framework/Versions/3.11/bin/python3.11", "/usr/local/bin/python3.11")
	f.python("/usr/bin/python3", "3.9.6") // the Command Line Tools stub: never run
	f.python("/Library/Developer/CommandLineTools/usr/bin/python3", "3.9.6")
	p := detect.Platform{OS: "macos", Arch: "arm64", Home: "/Users/u", Managers: []string{"brew"}}

	got, err := Find(t.Context(), f, "python", p, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Interpreter{
		{"/opt/homebrew/opt/python@3.12/bin/python3.12", "3.12.4", OriginHomebrew},
		{"/Library/Frameworks/Python.framework/Versions/3.11/bin/python3.11", "3.11.8", OriginPythonOrg},
		{"/Library/Developer/CommandLineTools/usr/bin/python3", "3.9.6", OriginSystem},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Find:\n%s\nwant:\n%s", show(got), show(want))
	}
	for _, c := range f.commands() {
		if strings.HasPrefix(c, "/usr/bin/python3 ") {
			t.Errorf("ran the Command Line Tools stub: %s", c)
		}
	}
}

func TestFindEnvironmentOverrides(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, key, value, bin, origin string
	}{
		{"PYENV_ROOT", "PYENV_ROOT", "/data/pyenv", "/data/pyenv/versions/3.9.1/bin/python3.9", OriginPyenv},
		{"UV_PYTHON_INSTALL_DIR", "UV_PYTHON_INSTALL_DIR", "/data/uv", "/data/uv/cpython-3.9.1-linux-x86_64-gnu/bin/python3.9", OriginUV},
		{"XDG_DATA_HOME", "XDG_DATA_HOME", "/data/xdg", "/data/xdg/uv/python/cpython-3.9.1-linux-x86_64-gnu/bin/python3.9", OriginUV},
		{"MISE_DATA_DIR", "MISE_DATA_DIR", "/data/mise", "/data/mise/installs/python/3.9.1/bin/python3.9", OriginMise},
		{"HOMEBREW_PREFIX", "HOMEBREW_PREFIX", "/data/brew", "/data/brew/opt/python@3.9/bin/python3.9", OriginHomebrew},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeHost(t, false)
			f.WithEnv(tt.key, tt.value)
			f.python(tt.bin, "3.9.1")
			p := detect.Platform{OS: "linux", Home: "/home/u"}
			got, err := Find(t.Context(), f, "python", p, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := []Interpreter{{tt.bin, "3.9.1", tt.origin}}
			if !slices.Equal(got, want) {
				t.Errorf("Find:\n%s\nwant:\n%s", show(got), show(want))
			}
		})
	}
}

// TestFindWithoutHome checks that a platform without a home or a data
// dir looks nowhere relative to the directory envup runs in.
func TestFindWithoutHome(t *testing.T) {
	t.Parallel()
	f := newFakeHost(t, false)
	f.python("python/3.11.0/bin/python3.11", "3.11.0")                         // envup's "python" under no data dir
	f.python("versions/3.11.0/bin/python3.11", "3.11.0")                       // pyenv's "versions" under no root
	f.python(".local/share/uv/python/cpython-3.11.0/bin/python3.11", "3.11.0") // uv's under no home
	got, err := Find(t.Context(), f, "python", detect.Platform{OS: "linux"}, nil)
	if err != nil || len(got) != 0 {
		t.Errorf("Find = %v, %v; want nothing", got, err)
	}
	if n := f.readDirs.Load(); n != 0 {
		t.Errorf("read %d directories", n)
	}
}

func TestFindUnobservable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		sys  system.System
		p    detect.Platform
	}{
		{"absent linux", system.Absent{}, detect.Platform{OS: "linux", Home: "/home/u", Foreign: true}},
		{"absent windows", system.Absent{}, detect.Platform{OS: "windows", Home: `C:\Users\u`, Foreign: true}},
		{"dry run over absent", system.NewDryRun(system.Absent{}), detect.Platform{OS: "macos", Home: "/Users/u", Foreign: true}},
	}
	for _, tt := range tests {
		for _, tool := range []string{"python", "node"} {
			t.Run(tt.name+"/"+tool, func(t *testing.T) {
				t.Parallel()
				got, err := Find(t.Context(), tt.sys, tool, tt.p, state.NewMemo(nil))
				if err != nil || len(got) != 0 {
					t.Errorf("Find = %v, %v; want nothing, no error", got, err)
				}
			})
		}
	}
}

func TestFindErrors(t *testing.T) {
	t.Parallel()
	f, p := linuxHost(t)
	if _, err := Find(t.Context(), f, "ruby", p, nil); err == nil || !strings.Contains(err.Error(), `unknown tool "ruby"`) {
		t.Errorf("unknown tool: err = %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Find(ctx, f, "python", p, nil); err == nil {
		t.Error("cancelled context: no error")
	}
}

func TestFindVersion(t *testing.T) {
	t.Parallel()
	f, _ := linuxHost(t)
	memo := state.NewMemo(nil)
	tests := []struct {
		path, want, err string
	}{
		{"/usr/bin/python3", "3.11.2", ""},
		{"/bin/python3.11", "3.11.2", ""}, // the same file: remembered
		{"/opt/tools/bin/python", "3.11.4", ""},
		{"/opt/tools/bin/node", "20.11.1", ""},
		{"/usr/bin/nodejs", "20.20.2", ""},
		{"/opt/tools/bin/python2.7", "", "exit status 1"},
		{"/opt/tools/bin/python3.9", "", "not a version"},
		{"/opt/tools/bin/python3.7", "", "not an executable file"},
		{"/opt/tools/bin/python3.6", "", "no such file"},
		{"/opt/tools/bin/ruby", "", "not a python or node binary"},
	}
	for _, tt := range tests {
		got, err := FindVersion(t.Context(), f, tt.path, memo)
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("FindVersion(%s) = %q, %v; want %q, error containing %q", tt.path, got, err, tt.want, tt.err)
		}
	}
	// Six files ran: /bin/python3.11 was remembered, the rest never ran.
	if n := f.spawns.Load(); n != 6 {
		t.Errorf("spawned %d, want 6: %v", n, f.commands())
	}
	// Asked again, nothing runs, failures included.
	f.spawns.Store(0)
	for _, tt := range tests {
		_, _ = FindVersion(t.Context(), f, tt.path, memo)
	}
	if n := f.spawns.Load(); n != 0 {
		t.Errorf("asked again: spawned %d, want 0: %v", n, f.commands())
	}
	if _, err := FindVersion(t.Context(), f, "/opt/tools/bin/python2.7", memo); err == nil || !strings.Contains(err.Error(), "remembered") {
		t.Errorf("remembered failure: err = %v", err)
	}
}

func TestParseVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tool, out, want string
		ok              bool
	}{
		{"python", "3.11.2\n", "3.11.2", true},
		{"python", "3.11.2\r\n", "3.11.2", true},
		{"python", "sitecustomize says hi\n2.7.18\n", "2.7.18", true},
		{"python", "Python 3.11.2\n", "", false},
		{"python", "", "", false},
		{"python", "3.11\n", "", false},
		{"node", "v20.20.2\n", "20.20.2", true},
		{"node", "20.20.2\n", "20.20.2", true},
		{"node", "v20\n", "", false},
	}
	for _, tt := range tests {
		got, ok := parseVersion(tt.tool, []byte(tt.out))
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("parseVersion(%s, %q) = %q, %v; want %q, %v", tt.tool, tt.out, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"3.10.0", "3.9.18", 1},
		{"3.9.18", "3.10.0", -1},
		{"2.7.18", "3.0.1", -1},
		{"3.11.2", "3.11.2", 0},
		{"20.20.2", "20.3.0", 1},
	}
	for _, tt := range tests {
		if got := compareVersions(tt.a, tt.b); (got > 0) != (tt.want > 0) || (got < 0) != (tt.want < 0) {
			t.Errorf("compareVersions(%s, %s) = %d, want sign of %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestResolver(t *testing.T) {
	t.Parallel()
	f, _ := linuxHost(t)
	f.link("loop-b", "/loops/loop-a")
	f.link("loop-a", "/loops/loop-b")
	r := newResolver(f, false)
	tests := []struct {
		in, want, err string
	}{
		{"/bin/python3", "/usr/bin/python3.11", ""},
		{"/opt/tools/bin/python", "/opt/tools/bin/python3.11", ""},
		{"/opt/tools/bin/python3.12", "/home/u/.pyenv/versions/3.12.1/bin/python3.12", ""},
		{"/home/linuxbrew/.linuxbrew/opt/python@3.12/bin/python3.12", "/home/linuxbrew/.linuxbrew/Cellar/python@3.12/3.12.4/bin/python3.12", ""},
		{"/usr/bin/../bin/python3.11", "/usr/bin/python3.11", ""},
		{"/loops/loop-a", "", "too many levels"},
		{"/nowhere/python", "", "no such file"},
	}
	for _, tt := range tests {
		got, err := r.path(tt.in)
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("real(%s) = %q, %v; want %q, error containing %q", tt.in, got, err, tt.want, tt.err)
		}
	}
	w := newResolver(f, true)
	if a, b := w.key(`C:\Users\X\Python312\python.exe`), w.key(`c:/users/x/python312/PYTHON.EXE`); a != b {
		t.Errorf("windows keys differ: %q, %q", a, b)
	}
}
