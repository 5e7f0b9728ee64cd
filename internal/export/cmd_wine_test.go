//go:build wine

package export

// The batch scripts run for real under Wine's cmd.exe, with the prefix set
// to Windows XP x64 (then 7):
//
//	go test -tags wine -run Wine ./internal/export/
//
// It takes under a minute: making the prefix is most of it. Wine 8's fc
// and findstr are stubs that always exit 0, and its cmd lacks
// !var:~n,m! and echo(; the scripts find out (fc and findstr are tried on
// two known files first) and say so in the log, and use neither echo( nor
// delayed-expansion substrings.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/envup/envup/internal/detect"
)

const (
	wine64     = "/usr/lib/wine/wine64"
	wineserver = "/usr/lib/wine/wineserver"
)

type winePrefix struct {
	t    *testing.T
	path string
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

// run runs a Wine command. Its output goes through files, not pipes:
// Wine's helper processes inherit them and keep a pipe open after wine64
// exits.
func (w *winePrefix) run(args ...string) (code int, stdout string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := w.t.TempDir()
	fo, err := os.Create(filepath.Join(dir, "stdout"))
	if err != nil {
		w.t.Fatal(err)
	}
	defer fo.Close()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = w.env()
	cmd.Stdout, cmd.Stderr = fo, fo
	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		code = exitErr.ExitCode()
	case err != nil:
		w.t.Fatalf("%v: %v", args, err)
	}
	out, _ := os.ReadFile(fo.Name())
	return code, strings.ReplaceAll(string(out), "\r\n", "\n")
}

func newWinePrefix(t *testing.T, winver string) *winePrefix {
	t.Helper()
	w := &winePrefix{t: t, path: filepath.Join(t.TempDir(), "prefix")}
	t.Cleanup(func() {
		k := exec.Command(wineserver, "-k")
		k.Env = w.env()
		_ = k.Run()
		// Debian's wine keeps its socket folder in /tmp
		if b, err := os.ReadFile(filepath.Join(w.path, "wineserver")); err == nil {
			if name := strings.TrimSpace(string(b)); strings.HasPrefix(name, "wine-") {
				_ = os.RemoveAll(filepath.Join(os.TempDir(), name))
			}
		}
	})
	for _, args := range [][]string{{wine64, "wineboot", "-i"}, {wine64, "winecfg", "-v", winver}, {wineserver, "-w"}} {
		if code, out := w.run(args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, out)
		}
	}
	return w
}

// unix is where a Windows path on drive C of the prefix is.
func (w *winePrefix) unix(win string) string {
	rest, ok := strings.CutPrefix(strings.ToLower(win[:3]), `c:\`)
	if !ok {
		w.t.Fatalf("%s is not on C:", win)
	}
	return filepath.Join(w.path, "drive_c", rest, filepath.FromSlash(strings.ReplaceAll(win[3:], `\`, "/")))
}

// regValues reads the string values under a key of the prefix's registry.
func (w *winePrefix) regValues(key string) map[string]string {
	w.t.Helper()
	code, out := w.run(wine64, "reg", "query", key)
	if code != 0 {
		w.t.Fatalf("reg query %s: exit %d\n%s", key, code, out)
	}
	values := map[string]string{}
	for _, l := range strings.Split(out, "\n") {
		if name, value, ok := strings.Cut(strings.TrimPrefix(l, "    "), "    REG_SZ    "); ok {
			values[name] = value
		}
	}
	return values
}

func writeCmd(t *testing.T, s *Script, name string) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteCmd(&b, s); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCmdUnderWine(t *testing.T) {
	if _, err := os.Stat(wine64); err != nil {
		t.Skip("wine64 is not installed (apt-get install wine64)")
	}
	w := newWinePrefix(t, "winxp64")
	_, profile := w.run(wine64, "cmd", "/c", "echo %USERPROFILE%")
	profile = strings.TrimSpace(profile)
	home := w.unix(profile)

	dir := filepath.Join(t.TempDir(), "envup & co (usb)")
	if err := os.MkdirAll(filepath.Join(dir, "files"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "files", "hello.txt"), "hello\r\n")
	writeFile(t, filepath.Join(dir, "files", "done.txt"), "done\r\n")
	dp0 := `Z:` + strings.ReplaceAll(dir, "/", `\`) + `\`

	// reg.exe stores its /d argument as it receives it: the registry is
	// the witness of what each argument became
	const key = `HKCU\Software\EnvupExport`
	var args []string
	for _, a := range hostileArgs {
		if _, err := cmdArg(a, false); err == nil && !strings.HasPrefix(a, "/") && !strings.HasPrefix(a, "-") {
			args = append(args, a)
		}
	}
	target := Target{OS: "windows", Version: "5.2", Arch: "amd64", Name: "windows xp x64"}
	s := &Script{Recipe: "wine test", Target: target, Ops: []Op{
		{Kind: Section, Resource: "app/files", Title: "the app's files", Path: `~\envup-test\done.txt`},
		{Kind: Mkdir, Resource: "app/files", Path: `~\envup-test\sub dir`},
		{Kind: Copy, Resource: "app/files", From: "hello.txt", Path: `~\envup-test\conf (x)\hello & copy.txt`},
	}}
	for i, a := range args {
		s.Ops = append(s.Ops, Op{Kind: Run, Resource: "app/files", Argv: []string{"reg", "add", key, "/v", fmt.Sprintf("a%02d", i), "/t", "REG_SZ", "/d", a, "/f"}})
	}
	s.Ops = append(s.Ops,
		Op{Kind: Copy, Resource: "app/files", From: "done.txt", Path: `~\envup-test\done.txt`},
		Op{Kind: Section, Resource: "font/x", Title: "a font for all users"},
		Op{Kind: Admin, Resource: "font/x", Title: "fonts go to all users"},
		Op{Kind: Note, Resource: "font/x", Title: "log off to see it (100% sure)"},
		Op{Kind: Section, Resource: "checks", Title: "checks"},
		Op{Kind: Check, Title: "a quoted value", Argv: []string{"reg", "query", key, "/v", fmt.Sprintf("a%02d", slices.Index(args, `say "hi" & bye`))}, Expect: `say "hi" & bye`},
		Op{Kind: Check, Title: "the copy", Argv: []string{"type", `~\envup-test\conf (x)\hello & copy.txt`}, Expect: "hello", ExpectRe: `^hel*o$`},
		Op{Kind: Check, Title: "no findstr form", Argv: []string{"type", `~\envup-test\conf (x)\hello & copy.txt`}, ExpectRe: `^(hello|bye)$`},
	)
	script := filepath.Join(dir, "setup.cmd")
	writeCmd(t, s, script)
	logPath := filepath.Join(dir, "setup.log")

	code, out := w.run(wine64, script)
	if code != 0 {
		t.Fatalf("first run: exit %d\n%s\nlog:\n%s", code, out, readFile(t, logPath))
	}
	values := w.regValues(key)
	if len(values) != len(args) {
		t.Errorf("reg.exe stored %d values, want %d", len(values), len(args))
	}
	t.Logf("%d hostile arguments went through setup.cmd to reg.exe", len(args))
	if os.Getenv("ENVUP_WINE_LOG") != "" {
		t.Logf("setup.log:\n%s", readFile(t, logPath))
	}
	for i, a := range args {
		want := a
		switch pre, sym, rest := splitArgSymbol(a); sym {
		case "~":
			want = pre + profile + rest
		case "{files}":
			want = pre + dp0 + "files" + rest
		}
		if got := values[fmt.Sprintf("a%02d", i)]; got != want {
			t.Errorf("argument %q reached reg.exe as %q", want, got)
		}
	}
	if fi, err := os.Stat(filepath.Join(home, "envup-test", "sub dir")); err != nil || !fi.IsDir() {
		t.Errorf("mkdir: %v", err)
	}
	if got := readFile(t, filepath.Join(home, "envup-test", "conf (x)", "hello & copy.txt")); got != "hello\r\n" {
		t.Errorf("copy: %q", got)
	}
	log := readFile(t, logPath)
	for _, want := range []string{
		"[1/3] app/files: the app's files", "  note: log off to see it (100% sure)", "envup setup: done, 3 checks passed",
		"findstr /r does not work here", `expect_re "^hel*o$" is not checked: findstr does not work here`,
		`expect_re "^(hello|bye)$" is not checked: findstr has no |`, "reg: The operation completed successfully",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}

	// second run: the section is skipped, so the folder stays gone
	if err := os.Remove(filepath.Join(home, "envup-test", "sub dir")); err != nil {
		t.Fatal(err)
	}
	if code, out := w.run(wine64, script); code != 0 || !strings.Contains(out, "already there, skipped") {
		t.Errorf("second run: exit %d, want 0 with the section skipped\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(home, "envup-test", "sub dir")); err == nil {
		t.Error("second run: the skipped section made its folder")
	}

	// without the marker the section runs again; Wine's fc finds every
	// two files equal, so the script copies without comparing
	if err := os.Remove(filepath.Join(home, "envup-test", "done.txt")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(home, "envup-test", "conf (x)", "hello & copy.txt"), "changed\r\n")
	if code, out := w.run(wine64, script); code != 0 {
		t.Errorf("third run: exit %d\n%s", code, out)
	}
	if got := readFile(t, filepath.Join(home, "envup-test", "conf (x)", "hello & copy.txt")); got != "hello\r\n" {
		t.Errorf("third run: the changed copy is %q", got)
	}
	if !strings.Contains(readFile(t, logPath), "fc /b finds two different files equal here") {
		t.Error("the log does not say fc cannot compare")
	}

	// a failed command stops the script with its status; a failed check
	// is counted and the script exits 1
	failing := &Script{Target: target, Ops: []Op{
		{Kind: Section, Resource: "x/y", Title: "fails"},
		{Kind: Check, Title: "missing value", Argv: []string{"reg", "query", key, "/v", "nothere"}},
		{Kind: Run, Resource: "x/y", Argv: []string{"reg", "query", `HKCU\Software\EnvupNothere`}},
		{Kind: Mkdir, Resource: "x/y", Path: `~\never`},
	}}
	writeCmd(t, failing, filepath.Join(dir, "fail.cmd"))
	if code, out := w.run(wine64, filepath.Join(dir, "fail.cmd")); code != 1 || !strings.Contains(out, "FAILED: exit status 1") {
		t.Errorf("failing run: exit %d, want 1\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(home, "never")); err == nil {
		t.Error("the script went on after a failed command")
	}
	checkOnly := &Script{Target: target, Ops: []Op{{Kind: Check, Title: "missing value", Argv: []string{"reg", "query", key, "/v", "nothere"}}}}
	writeCmd(t, checkOnly, filepath.Join(dir, "check.cmd"))
	if code, out := w.run(wine64, filepath.Join(dir, "check.cmd")); code != 1 || !strings.Contains(out, "1 of 1 checks failed") {
		t.Errorf("failing check: exit %d, want 1\n%s", code, out)
	}

	// another host (XP, 32-bit): exit 2, and nothing written
	wrongDir := filepath.Join(t.TempDir(), "wrong")
	if err := os.Mkdir(wrongDir, 0o755); err != nil {
		t.Fatal(err)
	}
	wrong := *s
	wrong.Target = xpTarget
	wrong.Ops = []Op{{Kind: Mkdir, Path: `~\envup-wrong`}}
	writeCmd(t, &wrong, filepath.Join(wrongDir, "setup.cmd"))
	code, out = w.run(wine64, filepath.Join(wrongDir, "setup.cmd"))
	if code != 2 || !strings.Contains(out, `this host says "Microsoft Windows 5.2.3790" AMD64`) {
		t.Errorf("wrong host: exit %d, want 2\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(home, "envup-wrong")); err == nil {
		t.Error("wrong host: the folder was made")
	}
	if _, err := os.Stat(filepath.Join(wrongDir, "setup.log")); err == nil {
		t.Error("wrong host: a log was written")
	}

	// the probe, on XP x64 and then on 7
	var b bytes.Buffer
	if err := WriteProbe(&b, "cmd"); err != nil {
		t.Fatal(err)
	}
	probe := filepath.Join(dir, "probe.cmd")
	if err := os.WriteFile(probe, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		winver string
		want   detect.Platform
	}{
		{"winxp64", detect.Platform{OS: "windows", Version: "5.2.3790", Name: "xp x64", Arch: "amd64", Edition: "Microsoft Windows XP", Build: "Service Pack 2"}},
		{"win7", detect.Platform{OS: "windows", Version: "6.1.7601", Name: "7", Arch: "amd64", Edition: "Windows 7 Professional", Build: "Service Pack 1"}},
	} {
		if code, out := w.run(wine64, "winecfg", "-v", c.winver); code != 0 {
			t.Fatalf("winecfg -v %s: exit %d\n%s", c.winver, code, out)
		}
		code, out := w.run(wine64, probe)
		var got detect.Platform
		if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
			t.Errorf("probe on %s: exit %d, %v\n%s", c.winver, code, err, out)
			continue
		}
		got.Managers = nil
		if got.OS != c.want.OS || got.Version != c.want.Version || got.Name != c.want.Name || got.Arch != c.want.Arch || got.Server {
			t.Errorf("probe on %s: %+v, want %+v\n%s", c.winver, got, c.want, out)
		}
		t.Logf("probe on %s: %s", c.winver, strings.TrimSpace(out))
	}
	// and a script made for 7 runs on 7
	seven := &Script{Target: Target{OS: "windows", Version: "6.1", Arch: "amd64", Name: "windows 7"}, Ops: []Op{{Kind: Note, Title: "hello from 7"}}}
	writeCmd(t, seven, filepath.Join(dir, "seven.cmd"))
	if code, out := w.run(wine64, filepath.Join(dir, "seven.cmd")); code != 0 || !strings.Contains(out, "hello from 7") {
		t.Errorf("a script for 7 on 7: exit %d\n%s", code, out)
	}
}
