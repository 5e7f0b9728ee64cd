package export

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// ---- shared by the writers' tests

// writerScript is the fixed small script every writer's golden file is
// made from: a section with a skip path (a folder, a copy, a command
// with awkward arguments), a section without one (an administrator
// check, a note), and checks by Expect and by regexps that translate
// and that do not. sep is the target's path separator.
func writerScript(target Target, sep string) *Script {
	p := func(s string) string { return strings.ReplaceAll(s, "/", sep) }
	return &Script{
		Recipe: "golden",
		Target: target,
		Ops: []Op{
			{Kind: Section, Resource: "interpreter/python", Title: "python 3.4.4 from python-3.4.4.msi", Path: p("~/Python34/python.exe")},
			{Kind: Mkdir, Resource: "interpreter/python", Path: p("~/Python34")},
			{Kind: Copy, Resource: "interpreter/python", From: "python-3.4.4.msi", Path: p("~/Downloads (old)/python & co.msi")},
			{Kind: Run, Resource: "interpreter/python", Argv: []string{
				"msiexec", "/i", p("{files}/python-3.4.4.msi"), "/qn", p("TARGETDIR=~/Python34"),
				"a b", `say "hi" & bye`, "100%", "^(x)|<y>", "", `C:\Program Files\x\`, "!bang!", `it's`,
			}},
			{Kind: Section, Resource: "font/dejavu-sans-mono", Title: "DejaVu Sans Mono"},
			{Kind: Admin, Resource: "font/dejavu-sans-mono", Title: "fonts go to all users on this system"},
			{Kind: Note, Resource: "font/dejavu-sans-mono", Title: "log off and on again to see the font (100% sure)"},
			{Kind: Section, Resource: "checks", Title: "the recipe's checks"},
			{Kind: Check, Title: "python runs", Argv: []string{p("~/Python34/python.exe"), "--version"}, Expect: "Python 3.4"},
			{Kind: Check, Title: "pip is 7 or later", Argv: []string{p("~/Python34/python.exe"), "-m", "pip", "--version"}, ExpectRe: `^pip \d+\.\d+`},
			{Kind: Check, Title: "redis answers", Argv: []string{"redis-cli", "ping"}, ExpectRe: `^(PONG|pong)$`},
			{Kind: Check, Title: "a word", Argv: []string{"redis-cli", "echo", "PONG"}, ExpectRe: `\bPONG\b`},
		},
	}
}

var (
	xpTarget     = Target{OS: "windows", Version: "5.1", Arch: "386", Name: "windows xp"}
	debianTarget = Target{OS: "linux", Version: "7", Arch: "amd64", Distro: "debian", Name: "debian 7"}
)

// checkGolden compares data with testdata/golden/name, or writes it there
// with -update (declared in export_test.go).
func checkGolden(t *testing.T, name string, data []byte) {
	t.Helper()
	golden := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./internal/export -update writes it)", err)
	}
	if !bytes.Equal(want, data) {
		t.Errorf("%s differs from its golden file (go test ./internal/export -run %s -update, then read the diff)", name, t.Name())
	}
}

// ---- cmd.exe, simulated

// cmdEnv is what the simulated cmd.exe expands: hostile folders, with a
// space, "&" and parentheses, as a user's may have.
var cmdEnv = map[string]string{
	"~dp0":        `C:\Documents and Settings\Tom & Jerry (x)\usb\`,
	"USERPROFILE": `C:\Documents and Settings\Tom & Jerry (x)`,
}

// cmdParse does to one batch line what cmd.exe does before it starts a
// program: percent expansion (%% is %, %~dp0 and %NAME% expand), then the
// special-character phase (quotes toggle, a caret outside quotes takes the
// next character literally, an unescaped & | < > ( ) outside quotes is an
// error here, since it would split or redirect the command).
func cmdParse(line string, env map[string]string) (string, error) {
	var exp strings.Builder
	for i := 0; i < len(line); i++ {
		if line[i] != '%' {
			exp.WriteByte(line[i])
			continue
		}
		if strings.HasPrefix(line[i:], "%%") {
			exp.WriteByte('%')
			i++
			continue
		}
		if strings.HasPrefix(line[i:], "%~dp0") {
			exp.WriteString(env["~dp0"])
			i += 4
			continue
		}
		j := strings.IndexByte(line[i+1:], '%')
		if j < 0 {
			return "", fmt.Errorf("lone %% at %d", i)
		}
		v, ok := env[line[i+1:i+1+j]]
		if !ok {
			return "", fmt.Errorf("unknown variable %q", line[i+1:i+1+j])
		}
		exp.WriteString(v)
		i += j + 1
	}
	s := exp.String()
	var out strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			quoted = !quoted
			out.WriteByte(c)
		case quoted:
			out.WriteByte(c)
		case c == '^':
			if i+1 == len(s) {
				return "", fmt.Errorf("caret at the end of %q continues the line", s)
			}
			i++
			out.WriteByte(s[i])
		case strings.IndexByte("&|<>()", c) >= 0:
			return "", fmt.Errorf("unescaped %q outside quotes in %q", c, s)
		default:
			out.WriteByte(c)
		}
	}
	if quoted {
		return "", fmt.Errorf("%q ends inside quotes: a redirection after it would be swallowed", s)
	}
	return out.String(), nil
}

// msvcrtParse splits a command line as the Microsoft C runtime (and
// CommandLineToArgvW) does: the program up to a space or between quotes,
// then arguments where 2n backslashes and a quote are n backslashes and a
// toggle, 2n+1 and a quote are n and a literal quote.
func msvcrtParse(s string) []string {
	var argv []string
	i := 0
	if strings.HasPrefix(s, `"`) {
		j := strings.IndexByte(s[1:], '"')
		if j < 0 {
			return []string{s[1:]}
		}
		argv = append(argv, s[1:1+j])
		i = j + 2
	} else {
		j := strings.IndexAny(s, " \t")
		if j < 0 {
			return []string{s}
		}
		argv = append(argv, s[:j])
		i = j
	}
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			return argv
		}
		var a strings.Builder
		quoted := false
		for i < len(s) {
			n := 0
			for i < len(s) && s[i] == '\\' {
				n++
				i++
			}
			if i < len(s) && s[i] == '"' {
				a.WriteString(strings.Repeat(`\`, n/2))
				if n%2 == 1 {
					a.WriteByte('"')
				} else {
					quoted = !quoted
				}
				i++
				continue
			}
			a.WriteString(strings.Repeat(`\`, n))
			if i >= len(s) || (!quoted && (s[i] == ' ' || s[i] == '\t')) {
				break
			}
			a.WriteByte(s[i])
			i++
		}
		argv = append(argv, a.String())
	}
}

// expandSymbols is what a program should receive for an argument with a
// path symbol, by cmdEnv.
func expandSymbols(a string) string {
	pre, sym, rest := splitArgSymbol(a)
	switch sym {
	case "~":
		return pre + cmdEnv["USERPROFILE"] + rest
	case "{files}":
		return pre + cmdEnv["~dp0"] + "files" + rest
	}
	return a
}

// hostileArgs are the arguments every writer's quoting is tried with.
var hostileArgs = []string{
	"plain", "", " ", "a b", "a\tb", `"`, `""`, `a"b`, `"a b"`, `say "hi" & bye`,
	`\`, `\\`, `a\`, `a b\`, `a b\\`, `\"`, `a\"b`, `a\\"b c`, `C:\Program Files\x\`,
	"%", "100%", "%PATH%", "%%", "%~dp0", "^", "a^b", "^^", "&", "a&b", "|", "<", ">", "a>b",
	"(", ")", "(x)", "^(x)|<y>", "!", "!bang!", ",", ";", "=", "a=b", "a,b;c", "'", `it's`, "''",
	"TARGETDIR=C:\\Python 34", "TARGETDIR=C:\\x y\\", "/D=C:\\x", "--opt=a b", "-", "--",
	"~", `~\x y`, `{files}\python 3.msi`, `TARGETDIR=~\Python34`, `--prefix=~\x`, "~user", "{files}",
	"*", "?", "a*b?", "[x]", "$x", "`x`", "#", "\u00e9",
}

func TestCmdArgQuoting(t *testing.T) {
	t.Parallel()
	cases := []struct{ arg, want string }{
		{"plain", "plain"},
		{"", `""`},
		{"a b", `"a b"`},
		{`a"b`, `a\^"b`},
		{`say "hi" & bye`, `^"say \^"hi\^" ^& bye^"`},
		{`a b\`, `"a b\\"`},
		{`a\`, `a\`},
		{"100%", "100%%"},
		{"%PATH%", "%%PATH%%"},
		{"a&b", `"a&b"`},
		{"^(x)|<y>", `"^(x)|<y>"`},
		{"!bang!", "!bang!"},
		{"a=b", "a=b"},
		{"TARGETDIR=C:\\Python 34", `TARGETDIR="C:\Python 34"`},
		{"TARGETDIR=C:\\x y\\", `TARGETDIR="C:\x y\\"`},
		{`TARGETDIR=~\Python34`, `TARGETDIR="%USERPROFILE%\Python34"`},
		{"~", `"%USERPROFILE%"`},
		{`{files}\python 3.msi`, `"%~dp0files\python 3.msi"`},
		{"~user", "~user"},
	}
	for _, c := range cases {
		got, err := cmdArg(c.arg, false)
		if err != nil || got != c.want {
			t.Errorf("cmdArg(%q) = %q, %v; want %q", c.arg, got, err, c.want)
		}
	}
}

// Every hostile argument, alone and with the others, reaches the program
// as it was: the batch line goes through simulated cmd.exe parsing and
// the C runtime's splitting.
func TestCmdArgRoundTrip(t *testing.T) {
	t.Parallel()
	try := func(argv []string) {
		t.Helper()
		line, err := cmdCommand(argv)
		if err != nil {
			return // refusals are TestCmdArgRefusals' business
		}
		// the writers put >>"%LOG%" 2>&1 after the line: cmdParse
		// refuses a line that ends inside quotes, which would swallow it
		parsed, err := cmdParse(line, cmdEnv)
		if err != nil {
			t.Errorf("argv %q: line %s: %v", argv, line, err)
			return
		}
		want := make([]string, len(argv))
		for i, a := range argv {
			want[i] = expandSymbols(a)
		}
		if got := msvcrtParse(parsed); !slices.Equal(got, want) {
			t.Errorf("argv %q\nline %s\ngot  %q", want, line, got)
		}
	}
	for _, a := range hostileArgs {
		try([]string{"prog", a})
		try([]string{`{files}\my prog.exe`, a, "after"})
	}
	try(append([]string{"prog"}, hostileArgs...))
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune(" \t\"\\%^&|<>()!,;=~{}'ab")
	for range 3000 {
		argv := []string{"prog"}
		for range 1 + rng.IntN(4) {
			r := make([]rune, rng.IntN(8))
			for i := range r {
				r[i] = alphabet[rng.IntN(len(alphabet))]
			}
			argv = append(argv, string(r))
		}
		try(argv)
	}
}

func TestCmdArgRefusals(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		argv []string
		want string
	}{
		{[]string{"prog", "a\nb"}, "line break"},
		{[]string{"prog", "caf\u00e9"}, "non-ASCII"},
		{[]string{"prog", `~\"x"`}, "quote and a path symbol"},
		{[]string{`C:\a"b.exe`}, "cannot hold a quote"},
		{[]string{`{files}\stand-in.cmd`, "100%"}, "through call"},
		{[]string{`{files}\stand-in.bat`, `a"b`}, "through call"},
		{[]string{`{files}\stand-in.bat`, `a^b`}, "through call"},
		{nil, "no command"},
	} {
		if _, err := cmdCommand(c.argv); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("cmdCommand(%q) = %v, want an error about %q", c.argv, err, c.want)
		}
	}
	// what call can carry is quoted so that neither call nor the batch's
	// %1 splits it
	got, err := cmdCommand([]string{`{files}\stand-in.cmd`, "/S", "a b", "x=y", "a&b", "ok"})
	if want := `call "%~dp0files\stand-in.cmd" /S "a b" "x=y" "a&b" ok`; err != nil || got != want {
		t.Errorf("batch program: %q, %v; want %q", got, err, want)
	}
}

func TestFindstrRegexp(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ re, want, err string }{
		{`^Python 3\.4\.\d+$`, `^Python 3\.4\.[0123456789][0123456789]*$`, ""},
		{`PONG`, `PONG`, ""},
		{`^pip \d+\.\d+`, `^pip [0123456789][0123456789]*\.[0123456789][0123456789]*`, ""},
		{`v=(\d)\.x`, `v=[0123456789]\.x`, ""},
		{`a.*b`, `a.*b`, ""},
		{`[a-c]x{3}`, `[abc]xxx`, ""},
		{`[^0-9]`, `[^0123456789]`, ""},
		{`(?i)ok`, `[oO][kK]`, ""},
		{`a[.]b`, `a\.b`, ""},
		{`x\*\[\]\\`, `x\*\[\]\\`, ""},
		{`^(PONG|pong)$`, "", "no |"},
		{`colou?r`, "", "no ?"},
		{`\bPONG\b`, "", `\b`},
		{`a{2,3}`, "", "counted repeat"},
		{`(ab)+`, "", "repeats only one character"},
		{`say "x"`, "", "quote"},
		{`caf\x{e9}`, "", "printable ASCII"},
		{`a$b`, "", "$ only at the end"},
		{`(`, "", "not a regexp"},
	} {
		got, err := findstrRegexp(c.re)
		switch {
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("findstrRegexp(%q) = %q, %v; want %q", c.re, got, err, c.want)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("findstrRegexp(%q) = %q, %v; want an error about %q", c.re, got, err, c.err)
		}
	}
}

func TestWriteCmdGolden(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteCmd(&b, writerScript(xpTarget, `\`)); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "writer.cmd", b.Bytes())
	lintCmd(t, b.String())
}

// lintCmd checks a batch file's shape: CRLF everywhere, every goto and
// call :label has its label, no line is parsed into a split or a
// redirection it did not mean (the simulated parser on each echo and
// command line).
func lintCmd(t *testing.T, text string) {
	t.Helper()
	if strings.Count(text, "\n") != strings.Count(text, "\r\n") {
		t.Error("a line ends without CR")
	}
	labels := map[string]bool{}
	for _, l := range strings.Split(text, "\r\n") {
		if strings.HasPrefix(l, ":") {
			labels[strings.ToLower(l[1:])] = true
		}
	}
	for _, m := range regexp.MustCompile(`(?i)(?:goto|call) :?([a-z0-9_]+)`).FindAllStringSubmatch(text, -1) {
		if !labels[strings.ToLower(m[1])] {
			t.Errorf("goto/call %s has no label", m[1])
		}
	}
	for _, l := range strings.Split(text, "\r\n") {
		if text, ok := strings.CutPrefix(l, "echo:"); ok {
			if _, err := cmdParse(text, cmdEnv); err != nil && !strings.Contains(err.Error(), "unknown variable") {
				t.Errorf("%s: %v", l, err)
			}
		}
	}
}

func TestWriteCmdRefuses(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		s    *Script
		want string
	}{
		{&Script{Target: debianTarget}, "for windows"},
		{&Script{Target: Target{OS: "windows", Version: "xp", Arch: "386"}}, "NT version"},
		{&Script{Target: xpTarget, Ops: []Op{{Kind: Run, Resource: "x/y", Argv: []string{"a", "b\nc"}}}}, `op 1 (run x/y)`},
		{&Script{Target: xpTarget, Ops: []Op{{Kind: Copy, Path: `~\x`}}}, "no From"},
		{&Script{Target: xpTarget, Ops: []Op{{Kind: OpKind(99)}}}, "unknown kind"},
		{&Script{Target: xpTarget, Ops: []Op{{Kind: Run, Argv: []string{"prog", strings.Repeat("x", 8000)}}}}, "more than cmd.exe reads"},
	} {
		if err := WriteCmd(&bytes.Buffer{}, c.s); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("WriteCmd: %v, want an error about %q", err, c.want)
		}
	}
}
