package export

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// Every hostile argument comes out of the real /bin/sh as it went in.
func TestShQuote(t *testing.T) {
	t.Parallel()
	sh := lookPath(t, "sh")
	args := slices.DeleteFunc(slices.Clone(hostileArgs), func(a string) bool {
		_, sym, _ := splitArgSymbol(a)
		return sym != ""
	})
	args = append(args, "a\nb", "$(echo x)", "`id`", "\\'", "'\\''", "*.go", "~/x")
	words := make([]string, len(args))
	for i, a := range args {
		words[i] = shQuote(a)
	}
	out, err := exec.CommandContext(t.Context(), sh, "-c", `printf '%s\0' `+strings.Join(words, " ")).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if !slices.Equal(got, args) {
		t.Errorf("sh gave\n%q\nwant\n%q", got, args)
	}
	for _, c := range []struct{ in, want string }{
		{"plain", "plain"}, {"a b", "'a b'"}, {"it's", `'it'\''s'`}, {"", "''"}, {"~", "'~'"}, {"=x", "'=x'"},
		{"$HOME", `"\$HOME"`}, {`C:\x\`, `"C:\\x\\"`}, {"a`b`\"c", "\"a\\`b\\`\\\"c\""},
	} {
		if got := shQuote(c.in); got != c.want {
			t.Errorf("shQuote(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestShArgSymbols(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"~", `"$HOME"`},
		{"~/.local/bin", `"$HOME"/.local/bin`},
		{"~/my dir", `"$HOME"'/my dir'`},
		{"{files}/python.pkg", `"$here/files"/python.pkg`},
		{"--prefix=~/.local", `--prefix="$HOME"/.local`},
		{"~user", "'~user'"},
	} {
		if got, err := shArg(c.in); err != nil || got != c.want {
			t.Errorf("shArg(%q) = %s, %v; want %s", c.in, got, err, c.want)
		}
	}
}

// Each translatable pattern matches, under the real grep -E in the C
// locale, the same lines as the Go regexp does.
func TestEREMatchesAsGo(t *testing.T) {
	t.Parallel()
	grep := lookPath(t, "grep")
	lines := []string{
		"Python 3.4.4", "Python 3.4", "python 3.4.4", "PONG", "pong", "PONGS", "x PONG y", "pip 7.1.2 from here",
		"", " ", "a.b", "axb", "a-b", "a]b", "a^b", "a\\b", "[x]", "{1}", "aaa", "ab", "abab", "colour", "color",
		"tab\there", "v=10", "$HOME", "100%", "a|b", "(x)", "x+y", "x?y", "-", "^", "]",
	}
	patterns := []string{
		`^Python 3\.4\.\d+$`, `PONG`, `^(PONG|pong)$`, `(?i)pong`, `^pip \d+\.\d+`, `a.b`, `a[.]b`, `a[]^\\-]b`,
		`[^a-z]`, `^$`, `^\s*$`, `\S+`, `\w+=\d+`, `(ab)+`, `a{2,}`, `a{1,2}b`, `colou?r`, `x\+y`, `x\?y`, `\$HOME`,
		`100%`, `a\|b`, `\(x\)`, `[-]`, `[\^]`, `\^`, `[\]]`, `(?:ab|a)b`, `.*`, ``, `x*?y`, `[[:alpha:]]+`, `\x41`,
		`(?m)^a`, `[\t]`,
	}
	input := strings.Join(lines, "\n") + "\n"
	for _, p := range patterns {
		ere, err := ereRegexp(p)
		if err != nil {
			t.Errorf("ereRegexp(%q): %v", p, err)
			continue
		}
		cmd := exec.CommandContext(t.Context(), grep, "-n", "-E", "-e", ere)
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		cmd.Stdin = strings.NewReader(input)
		out, err := cmd.Output()
		var exitErr *exec.ExitError
		if err != nil && !(errors.As(err, &exitErr) && exitErr.ExitCode() == 1) {
			t.Errorf("grep -E %s (from %q): %v", ere, p, err)
			continue
		}
		var got []string
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			n, _, _ := strings.Cut(sc.Text(), ":")
			got = append(got, n)
		}
		re := regexp.MustCompile(p)
		var want []string
		for i, l := range lines {
			if re.MatchString(l) {
				want = append(want, fmt.Sprint(i+1))
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q as ERE %s matches lines %v, Go matches %v", p, ere, got, want)
		}
	}
	for _, c := range []struct{ re, err string }{
		{`\bPONG\b`, `\b`},
		{`caf\x{e9}[\x{e0}-\x{ff}]`, "non-ASCII"},
		{`a{300}`, "255"},
		{`[^\x00-\x{10FFFF}]`, "matches nothing"},
		{`(`, "not a regexp"},
	} {
		if got, err := ereRegexp(c.re); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("ereRegexp(%q) = %q, %v; want an error about %q", c.re, got, err, c.err)
		}
	}
}

func TestWriteShGolden(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteSh(&b, writerScript(debianTarget, "/")); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "writer.sh", b.Bytes())
	shellcheck(t, b.Bytes())

	b.Reset()
	lion := Target{OS: "macos", Version: "10.7", Arch: "amd64", Name: "os x lion"}
	if err := WriteSh(&b, writerScript(lion, "/")); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "writer-macos.sh", b.Bytes())
	shellcheck(t, b.Bytes())
}

func TestWriteShRefuses(t *testing.T) {
	t.Parallel()
	if err := WriteSh(&bytes.Buffer{}, &Script{Target: xpTarget}); err == nil || !strings.Contains(err.Error(), "linux and macos") {
		t.Errorf("WriteSh for windows: %v", err)
	}
	s := &Script{Target: debianTarget, Ops: []Op{{Kind: Run, Resource: "a/b", Argv: []string{"x", "a\x00b"}}}}
	if err := WriteSh(&bytes.Buffer{}, s); err == nil || !strings.Contains(err.Error(), "op 1 (run a/b)") {
		t.Errorf("WriteSh with a NUL: %v", err)
	}
}

// shellcheck runs shellcheck -s sh on a script; the test is skipped where
// shellcheck is not installed (apt-get install shellcheck).
func shellcheck(t *testing.T, script []byte) {
	t.Helper()
	sc, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Skip("shellcheck is not installed")
	}
	cmd := exec.CommandContext(t.Context(), sc, "-s", "sh", "-")
	cmd.Stdin = bytes.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("shellcheck -s sh: %v\n%s", err, out)
	}
}

func lookPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed", name)
	}
	return p
}

// hostTarget is this machine as a Target, from os-release.
func hostTarget(t *testing.T) Target {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the sh script runs for real only on Linux")
	}
	data, err := os.ReadFile("/etc/os-release")
	if err != nil {
		t.Skip(err)
	}
	field := func(k string) string {
		m := regexp.MustCompile(`(?m)^` + k + `="?([^"\n]*)"?$`).FindSubmatch(data)
		if m == nil {
			return ""
		}
		return string(m[1])
	}
	arch := map[string]string{"amd64": "amd64", "arm64": "arm64", "386": "386"}[runtime.GOARCH]
	return Target{OS: "linux", Distro: field("ID"), Version: field("VERSION_ID"), Arch: arch, Name: "this machine"}
}

// shRun writes s as setup.sh into dir (with files/ holding files) and
// runs it with /bin/sh, HOME set to home.
func shRun(t *testing.T, s *Script, dir, home string) (code int, out string) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSh(&b, s); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "setup.sh")
	if err := os.WriteFile(script, b.Bytes(), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60_000_000_000)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", script)
	cmd.Env = []string{"HOME=" + home, "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C"}
	cmd.Dir = t.TempDir()
	o, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		code = exitErr.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return code, string(o)
}

// The sh script runs for real with /bin/sh (dash here) in a folder whose
// name needs quoting: it makes the folder, copies the file, passes every
// hostile argument through, runs the checks; a second run skips the
// section; a failed check is counted and exits 1; a failed command stops
// the script with its status; another host stops it at once with exit 2
// and nothing written.
func TestShRuns(t *testing.T) {
	t.Parallel()
	target := hostTarget(t)
	dir := filepath.Join(t.TempDir(), `it's a "usb" & co`)
	home := filepath.Join(t.TempDir(), "home dir")
	for _, d := range []string{filepath.Join(dir, "files"), home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(dir, "files", "hello.txt"), "hello\n")
	writeFile(t, filepath.Join(dir, "files", "args.sh"), `for a; do printf '[%s]\n' "$a"; done >"$HOME/app/args.txt"`+"\n")
	args := slices.DeleteFunc(slices.Clone(hostileArgs), func(a string) bool { return strings.ContainsRune(a, '\\') })
	args = append(args, "~/y", "--prefix=~/x", "$(touch pwned)", "a\nb")
	s := &Script{Recipe: "run test", Target: target, Ops: []Op{
		{Kind: Section, Resource: "app/files", Title: "the app's files", Path: "~/app/done"},
		{Kind: Mkdir, Resource: "app/files", Path: "~/app/sub dir"},
		{Kind: Copy, Resource: "app/files", From: "hello.txt", Path: "~/app/conf/hello copy.txt"},
		{Kind: Run, Resource: "app/files", Argv: append([]string{"sh", "{files}/args.sh"}, args...)},
		{Kind: Note, Resource: "app/files", Title: "it's done"},
		{Kind: Run, Resource: "app/files", Argv: []string{"touch", "~/app/done"}},
		{Kind: Section, Resource: "checks", Title: "checks"},
		{Kind: Check, Title: "hello", Argv: []string{"cat", "~/app/conf/hello copy.txt"}, Expect: "hello"},
		{Kind: Check, Title: "hello, exactly", Argv: []string{"cat", "~/app/conf/hello copy.txt"}, ExpectRe: `^hel+o$`},
		{Kind: Check, Title: "a later line", Argv: []string{"printf", `%s\n`, "x", "Python 3.4.4"}, ExpectRe: `^Python 3\.4\.\d+$`},
		{Kind: Check, Title: "a word", Argv: []string{"printf", `%s\n`, "a.b"}, ExpectRe: `\ba\b`},
	}}
	logPath := filepath.Join(dir, "setup.log")

	code, out := shRun(t, s, dir, home)
	if code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, out)
	}
	var want strings.Builder
	for _, a := range args {
		switch pre, sym, rest := splitArgSymbol(a); sym {
		case "~":
			a = pre + home + rest
		case "{files}":
			a = pre + filepath.Join(dir, "files") + rest
		}
		fmt.Fprintf(&want, "[%s]\n", a)
	}
	if got := readFile(t, filepath.Join(home, "app", "args.txt")); got != want.String() {
		t.Errorf("args.txt:\n%s\nwant\n%s", got, want.String())
	}
	if got := readFile(t, filepath.Join(home, "app", "conf", "hello copy.txt")); got != "hello\n" {
		t.Errorf("copy: %q", got)
	}
	if fi, err := os.Stat(filepath.Join(home, "app", "sub dir")); err != nil || !fi.IsDir() {
		t.Errorf("mkdir: %v", err)
	}
	log := readFile(t, logPath)
	for _, w := range []string{"run: sh {files}/args.sh plain", "+ cat \"~/app/conf/hello copy.txt\"", "[1/2] app/files: the app's files", "note: it's done", `expect_re "\ba\b" is not checked: POSIX ERE has no \b`, "envup setup: done, 4 checks passed"} {
		if !strings.Contains(log, w) {
			t.Errorf("the log lacks %q:\n%s", w, log)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
		t.Error("an argument ran as a command")
	}

	// second run: the section is skipped (the folder stays gone), the
	// changed file fails the exact check
	if err := os.Remove(filepath.Join(home, "app", "sub dir")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(home, "app", "conf", "hello copy.txt"), "hello world\n")
	code, out = shRun(t, s, dir, home)
	if code != 1 || !strings.Contains(out, "already there, skipped") || !strings.Contains(out, "1 of 4 checks failed") {
		t.Errorf("second run: exit %d, want 1 with the section skipped and one check failed\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(home, "app", "sub dir")); err == nil {
		t.Error("second run: the skipped section made its folder")
	}

	// without the marker the section runs again: the changed file is
	// copied back, then, unchanged, kept
	for _, wantCopy := range []string{"+ cp ", "same bytes already there: kept"} {
		if err := os.Remove(filepath.Join(home, "app", "done")); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(logPath, 0); err != nil {
			t.Fatal(err)
		}
		code, out = shRun(t, s, dir, home)
		if code != 0 || !strings.Contains(readFile(t, logPath), wantCopy) {
			t.Errorf("run without the marker: exit %d, want 0 and %q in the log\n%s", code, wantCopy, out)
		}
	}
	if got := readFile(t, filepath.Join(home, "app", "conf", "hello copy.txt")); got != "hello\n" {
		t.Errorf("copy after the re-run: %q", got)
	}

	// a failed command stops the script with its status
	failing := &Script{Target: target, Ops: []Op{
		{Kind: Section, Resource: "x/y", Title: "fails"},
		{Kind: Run, Resource: "x/y", Argv: []string{"sh", "-c", "exit 7"}},
		{Kind: Run, Resource: "x/y", Argv: []string{"touch", "~/never"}},
	}}
	if code, out := shRun(t, failing, dir, home); code != 7 || !strings.Contains(out, "FAILED: exit status 7") {
		t.Errorf("failing run: exit %d, want 7\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(home, "never")); err == nil {
		t.Error("the script went on after a failed command")
	}

	// another host: exit 2, and nothing written anywhere
	wrong := *s
	wrong.Target.Version = "99"
	wrongDir, wrongHome := t.TempDir(), t.TempDir()
	if err := os.Mkdir(filepath.Join(wrongDir, "files"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, out = shRun(t, &wrong, wrongDir, wrongHome)
	if code != 2 || !strings.Contains(out, "this script is for this machine") {
		t.Errorf("wrong host: exit %d, want 2\n%s", code, out)
	}
	for _, d := range []string{wrongHome, filepath.Join(wrongDir, "files")} {
		if entries, _ := os.ReadDir(d); len(entries) != 0 {
			t.Errorf("wrong host: %s holds %v", d, entries)
		}
	}
	if _, err := os.Stat(filepath.Join(wrongDir, "setup.log")); err == nil {
		t.Error("wrong host: a log was written")
	}

	var b bytes.Buffer
	if err := WriteSh(&b, s); err != nil {
		t.Fatal(err)
	}
	shellcheck(t, b.Bytes())
}

func writeFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Error(err)
	}
	return string(data)
}
