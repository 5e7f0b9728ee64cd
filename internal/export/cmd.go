package export

// Why this file is long (about 800 lines): cmd.exe is the hardest of the three
// languages — XP's batch has no functions worth the name, no && to rely
// on, stub fc and findstr under Wine, the OEM code page, and quoting rules
// that differ between cmd's parser and a program's argv. The cmd dialect
// (its writeScript parts), its quoting and its findstr translation of Go
// regexps belong together; split, each would need the others' rules.

import (
	"errors"
	"fmt"
	"io"
	"path"
	"regexp/syntax"
	"strings"
	"unicode/utf8"

	"github.com/envup/envup/internal/winargv"
)

// WriteCmd writes s as setup.cmd: a plain batch file for cmd.exe on
// Windows XP and later, with CRLF line ends. It uses nothing XP lacks (no
// PowerShell, choice, timeout, where or certutil), runs each program by
// its full path where Windows has one (find, fc, findstr, net, fsutil in
// %SystemRoot%\system32), and never turns on delayed expansion where the
// text of a command is parsed, so "!" is an ordinary character.
//
// The script checks the host first (ver and PROCESSOR_ARCHITECTURE) and
// stops with exit status 2 on another one, before it writes anything.
// Then it appends to setup.log beside itself every command and its
// output, and shows one line per step. Exit status: 0 done, 1 a step or
// check failed, 2 not the host it was made for or not an administrator,
// or a failed Run's own status.
//
// A Check passes when its program exits 0, its standard output contains
// Expect (find.exe), and a line of it matches ExpectRe. findstr knows a
// small part of regular expressions: a pattern it cannot express, and any
// pattern on a host whose findstr does not work (Wine's is a stub), is not
// checked — the check then looks at the exit status only, and says so on
// the console and in the log.
func WriteCmd(w io.Writer, s *Script) error {
	if err := cmdFits(s.Target); err != nil {
		return fmt.Errorf("export cmd: %w", err)
	}
	c := &cmdWriter{}
	if err := writeScript(c, s); err != nil {
		return fmt.Errorf("export cmd: %w", err)
	}
	for i, l := range strings.Split(c.b.String(), "\n") {
		// cmd.exe reads at most 8191 characters a line, after expansion
		if len(l) > cmdMaxLine {
			return fmt.Errorf("export cmd: line %d is %d characters long, more than cmd.exe reads (%d with room for %%USERPROFILE%%)", i+1, len(l), cmdMaxLine)
		}
	}
	_, err := io.WriteString(w, strings.ReplaceAll(c.b.String(), "\n", "\r\n"))
	return err
}

// cmdMaxLine is the longest line a script may have: cmd.exe's 8191
// less room for the folders %USERPROFILE% and %~dp0 expand to.
const cmdMaxLine = 7000

// cmdWriter is the cmd.exe dialect: blocks are gotos to labels named
// after the operation (op7_done) or the section (s3), variables are set
// with set "NAME=value" and tested by "if".
type cmdWriter struct {
	b strings.Builder
}

func (c *cmdWriter) line(format string, args ...any) {
	fmt.Fprintf(&c.b, format, args...)
	c.b.WriteByte('\n')
}

// echo writes a line to the console and the same line to the log. text is
// already escaped for a command line (cmdText, cmdPath).
func (c *cmdWriter) echo(text string) {
	c.line("echo:%s", text)
	c.line(`>>"%%LOG%%" echo:%s`, text)
}

// logOnly writes an escaped line to the log.
func (c *cmdWriter) logOnly(text string) {
	c.line(`>>"%%LOG%%" echo:%s`, text)
}

func (c *cmdWriter) blank()              { c.line("") }
func (c *cmdWriter) comment(text string) { c.line("rem %s", remText(text)) }
func (c *cmdWriter) say(text string)     { c.echo(cmdText(text)) }

func (c *cmdWriter) command(argv []string) (string, error) { return cmdCommand(argv) }

// cmdFits refuses a target setup.cmd cannot check for.
func cmdFits(t Target) error {
	if t.OS != "windows" {
		return fmt.Errorf("target %s: setup.cmd is for windows", targetLabel(t))
	}
	if t.Version == "" || strings.ContainsFunc(t.Version, func(r rune) bool { return (r < '0' || r > '9') && r != '.' }) {
		return fmt.Errorf("target version %q: want an NT version such as 5.1", t.Version)
	}
	return nil
}

func (c *cmdWriter) header(s *Script) {
	c.line("@echo off")
	headerComment(c, "setup.cmd", s, "Run it from a Command Prompt: setup.cmd (as an administrator when a step needs one).")
	c.line(`if not "%%OS%%"=="Windows_NT" goto oldwindows`)
	c.line("setlocal enableextensions disabledelayedexpansion")
	c.line(`set "LOG=%%~dp0setup.log"`)
	c.line(`set "SYS=%%SystemRoot%%\system32"`)
	c.line(`if not defined TEMP set "TEMP=%%~dp0"`)
	c.line(`set "OUT=%%TEMP%%\envup-check-%%RANDOM%%.txt"`)
	c.line(`set "FAILED=0"`)
	c.line(`set "CHECKS=0"`)
}

// hostCheck compares the NT version ver prints ("Microsoft Windows XP
// [Version 5.1.2600]"; Wine prints "Microsoft Windows 5.2.3790") and the
// processor architecture with the target's, before anything is written.
func (c *cmdWriter) hostCheck(t Target) {
	c.line(`set "HOSTVER="`)
	c.line(`set "HOSTLINE="`)
	c.line(`for /f "delims=" %%%%a in ('ver') do set "HOSTLINE=%%%%a"`)
	c.line(`set "HOSTWORDS=%%HOSTLINE:[= %%"`)
	c.line(`set "HOSTWORDS=%%HOSTWORDS:]= %%"`)
	c.line(`for %%%%w in (%%HOSTWORDS%%) do call :hostver %%%%w`)
	c.line(`set "HOSTARCH=%%PROCESSOR_ARCHITECTURE%%"`)
	c.line(`if defined PROCESSOR_ARCHITEW6432 set "HOSTARCH=%%PROCESSOR_ARCHITEW6432%%"`)
	c.line(`set "HOSTGOARCH=%%HOSTARCH%%"`)
	for _, a := range [][2]string{{"x86", "386"}, {"AMD64", "amd64"}, {"ARM64", "arm64"}, {"IA64", "ia64"}} {
		c.line(`if /i "%%HOSTARCH%%"=="%s" set "HOSTGOARCH=%s"`, a[0], a[1])
	}
	c.line(`if not defined HOSTVER goto wronghost`)
	c.line(`if "%%HOSTGOARCH%%"=="%s" goto righthost`, cmdText(t.Arch))
	c.line(":wronghost")
	c.line("echo:%s%s", cmdText("envup: this script is for "+targetLabel(t)+"; this host says "), `"%HOSTLINE%" %HOSTARCH%.`)
	c.line("echo:%s", cmdText(wrongHostAdvice))
	c.line("exit /b 2")
	c.line(":righthost")
}

// begin opens the log and, when the script needs them, tests fc and
// findstr: Wine's are stubs that find every two files equal and every
// pattern present.
func (c *cmdWriter) begin(s *Script) {
	c.logOnly(cmdText("=== setup.cmd: "+s.Recipe+" for "+targetLabel(s.Target)+", ") + "%DATE% %TIME%")
	c.line(`echo:%s"%%LOG%%"`, cmdText("envup setup: "+s.Recipe+" for "+targetLabel(s.Target)+"; log: "))
	needFC, needFindstr := false, false
	for _, op := range s.Ops {
		switch {
		case op.Kind == Copy:
			needFC = true
		case op.Kind == Check && op.ExpectRe != "":
			if _, err := findstrRegexp(op.ExpectRe); err == nil {
				needFindstr = true
			}
		}
	}
	if !needFC && !needFindstr {
		return
	}
	c.line(`set "PROBEA=%%TEMP%%\envup-probe-%%RANDOM%%a.txt"`)
	c.line(`set "PROBEB=%%TEMP%%\envup-probe-%%RANDOM%%b.txt"`)
	c.line(`>"%%PROBEA%%" echo:a`)
	c.line(`>"%%PROBEB%%" echo:b`)
	if needFC {
		c.line(`set "FCOK=0"`)
		c.line(`"%%SYS%%\fc.exe" /b "%%PROBEA%%" "%%PROBEB%%" >nul 2>&1`)
		c.line(`if errorlevel 1 set "FCOK=1"`)
		c.line(`if "%%FCOK%%"=="0" %s`, `>>"%LOG%" echo:`+cmdText("note: fc /b finds two different files equal here: every file is copied, none compared"))
	}
	if needFindstr {
		c.line(`set "FINDSTROK=0"`)
		c.line(`"%%SYS%%\findstr.exe" /r /c:"^a$" "%%PROBEA%%" >nul 2>&1`)
		c.line(`if errorlevel 1 goto findstrtested`)
		c.line(`"%%SYS%%\findstr.exe" /r /c:"^b" "%%PROBEA%%" >nul 2>&1`)
		c.line(`if errorlevel 1 set "FINDSTROK=1"`)
		c.line(":findstrtested")
		c.line(`if "%%FINDSTROK%%"=="0" %s`, `>>"%LOG%" echo:`+cmdText("note: findstr /r does not work here: regexps are not checked, only exit statuses"))
	}
	c.line(`del "%%PROBEA%%" "%%PROBEB%%" >nul 2>&1`)
}

// skipSection jumps to the next section's label when path exists.
func (c *cmdWriter) skipSection(n int, path string) error {
	if path == "" {
		return nil
	}
	p, err := cmdPath(path)
	if err != nil {
		return err
	}
	c.line(`if not exist "%s" goto s%d_do`, p, n)
	c.echo(cmdText("      already there, skipped: ") + `"` + p + `"`)
	c.line("goto s%d", n+1)
	c.line(":s%d_do", n)
	return nil
}

func (c *cmdWriter) endSection(next int) { c.line(":s%d", next) }

func (c *cmdWriter) mkdir(n int, path string) error {
	p, err := cmdPath(path)
	if err != nil {
		return err
	}
	d := dirTest(p)
	c.line(`if exist "%s" goto op%d_done`, d, n)
	c.echo(`  mkdir "` + p + `"`)
	c.line(`mkdir "%s" >>"%%LOG%%" 2>&1`, p)
	c.line(`if exist "%s" goto op%d_done`, d, n)
	c.fail(cmdText(`  FAILED: could not make the folder `)+`"`+p+`"`, "1")
	c.line(":op%d_done", n)
	return nil
}

func (c *cmdWriter) copy(n int, from, to string) error {
	dst, err := cmdPath(to)
	if err != nil {
		return err
	}
	src, err := cmdPath(`{files}\` + strings.ReplaceAll(strings.TrimLeft(from, `\/`), "/", `\`))
	if err != nil {
		return err
	}
	c.echo(`  copy "` + src + `" "` + dst + `"`)
	if parent := windowsParent(to); parent != "" {
		pp, err := cmdPath(parent)
		if err != nil {
			return err
		}
		c.line(`if not exist "%s" mkdir "%s" >>"%%LOG%%" 2>&1`, dirTest(pp), pp)
	}
	c.line(`if not exist "%s" goto op%d_copy`, dst, n)
	c.line(`if "%%FCOK%%"=="0" goto op%d_copy`, n)
	c.line(`"%%SYS%%\fc.exe" /b "%s" "%s" >nul 2>&1`, src, dst)
	c.line(`if errorlevel 1 goto op%d_copy`, n)
	c.say("    same bytes already there: kept")
	c.line("goto op%d_done", n)
	c.line(":op%d_copy", n)
	c.line(`copy /b /y "%s" "%s" >>"%%LOG%%" 2>&1`, src, dst)
	c.line(`if errorlevel 1 goto op%d_fail`, n)
	c.line(`if exist "%s" goto op%d_done`, dst, n)
	c.line(":op%d_fail", n)
	c.fail(cmdText("  FAILED: could not copy to ")+`"`+dst+`"`, "1")
	c.line(":op%d_done", n)
	return nil
}

// run shows the command line itself, as cmd.exe will read it.
func (c *cmdWriter) run(n int, line string, _ []string) {
	c.echo("  run: " + line)
	c.line(`%s >>"%%LOG%%" 2>&1`, line)
	c.line(`set "RC=%%ERRORLEVEL%%"`)
	c.line(`if "%%RC%%"=="0" goto op%d_done`, n)
	c.fail(cmdText("  FAILED: exit status ")+"%RC%", "%RC%")
	c.line(":op%d_done", n)
}

// fail writes the lines that stop the script: the message (escaped) on
// the console and in the log, where to look, and the exit status.
func (c *cmdWriter) fail(msg, status string) {
	c.echo(msg)
	c.line(`echo:%s"%%LOG%%"`, cmdText("envup setup: stopped; see "))
	c.line("exit /b %s", status)
}

func (c *cmdWriter) countCheck() { c.line(`set /a CHECKS+=1`) }

// checkRun keeps the output in %OUT%; a check jumps to opN_bad when it
// fails, to opN_ok when it passes.
func (c *cmdWriter) checkRun(n int, line string, _ []string) {
	c.logOnly("    + " + line)
	c.line(`%s >"%%OUT%%" 2>>"%%LOG%%"`, line)
	c.line(`set "RC=%%ERRORLEVEL%%"`)
	c.line(`type "%%OUT%%" >>"%%LOG%%" 2>&1`)
	c.line(`if "%%RC%%"=="0" goto op%d_ran`, n)
	c.echo(cmdText("    FAILED: exit status ") + "%RC%")
	c.line("goto op%d_bad", n)
	c.line(":op%d_ran", n)
}

func (c *cmdWriter) checkContains(n int, want string) error {
	s, err := cmdFindString(want)
	if err != nil {
		return err
	}
	c.line(`"%%SYS%%\find.exe" "%s" "%%OUT%%" >nul 2>&1`, s)
	c.line(`if not errorlevel 1 goto op%d_found`, n)
	c.say(fmt.Sprintf("    FAILED: stdout does not contain \"%s\"", want))
	c.line("goto op%d_bad", n)
	c.line(":op%d_found", n)
	return nil
}

// checkMatch tests with findstr /r, where the script found it works.
func (c *cmdWriter) checkMatch(n int, expr string) error {
	pat, err := findstrRegexp(expr)
	if err != nil {
		return err
	}
	c.line(`if "%%FINDSTROK%%"=="1" goto op%d_re`, n)
	c.say(fmt.Sprintf("    note: expect_re \"%s\" is not checked: findstr does not work here; only the exit status is", expr))
	c.line("goto op%d_ok", n)
	c.line(":op%d_re", n)
	c.line(`"%%SYS%%\findstr.exe" /r /c:"%s" "%%OUT%%" >nul 2>&1`, strings.ReplaceAll(pat, "%", "%%"))
	c.line(`if not errorlevel 1 goto op%d_ok`, n)
	c.say(fmt.Sprintf("    FAILED: no line of stdout matches \"%s\" (findstr %s)", expr, pat))
	c.line("goto op%d_bad", n)
	return nil
}

func (c *cmdWriter) checkResult(n int, note string) {
	if note != "" {
		c.say(note)
	}
	c.line(":op%d_ok", n)
	c.say("    ok")
	c.line("goto op%d_done", n)
	c.line(":op%d_bad", n)
	c.line(`set /a FAILED+=1`)
	c.line(":op%d_done", n)
}

// requireAdmin stops the script unless it runs elevated: net session
// needs an administrator (and the Server service); fsutil is the second
// opinion.
func (c *cmdWriter) requireAdmin(n int, why string) {
	c.say("  needs an administrator: " + why)
	c.line(`"%%SYS%%\net.exe" session >nul 2>&1`)
	c.line(`if not errorlevel 1 goto op%d_done`, n)
	c.line(`"%%SYS%%\fsutil.exe" dirty query %%SYSTEMDRIVE%% >nul 2>&1`)
	c.line(`if not errorlevel 1 goto op%d_done`, n)
	c.say("envup setup: " + why + ": run setup.cmd again as an administrator (right-click, Run as...)")
	c.line("exit /b 2")
	c.line(":op%d_done", n)
}

func (c *cmdWriter) footer(s *Script) {
	c.line(`del "%%OUT%%" >nul 2>&1`)
	c.line(`if "%%FAILED%%"=="0" goto alldone`)
	c.echo(cmdText("envup setup: ") + "%FAILED%" + cmdText(" of ") + "%CHECKS%" + cmdText(" checks failed; see setup.log"))
	c.line("exit /b 1")
	c.line(":alldone")
	c.echo(cmdText("envup setup: done, ") + "%CHECKS%" + cmdText(" checks passed"))
	c.line("exit /b 0")
	c.line("")
	c.line(":hostver")
	c.line(`set "W=%%~1"`)
	v := s.Target.Version
	c.line(`if "%%W%%"=="%s" set "HOSTVER=%%W%%"`, v)
	c.line(`if "%%W:~0,%d%%"=="%s." set "HOSTVER=%%W%%"`, len(v)+1, v)
	c.line("exit /b 0")
	c.line("")
	c.line(":oldwindows")
	c.line("echo This script needs Windows NT: XP or later.")
}

// cmdSpecial are the characters cmd.exe acts on outside quotes.
const cmdSpecial = "^&|<>()"

// cmdText escapes text for a cmd.exe line where no quote is open (echo,
// rem, set NAME=...): every special character and every quote gets a
// caret, so that no quote ever opens; "%" is doubled. Characters a batch
// file cannot carry (control characters, non-ASCII: the file is read in
// the OEM code page) become "?". It is for messages; arguments and paths
// go through cmdArg and cmdPath, which refuse such characters.
func cmdText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '%':
			b.WriteString("%%")
		case r == '"' || strings.ContainsRune(cmdSpecial, r):
			b.WriteByte('^')
			b.WriteRune(r)
		case r < ' ' || r >= utf8.RuneSelf:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// remText is text for a rem line: cmd.exe still expands "%" there, and a
// caret at its end would join the next line to the comment.
func remText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '^':
			return '\''
		case r < ' ' || r >= utf8.RuneSelf:
			return '?'
		}
		return r
	}, strings.ReplaceAll(s, "%", "%%"))
}

// cmdSymbols are what the path symbols become in a batch file.
var cmdSymbols = map[string]string{"~": "%USERPROFILE%", "{files}": "%~dp0files"}

// cmdPath is a target path as it goes between quotes on a cmd.exe line:
// the symbol replaced, "%" doubled. Quotes, control characters and
// non-ASCII characters are refused: the first cannot be in a Windows path,
// the others not in a batch file read in an unknown OEM code page.
func cmdPath(p string) (string, error) {
	sym, rest := splitSymbol(p)
	if err := cmdPlain(rest); err != nil {
		return "", fmt.Errorf("path %q: %w", p, err)
	}
	if strings.Contains(rest, `"`) {
		return "", fmt.Errorf("path %q: a Windows path cannot hold a quote", p)
	}
	return cmdSymbols[sym] + strings.ReplaceAll(rest, "%", "%%"), nil
}

// dirTest is the path "if exist" needs to test for a folder rather than
// anything of that name.
func dirTest(p string) string {
	if strings.HasSuffix(p, `\`) {
		return p
	}
	return p + `\`
}

// windowsParent is the folder a Windows path is in, "" when it has none.
func windowsParent(p string) string {
	i := strings.LastIndexAny(p, `\/`)
	if i <= 0 || strings.HasSuffix(p[:i], ":") {
		return ""
	}
	return p[:i]
}

// cmdPlain refuses what a batch line cannot carry.
func cmdPlain(s string) error {
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			return errors.New("a batch line cannot hold a line break")
		case r < ' ':
			return fmt.Errorf("a batch line cannot hold control character %U", r)
		case r >= utf8.RuneSelf:
			return fmt.Errorf("non-ASCII %q: cmd.exe reads a batch file in the host's OEM code page", r)
		}
	}
	return nil
}

// cmdCommand is argv as one cmd.exe command: each argument quoted for the
// program's own parser (the Microsoft C runtime's rules, which
// CommandLineToArgvW and Go share), then escaped for cmd.exe. A .bat or
// .cmd program is started with "call", or the script would never come
// back from it.
func cmdCommand(argv []string) (string, error) {
	if len(argv) == 0 {
		return "", errors.New("no command to run")
	}
	prog := argv[0]
	p, err := cmdPath(prog)
	if err != nil {
		return "", fmt.Errorf("program: %w", err)
	}
	batch := isBatch(prog)
	var b strings.Builder
	if batch {
		b.WriteString("call ")
	}
	// a bare word stays bare: cmd.exe finds its own commands (move,
	// rmdir) only by their plain names
	if sym, _ := splitSymbol(prog); sym == "" && prog != "" && !strings.ContainsAny(prog, " \t,;="+cmdSpecial) {
		b.WriteString(p)
	} else {
		b.WriteString(`"` + p + `"`)
	}
	for _, a := range argv[1:] {
		q, err := cmdArg(a, batch)
		if err != nil {
			return "", err
		}
		b.WriteByte(' ')
		b.WriteString(q)
	}
	return b.String(), nil
}

func isBatch(prog string) bool {
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(prog, `\`, "/")))
	return ext == ".bat" || ext == ".cmd"
}

// cmdArg quotes one argument for a cmd.exe line.
//
// An argument without a quote is put between real quotes when it needs
// them (space, tab, a character cmd.exe acts on, a path symbol, empty), so
// cmd.exe leaves everything but "%" alone; backslashes before the closing
// quote are doubled for the C runtime. A NAME=value argument is quoted as
// NAME="value", which the C runtime reads the same and msiexec needs.
//
// An argument with a quote is quoted by the C runtime's rules (\" inside)
// and then every quote and special character gets a caret, so cmd.exe
// never sees a quote open or close and the line ends outside quotes.
// Such an argument cannot hold a path symbol, whose expansion could hold
// "&".
//
// Arguments to a batch program pass through "call", which expands "%"
// again and doubles carets inside quotes, and through the batch's own
// %1 parsing, which splits at "," ";" and "=": those are quoted, and "%",
// "^" and quotes refused.
func cmdArg(a string, batch bool) (string, error) {
	if err := cmdPlain(a); err != nil {
		return "", fmt.Errorf("argument %q: %w", a, err)
	}
	pre, sym, rest := splitArgSymbol(a)
	if batch && strings.ContainsAny(a, `%^"`) {
		return "", fmt.Errorf("argument %q: a batch program's arguments pass through call, which cannot carry %%, ^ or quotes", a)
	}
	if strings.Contains(a, `"`) {
		if sym != "" {
			return "", fmt.Errorf("argument %q: a quote and a path symbol in one argument cannot be escaped for cmd.exe", a)
		}
		enc := winargv.Quote(a, false)
		var b strings.Builder
		for _, r := range enc {
			switch {
			case r == '%':
				b.WriteString("%%")
			case r == '"' || strings.ContainsRune(cmdSpecial, r):
				b.WriteByte('^')
				b.WriteRune(r)
			default:
				b.WriteRune(r)
			}
		}
		return b.String(), nil
	}
	need := a == "" || sym != "" || strings.ContainsAny(a, " \t"+cmdSpecial)
	if batch {
		need = need || strings.ContainsAny(a, ",;=")
	}
	if !need {
		return strings.ReplaceAll(a, "%", "%%"), nil
	}
	name, value := "", a
	if pre != "" {
		name, value = pre, a[len(pre):]
	} else if i := strings.IndexByte(a, '='); i > 0 && isPropertyName(a[:i]) && !batch {
		name, value = a[:i+1], a[i+1:]
	}
	inner := value
	if sym != "" {
		inner = rest
	}
	// before the closing quote, the C runtime halves a run of backslashes
	inner += strings.Repeat(`\`, len(inner)-len(strings.TrimRight(inner, `\`)))
	inner = strings.ReplaceAll(inner, "%", "%%")
	return strings.ReplaceAll(name, "%", "%%") + `"` + cmdSymbols[sym] + inner + `"`, nil
}

// isPropertyName tells NAME in NAME=value: an msiexec property or an
// installer option (TARGETDIR, InstallAllUsers, --prefix, /D).
func isPropertyName(s string) bool {
	name := strings.TrimLeft(s, "-/")
	if len(s)-len(name) > 2 {
		return false
	}
	for i, r := range name {
		switch {
		case r == '_' || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z'):
		case i > 0 && ((r >= '0' && r <= '9') || r == '.' || r == '-'):
		default:
			return false
		}
	}
	return name != ""
}

// cmdFindString is text as find.exe's quoted search string: quotes
// doubled (find's own rule, which also keeps cmd.exe's quote count even,
// so the whole string stays quoted for it), "%" doubled.
func cmdFindString(s string) (string, error) {
	if err := cmdPlain(s); err != nil {
		return "", err
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, `"`, `""`), "%", "%%"), nil
}

// findstrRegexp translates a Go regular expression into findstr /r's
// dialect, or says why it cannot: findstr knows ".", "*" after one
// character or class, "[...]" classes, "^" and "$" at the ends, and
// nothing else (no +, ?, |, groups, counts or \d). "x+" becomes "xx*",
// "\d" "[0123456789]" (findstr's ranges are unreliable, so every class is
// spelled out), a capture group that is not repeated its contents.
func findstrRegexp(expr string) (string, error) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return "", fmt.Errorf("not a regexp: %w", err)
	}
	var items []*syntax.Regexp
	flatten(re, &items)
	var b strings.Builder
	for i, sub := range items {
		switch sub.Op {
		case syntax.OpBeginText, syntax.OpBeginLine:
			if i != 0 {
				return "", errors.New("findstr knows ^ only at the start")
			}
			b.WriteByte('^')
		case syntax.OpEndText, syntax.OpEndLine:
			if i != len(items)-1 {
				return "", errors.New("findstr knows $ only at the end")
			}
			b.WriteByte('$')
		case syntax.OpEmptyMatch:
		case syntax.OpLiteral:
			for _, r := range sub.Rune {
				atom, err := findstrChar(r, sub.Flags&syntax.FoldCase != 0)
				if err != nil {
					return "", err
				}
				b.WriteString(atom)
			}
		case syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
			atom, err := findstrAtom(sub.Sub[0])
			if err != nil {
				return "", err
			}
			lo, hi := 0, -1
			switch sub.Op {
			case syntax.OpPlus:
				lo = 1
			case syntax.OpRepeat:
				lo, hi = sub.Min, sub.Max
			}
			if hi != -1 && hi != lo {
				return "", fmt.Errorf("findstr has no counted repeat {%d,%d}", lo, hi)
			}
			if lo > 16 {
				return "", fmt.Errorf("a repeat of %d is too long for findstr", lo)
			}
			b.WriteString(strings.Repeat(atom, lo))
			if hi == -1 {
				b.WriteString(atom + "*")
			}
		case syntax.OpQuest:
			return "", errors.New("findstr has no ?")
		case syntax.OpAlternate:
			return "", errors.New("findstr has no |")
		case syntax.OpWordBoundary, syntax.OpNoWordBoundary:
			return "", errors.New(`findstr has no \b`)
		default:
			atom, err := findstrAtom(sub)
			if err != nil {
				return "", err
			}
			b.WriteString(atom)
		}
	}
	out := b.String()
	if len(out) > 200 {
		return "", errors.New("too long for findstr")
	}
	return out, nil
}

// flatten lists the parts of a concatenation, opening capture groups
// (findstr has no groups; an unrepeated group is just its contents).
func flatten(re *syntax.Regexp, items *[]*syntax.Regexp) {
	switch re.Op {
	case syntax.OpConcat:
		for _, s := range re.Sub {
			flatten(s, items)
		}
	case syntax.OpCapture:
		flatten(re.Sub[0], items)
	default:
		*items = append(*items, re)
	}
}

// findstrAtom is one character's worth of pattern in findstr's dialect:
// a literal, "." or a class.
func findstrAtom(re *syntax.Regexp) (string, error) {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) != 1 {
			return "", errors.New("findstr repeats only one character")
		}
		return findstrChar(re.Rune[0], re.Flags&syntax.FoldCase != 0)
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		return ".", nil
	case syntax.OpCharClass:
		return findstrClass(re.Rune)
	case syntax.OpCapture:
		return findstrAtom(re.Sub[0])
	}
	return "", fmt.Errorf("findstr has nothing like %s", re)
}

// findstrChar is one literal character, escaped.
func findstrChar(r rune, fold bool) (string, error) {
	if r < ' ' || r > '~' {
		return "", fmt.Errorf("findstr matches only printable ASCII, not %q", r)
	}
	if r == '"' {
		return "", errors.New("a quote cannot go into findstr's /c:\"...\"")
	}
	if fold {
		lo, up := strings.ToLower(string(r)), strings.ToUpper(string(r))
		if lo != up {
			return "[" + lo + up + "]", nil
		}
	}
	if strings.ContainsRune(`.*^$[]\`, r) {
		return `\` + string(r), nil
	}
	return string(r), nil
}

// findstrClass spells a class out character by character; a class of
// most of Unicode is written as the negation of the ASCII it leaves out.
func findstrClass(ranges []rune) (string, error) {
	neg := false
	set := classSet(ranges)
	if set == nil {
		comp := complementRanges(ranges)
		if set = classSet(comp); set == nil {
			return "", errors.New("findstr classes hold only ASCII")
		}
		neg = true
	}
	var b strings.Builder
	b.WriteByte('[')
	if neg {
		b.WriteByte('^')
	}
	for _, r := range set {
		if r < ' ' || r > '~' || strings.ContainsRune(`]\^-"[`, r) {
			return "", fmt.Errorf("findstr classes cannot hold %q", r)
		}
		b.WriteRune(r)
	}
	b.WriteByte(']')
	if len(set) > 100 {
		return "", errors.New("class too large for findstr")
	}
	return b.String(), nil
}

// classSet lists the characters of ASCII-only ranges, nil when the
// ranges reach past ASCII.
func classSet(ranges []rune) []rune {
	var set []rune
	for i := 0; i+1 < len(ranges); i += 2 {
		if ranges[i+1] > 0x7e {
			return nil
		}
		for r := ranges[i]; r <= ranges[i+1]; r++ {
			set = append(set, r)
		}
	}
	if set == nil {
		set = []rune{}
	}
	return set
}

// complementRanges is the complement of sorted ranges over all of Unicode.
func complementRanges(ranges []rune) []rune {
	var out []rune
	next := rune(0)
	for i := 0; i+1 < len(ranges); i += 2 {
		if ranges[i] > next {
			out = append(out, next, ranges[i]-1)
		}
		next = ranges[i+1] + 1
	}
	if next <= utf8.MaxRune {
		out = append(out, next, utf8.MaxRune)
	}
	return out
}
