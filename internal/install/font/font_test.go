package font

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

// dejavuSHA256 is the digest of the repository's DejaVuSansMono.ttf.
const dejavuSHA256 = "0f5db4f1749979d961019838b160bec74abdf7f9eca69553fe1aa856bbff49a4"

// newHost is a systemtest host: files are real (under the test's temp
// dirs), while the environment, PATH, commands and downloads are the
// test's, so a test never reads the user's XDG_DATA_HOME or refreshes
// the user's font cache. No command may run unless the test expects it.
func newHost(t *testing.T, env map[string]string) *systemtest.System {
	h := systemtest.New(t)
	for k, v := range env {
		h.WithEnv(k, v)
	}
	return h
}

// converge observes, diffs and applies once, then checks that a second
// observe finds nothing to do. It returns the first diff.
func converge(t *testing.T, r *Font, sys system.System) []install.Change {
	t.Helper()
	o, err := r.Observe(t.Context(), sys)
	if err != nil {
		t.Fatal(err)
	}
	changes := r.Diff(o)
	if len(changes) > 0 {
		if err := r.Apply(t.Context(), sys, o); err != nil {
			t.Fatal(err)
		}
	}
	o, err = r.Observe(t.Context(), sys)
	if err != nil {
		t.Fatal(err)
	}
	if again := r.Diff(o); len(again) != 0 {
		t.Errorf("second diff = %v, want none", again)
	}
	return changes
}

func newFont(t *testing.T, family string, spec *recipe.Font, p detect.Platform, opts Options) *Font {
	t.Helper()
	r, err := New(family, spec, "../../../recipes", p, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func byPath() *recipe.Font { return &recipe.Font{Path: "fonts/DejaVuSansMono.ttf"} }

func TestInstallOnLinux(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		family   string
		spec     *recipe.Font
		env      map[string]string
		fcCache  bool
		existing string // what is in the font's place first
		want     string // the change, "" for none
		dir      string // relative to the temp dir
		ran      string
		log      string
	}{
		{
			name: "from a path", family: "DejaVu Sans Mono", spec: byPath(), fcCache: true,
			want: "+ absent", dir: "home/.local/share/fonts/envup",
			ran: "fc-cache -f <dir>",
		},
		{
			name: "from a url", family: "DejaVu Sans Mono", fcCache: true,
			spec: &recipe.Font{URL: "https://mirror.example/fonts/DejaVuSansMono.ttf", SHA256: strings.ToUpper(dejavuSHA256)},
			want: "+ absent", dir: "home/.local/share/fonts/envup",
			ran: "fc-cache -f <dir>",
		},
		{
			name: "XDG_DATA_HOME", family: "DejaVu Sans Mono", spec: byPath(), fcCache: true,
			env:  map[string]string{"XDG_DATA_HOME": "<tmp>/data"},
			want: "+ absent", dir: "data/fonts/envup", ran: "fc-cache -f <dir>",
		},
		{
			name: "a relative XDG_DATA_HOME is ignored", family: "DejaVu Sans Mono", spec: byPath(), fcCache: true,
			env:  map[string]string{"XDG_DATA_HOME": "data"},
			want: "+ absent", dir: "home/.local/share/fonts/envup", ran: "fc-cache -f <dir>",
		},
		{
			name: "another file in its place", family: "DejaVu Sans Mono", spec: byPath(), fcCache: true,
			existing: "an older version", want: "~ differs", dir: "home/.local/share/fonts/envup",
			ran: "fc-cache -f <dir>",
		},
		{
			name: "without fc-cache", family: "DejaVu Sans Mono", spec: byPath(),
			want: "+ absent", dir: "home/.local/share/fonts/envup",
			log: `font "DejaVu Sans Mono": fc-cache is not on the PATH; programs see the font once fontconfig's cache is rebuilt` + "\n",
		},
		{
			name: "the recipe's key is not the font's family", family: "Akbar", spec: byPath(), fcCache: true,
			want: "+ absent", dir: "home/.local/share/fonts/envup", ran: "fc-cache -f <dir>",
			log: `font "Akbar": the file's family is "DejaVu Sans Mono"; editors need the family name` + "\n",
		},
		{
			name: "the family in another case", family: "dejavu sans mono", spec: byPath(), fcCache: true,
			want: "+ absent", dir: "home/.local/share/fonts/envup", ran: "fc-cache -f <dir>",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			h := newHost(t, nil)
			for k, v := range tt.env {
				h.WithEnv(k, strings.ReplaceAll(v, "<tmp>", tmp))
			}
			if tt.fcCache {
				h.WithPath("fc-cache", "/usr/bin/fc-cache")
			}
			if tt.spec.URL != "" {
				h.WithDownload(tt.spec.URL, dejavu)
			}
			dir := filepath.Join(tmp, filepath.FromSlash(tt.dir))
			if tt.ran != "" {
				h.Expect(systemtest.Run, "fc-cache", "-f", dir)
			}
			dest := filepath.Join(dir, "DejaVuSansMono.ttf")
			if tt.existing != "" {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(dest, []byte(tt.existing), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var log bytes.Buffer
			p := detect.Platform{OS: "linux", Home: filepath.Join(tmp, "home")}
			r := newFont(t, tt.family, tt.spec, p, Options{Log: &log})
			if r.ID().String() != "font/"+tt.family {
				t.Errorf("id = %q", r.ID())
			}

			changes := converge(t, r, h)
			var got string
			for _, c := range changes {
				got += c.Action.Symbol() + " " + c.Why
				if c.Subject != dest {
					t.Errorf("subject = %q, want %q", c.Subject, dest)
				}
			}
			if got != tt.want {
				t.Errorf("changes = %q, want %q", got, tt.want)
			}
			if data, err := os.ReadFile(dest); err != nil || sum(data) != dejavuSHA256 {
				t.Errorf("installed font: %d bytes, %v", len(data), err)
			}
			ran := strings.ReplaceAll(tt.ran, "<dir>", dir)
			if g := strings.Join(h.Ran(), "\n"); g != ran {
				t.Errorf("ran %q, want %q", g, ran)
			}
			if log.String() != tt.log {
				t.Errorf("log = %q\nwant %q", log.String(), tt.log)
			}
		})
	}
}

// plan runs Observe, Diff and Apply against a DryRun over Absent, as a
// plan for another platform does, and returns the diff and the steps.
func plan(t *testing.T, r *Font) (string, string) {
	t.Helper()
	o, err := r.Observe(t.Context(), system.Absent{})
	if err != nil {
		t.Fatal(err)
	}
	var why []string
	for _, c := range r.Diff(o) {
		why = append(why, c.Action.Symbol()+" "+c.Subject+": "+c.Why)
	}
	dry := system.NewDryRun(system.Absent{})
	if err := r.Apply(t.Context(), dry, o); err != nil {
		t.Fatal(err)
	}
	return strings.Join(why, "\n"), dry.String()
}

func TestPlanForAnotherPlatform(t *testing.T) {
	t.Parallel()
	size := strconv.Itoa(len(readDejaVu(t)))
	recipeFiles := system.NewReadOnly(system.NewReal())
	tests := []struct {
		name  string
		p     detect.Platform
		spec  *recipe.Font
		diff  string
		steps string
	}{
		{
			name: "windows 11",
			p:    detect.Platform{OS: "windows", Version: "10.0.22631", Home: `C:\Users\lab`, Foreign: true},
			spec: byPath(),
			diff: `+ C:\Users\lab\AppData\Local\Microsoft\Windows\Fonts\DejaVuSansMono.ttf: absent`,
			steps: `write C:\Users\lab\AppData\Local\Microsoft\Windows\Fonts\DejaVuSansMono.ttf (` + size + " bytes, mode 0644)\n" +
				`registry HKCU\Software\Microsoft\Windows NT\CurrentVersion\Fonts (DejaVu Sans Mono (TrueType) = C:\Users\lab\AppData\Local\Microsoft\Windows\Fonts\DejaVuSansMono.ttf)` + "\n",
		},
		{
			name: "windows 10 1809, an .otf from a url",
			p:    detect.Platform{OS: "windows", Version: "10.0.17763", Home: `C:\Users\lab`, Foreign: true},
			spec: &recipe.Font{URL: "https://fonts.example/Inter.otf?dl=1", SHA256: dejavuSHA256},
			diff: `+ C:\Users\lab\AppData\Local\Microsoft\Windows\Fonts\Inter.otf: absent`,
			steps: "download https://fonts.example/Inter.otf?dl=1 (sha256 0f5db4f17499…)\n" +
				`write C:\Users\lab\AppData\Local\Microsoft\Windows\Fonts\Inter.otf (0 bytes, mode 0644)` + "\n" +
				`registry HKCU\Software\Microsoft\Windows NT\CurrentVersion\Fonts (DejaVu Sans Mono (OpenType) = C:\Users\lab\AppData\Local\Microsoft\Windows\Fonts\Inter.otf)` + "\n",
		},
		{
			name: "windows 7, not an administrator: the plan says so",
			p:    detect.Platform{OS: "windows", Version: "6.1.7601", Home: `C:\Users\lab`, Foreign: true},
			spec: byPath(),
			diff: `+ C:\Windows\Fonts\DejaVuSansMono.ttf: absent; needs an administrator: Windows 6.1.7601 installs fonts only for all users (per-user fonts came with 10 1809)`,
			steps: "check envup runs as an administrator\n" + `write C:\Windows\Fonts\DejaVuSansMono.ttf (` + size + " bytes, mode 0644)\n" +
				`registry HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts (DejaVu Sans Mono (TrueType) = DejaVuSansMono.ttf)` + "\n",
		},
		{
			name: "windows server 2016, an administrator",
			p:    detect.Platform{OS: "windows", Version: "10.0.14393", Home: `C:\Users\lab`, Admin: true, Foreign: true},
			spec: byPath(),
			diff: `+ C:\Windows\Fonts\DejaVuSansMono.ttf: absent`,
			steps: `write C:\Windows\Fonts\DejaVuSansMono.ttf (` + size + " bytes, mode 0644)\n" +
				`registry HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts (DejaVu Sans Mono (TrueType) = DejaVuSansMono.ttf)` + "\n",
		},
		{
			name:  "macos",
			p:     detect.Platform{OS: "macos", Version: "14.5", Home: "/Users/lab", Foreign: true},
			spec:  byPath(),
			diff:  "+ /Users/lab/Library/Fonts/DejaVuSansMono.ttf: absent",
			steps: "write /Users/lab/Library/Fonts/DejaVuSansMono.ttf (" + size + " bytes, mode 0644)\n",
		},
		{
			name: "linux: fc-cache is planned though the host cannot be asked",
			p:    detect.Platform{OS: "linux", Home: "~", Foreign: true},
			spec: byPath(),
			diff: "+ ~/.local/share/fonts/envup/DejaVuSansMono.ttf: absent",
			steps: "write ~/.local/share/fonts/envup/DejaVuSansMono.ttf (" + size + " bytes, mode 0644)\n" +
				"run fc-cache -f ~/.local/share/fonts/envup\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newFont(t, "DejaVu Sans Mono", tt.spec, tt.p, Options{Recipe: recipeFiles})
			diff, steps := plan(t, r)
			if diff != tt.diff {
				t.Errorf("diff:\n%s\nwant:\n%s", diff, tt.diff)
			}
			if steps != tt.steps {
				t.Errorf("steps:\n%s\nwant:\n%s", steps, tt.steps)
			}
		})
	}
}

// A real apply on Windows before 10 1809 without admin rights fails
// before it changes anything, and says why.
func TestOldWindowsNeedsAdmin(t *testing.T) {
	t.Parallel()
	p := detect.Platform{OS: "windows", Version: "6.1.7601", Home: `C:\Users\lab`}
	r := newFont(t, "DejaVu Sans Mono", byPath(), p, Options{Recipe: system.NewReal()})
	o, err := r.Observe(t.Context(), system.Absent{})
	if err != nil {
		t.Fatal(err)
	}
	// a real apply: the proof runs, and fails before anything is written
	err = r.Apply(t.Context(), system.NewReal(), o)
	want := "needs an administrator: Windows 6.1.7601 installs fonts only for all users (per-user fonts came with 10 1809); run envup elevated"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

// Without a System for the recipe's files, a plan for another platform
// cannot find a font given by path, and says so.
func TestPathNotFound(t *testing.T) {
	t.Parallel()
	p := detect.Platform{OS: "macos", Home: "/Users/lab", Foreign: true}
	r := newFont(t, "DejaVu Sans Mono", byPath(), p, Options{})
	if _, err := r.Observe(t.Context(), system.Absent{}); err == nil || !strings.HasPrefix(err.Error(), "path: ") {
		t.Errorf("err = %v", err)
	}
}

func TestNotAFont(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	src := filepath.Join(tmp, "recipe", "fonts", "Fake.ttf")
	if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src, []byte("<html>not found</html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := detect.Platform{OS: "macos", Home: filepath.Join(tmp, "home")}
	r, err := New("Fake", &recipe.Font{Path: "fonts/Fake.ttf"}, filepath.Join(tmp, "recipe"), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := newHost(t, nil)
	o, err := r.Observe(t.Context(), h)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Apply(t.Context(), h, o); err == nil || !strings.Contains(err.Error(), "Fake.ttf: not a font: ") {
		t.Errorf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(p.Home, "Library", "Fonts", "Fake.ttf")); err == nil {
		t.Error("a file that is not a font was installed")
	}
}

func TestPathSHA256Mismatch(t *testing.T) {
	t.Parallel()
	p := detect.Platform{OS: "linux", Home: t.TempDir()}
	r := newFont(t, "DejaVu Sans Mono", &recipe.Font{Path: "fonts/DejaVuSansMono.ttf", SHA256: strings.Repeat("ab", 32)}, p, Options{})
	_, err := r.Observe(t.Context(), newHost(t, nil))
	if err == nil || !strings.Contains(err.Error(), "sha256 is "+dejavuSHA256+", the recipe says abab") {
		t.Errorf("err = %v", err)
	}
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	linux := detect.Platform{OS: "linux", Home: "/home/lab"}
	tests := []struct {
		name string
		spec *recipe.Font
		p    detect.Platform
		want string
	}{
		{name: "nothing", spec: &recipe.Font{}, p: linux, want: `font "X": give url or path, not both or neither`},
		{name: "nil", p: linux, want: `font "X": give url or path, not both or neither`},
		{name: "both", spec: &recipe.Font{URL: "https://x/a.ttf", SHA256: dejavuSHA256, Path: "a.ttf"}, p: linux, want: `font "X": give url or path, not both or neither`},
		{name: "url without sha256", spec: &recipe.Font{URL: "https://x/a.ttf"}, p: linux, want: `font "X": a url needs its sha256`},
		{name: "bad sha256", spec: &recipe.Font{URL: "https://x/a.ttf", SHA256: "abc"}, p: linux, want: `font "X": sha256 "abc" is not 64 hex digits`},
		{name: "an archive", spec: &recipe.Font{URL: "https://x/JetBrainsMono.zip", SHA256: dejavuSHA256}, p: linux, want: `font "X": https://x/JetBrainsMono.zip is not a .ttf, .otf, .ttc or .otc file`},
		{name: "no home", spec: byPath(), p: detect.Platform{OS: "linux"}, want: `font "X": the host has no home folder to install into`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := New("X", tt.spec, "/recipe", tt.p, Options{})
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestPerUser(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"10.0.17763": true, "10.0.22631": true, "10.0.26100.1742": true, "": true, "10.0": true,
		"10.0.17134": false, "10.0.14393": false, "6.3.9600": false, "6.1.7601": false, "5.1.2600": false,
	}
	for v, want := range tests {
		if got := perUser(v); got != want {
			t.Errorf("perUser(%q) = %v, want %v", v, got, want)
		}
	}
}

// On Windows a font is installed when its file is in the fonts folder and
// the registry value names it: a file without its value (a failed or
// interrupted apply, a value deleted) is a change, and apply writes only
// what is missing, through the System (no reg process, which could be
// any reg on the PATH).
func TestWindowsRegistration(t *testing.T) {
	t.Parallel()
	const (
		hkcu  = `HKCU\Software\Microsoft\Windows NT\CurrentVersion\Fonts`
		hklm  = `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts`
		value = "DejaVu Sans Mono (TrueType)"
	)
	tests := []struct {
		name    string
		version string // Windows NT version; 10.0.22631 when ""
		file    string // what is in the font's place first: "font", "other" or none
		reg     string // the value's data first; "<path>" is the font's place, "" missing, "<empty>" empty
		want    string // the change, "" for none
		write   bool   // apply writes the file
		set     string // the value apply writes, "" none
	}{
		{
			name: "file right, value missing", file: "font",
			want: `~ not registered (` + hkcu + ` "` + value + `" missing)`, set: "<path>",
		},
		{
			name: "file right, value names another file", file: "font", reg: `D:\old fonts\DejaVuSansMono.ttf`,
			want: `~ registered as another file (` + hkcu + ` "` + value + `" is "D:\old fonts\DejaVuSansMono.ttf")`, set: "<path>",
		},
		{
			name: "file right, value empty", file: "font", reg: "<empty>",
			want: `~ registered as another file (` + hkcu + ` "` + value + `" is "")`, set: "<path>",
		},
		{name: "file and value right", file: "font", reg: "<path>"},
		{name: "the value in another case", file: "font", reg: "<PATH>"},
		{name: "nothing there", want: "+ absent", write: true, set: "<path>"},
		{name: "file missing, value right", reg: "<path>", want: "+ absent", write: true},
		{name: "another file, value right", file: "other", reg: "<path>", want: "~ differs", write: true},
		{
			name: "windows 7 as an administrator: HKLM holds the file's name", version: "6.1.7601", file: "font",
			want: `~ not registered (` + hklm + ` "` + value + `" missing)`, set: "DejaVuSansMono.ttf",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			h := newHost(t, map[string]string{"LOCALAPPDATA": filepath.Join(tmp, "local"), "WINDIR": filepath.Join(tmp, "windows")})
			p := detect.Platform{OS: "windows", Version: cmp.Or(tt.version, "10.0.22631"), Home: tmp, Admin: true}
			r := newFont(t, "DejaVu Sans Mono", byPath(), p, Options{})
			pl := r.where(h)
			key := hkcu
			if tt.version != "" {
				key = hklm
			}
			// the font's place is a Windows path: its folders are made
			// on Windows, and off it the whole tail is one file name
			switch tt.file {
			case "font":
				writeFile(t, pl.path, readDejaVu(t))
			case "other":
				writeFile(t, pl.path, []byte("an older version"))
			}
			expand := strings.NewReplacer("<path>", pl.path, "<PATH>", strings.ToUpper(pl.path), "<empty>", "")
			if tt.reg != "" {
				h.WithRegistry(key, value, system.RegValue{Data: expand.Replace(tt.reg)})
			}

			var got string
			for _, c := range converge(t, r, h) {
				got += c.Action.Symbol() + " " + c.Why
				if c.Subject != pl.path {
					t.Errorf("subject = %q, want %q", c.Subject, pl.path)
				}
			}
			if got != tt.want {
				t.Errorf("changes = %q\nwant      %q", got, tt.want)
			}
			if wrote := len(h.Log(systemtest.WriteFile)) > 0; wrote != tt.write {
				t.Errorf("the file was written: %v, want %v (%q)", wrote, tt.write, h.Log(systemtest.WriteFile))
			}
			var set string
			if tt.set != "" {
				set = key + `\` + value + " = " + expand.Replace(tt.set)
			}
			if g := strings.Join(h.Log(systemtest.SetRegistry), "\n"); g != set {
				t.Errorf("registry set %q, want %q", g, set)
			}
			if len(h.Ran()) > 0 {
				t.Errorf("ran %q, want nothing (no reg process)", h.Ran())
			}
			if data, err := os.ReadFile(pl.path); err != nil || sum(data) != dejavuSHA256 {
				t.Errorf("installed font: %d bytes, %v", len(data), err)
			}
		})
	}
}

// A registry value that cannot be written fails the apply, naming the
// key, and a plan records the value as a registry step, never a run.
func TestWindowsRegistrationFails(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	denied := errors.New("Access is denied.")
	h := newHost(t, map[string]string{"LOCALAPPDATA": filepath.Join(tmp, "local")})
	h.Hook(func(v systemtest.Verb, name string) error {
		if v == systemtest.SetRegistry { // as system.Real fails: naming the key and the value
			return fmt.Errorf("registry %s: %w", name, denied)
		}
		return nil
	})
	p := detect.Platform{OS: "windows", Version: "10.0.19045", Home: tmp}
	r := newFont(t, "DejaVu Sans Mono", byPath(), p, Options{})
	writeFile(t, r.where(h).path, readDejaVu(t))

	o, err := r.Observe(t.Context(), h)
	if err != nil {
		t.Fatal(err)
	}
	dry := system.NewDryRun(h)
	if err := r.Apply(t.Context(), dry, o); err != nil {
		t.Fatal(err)
	}
	want := `registry HKCU\Software\Microsoft\Windows NT\CurrentVersion\Fonts (DejaVu Sans Mono (TrueType) = ` + r.where(h).path + ")\n"
	if got := dry.String(); got != want {
		t.Errorf("plan steps:\n%s\nwant:\n%s", got, want)
	}

	err = r.Apply(t.Context(), h, o)
	if err == nil || !strings.Contains(err.Error(), `HKCU\Software\Microsoft\Windows NT\CurrentVersion\Fonts\DejaVu Sans Mono (TrueType): Access is denied.`) {
		t.Errorf("err = %v, want the key named", err)
	}
	if len(h.Ran()) > 0 || len(h.Log(systemtest.WriteFile)) > 0 {
		t.Errorf("ran %q, wrote %q; want neither", h.Ran(), h.Log(systemtest.WriteFile))
	}
}

func writeFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
