package export

import (
	"errors"
	"fmt"
	"io"
	"regexp/syntax"
	"strings"
	"unicode/utf16"

	"github.com/envup/envup/internal/winargv"
)

// WritePS1 writes s as setup.ps1, for PowerShell 2.0 and later (Windows
// 7's own; XP SP3 with the Management Framework): no ::new, no
// $PSScriptRoot, no ConvertTo-Json, Set-StrictMode -Version 2 and
// $ErrorActionPreference Stop. The file starts with a UTF-8 byte order
// mark, without which PowerShell 2.0 reads it in the ANSI code page, and
// has CRLF line ends.
//
// It behaves as WriteCmd's script does: the host is checked first (WMI's
// version, PROCESSOR_ARCHITECTURE) and a wrong one stops it with exit
// status 2; every command and its output goes to setup.log beside it.
// A Check passes when its program exits 0, its standard output contains
// Expect (ordinal) and matches ExpectRe, rewritten for .NET (-cmatch) with
// Go's meaning: every Go regexp has a .NET form.
//
// Programs run as & $exe @argv. PowerShell before 7.3 joins native
// arguments into a command line by putting quotes around those with a
// space and nothing more, so each argument is written the way that
// comes out right (psNativeArg): an empty one as "", embedded quotes as
// \", backslashes before a closing quote doubled; one with a quote and a
// space is refused.
func WritePS1(w io.Writer, s *Script) error {
	if s.Target.OS != "windows" {
		return fmt.Errorf("export ps1: target %s: setup.ps1 is for windows", targetLabel(s.Target))
	}
	pw := &ps1Writer{}
	if err := writeScript(pw, s); err != nil {
		return fmt.Errorf("export ps1: %w", err)
	}
	_, err := io.WriteString(w, "\ufeff"+strings.ReplaceAll(pw.b.String(), "\n", "\r\n"))
	return err
}

// ps1Writer is the PowerShell dialect: a section is an if block indented
// by two spaces, the work is done by the helper functions every script
// starts with (psHelpers), a check is an if/elseif chain that sets $why.
type ps1Writer struct {
	b      strings.Builder
	indent string
}

func (w *ps1Writer) line(format string, args ...any) {
	if format != "" {
		w.b.WriteString(w.indent)
	}
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteByte('\n')
}

func (w *ps1Writer) blank()              { w.line("") }
func (w *ps1Writer) comment(text string) { w.line("# %s", psComment(text)) }
func (w *ps1Writer) say(text string)     { w.line("Write-Step %s", psQuote(text)) }

// command is argv as Invoke-Logged's two arguments: the program and the
// argument array.
func (w *ps1Writer) command(argv []string) (string, error) {
	exe, args, err := psCommand(argv)
	if err != nil {
		return "", err
	}
	return exe + " " + args, nil
}

// psHelpers are the functions every setup.ps1 starts with.
const psHelpers = `function Write-Log([string]$Text) {
  Add-Content -LiteralPath $log -Value $Text -Encoding UTF8
}

function Write-Step([string]$Text) {
  Write-Host $Text
  Write-Log $Text
}

function Stop-Setup([int]$Code, [string]$Text) {
  Write-Step $Text
  Write-Step ('envup setup: stopped; see ' + $log)
  exit $Code
}

function Test-Admin {
  $id = [Security.Principal.WindowsIdentity]::GetCurrent()
  $principal = New-Object Security.Principal.WindowsPrincipal($id)
  return $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
}

function New-Folder([string]$Path) {
  if (Test-Path -LiteralPath $Path -PathType Container) { return }
  Write-Step ('  mkdir ' + $Path)
  [void][IO.Directory]::CreateDirectory($Path)
}

function Test-SameFile([string]$A, [string]$B) {
  if ((New-Object IO.FileInfo $A).Length -ne (New-Object IO.FileInfo $B).Length) { return $false }
  $sha = New-Object Security.Cryptography.SHA1CryptoServiceProvider
  $hashes = @()
  foreach ($f in @($A, $B)) {
    $stream = [IO.File]::OpenRead($f)
    try { $hashes += [BitConverter]::ToString($sha.ComputeHash($stream)) } finally { $stream.Close() }
  }
  return $hashes[0] -eq $hashes[1]
}

function Copy-File([string]$From, [string]$To) {
  Write-Step ('  copy ' + $From + ' to ' + $To)
  $dir = Split-Path -Parent $To
  if ($dir) { New-Folder $dir }
  if ((Test-Path -LiteralPath $To -PathType Leaf) -and (Test-SameFile $From $To)) {
    Write-Step '    same bytes already there: kept'
    return
  }
  [IO.File]::Copy($From, $To, $true)
}

# Invoke-Logged runs a program with both its streams in the log, and
# returns its exit status; its standard output is left in $lastOut. The
# program is looked up as one (sc is Set-Content's alias, sc.exe the
# service tool).
function Invoke-Logged([string]$Exe, [string[]]$Argv) {
  $app = @(Get-Command -Name $Exe -CommandType Application -ErrorAction SilentlyContinue)
  if ($app.Count -gt 0) { $Exe = $app[0].Definition }
  Write-Log ('    + ' + $Exe + ' ' + ($Argv -join ' '))
  $out = New-Object Collections.ArrayList
  $old = $ErrorActionPreference
  $ErrorActionPreference = 'Continue'
  $global:LASTEXITCODE = 0
  try {
    & $Exe @Argv 2>&1 | ForEach-Object {
      if ($_ -isnot [Management.Automation.ErrorRecord]) { [void]$out.Add([string]$_) }
      Write-Log ([string]$_)
    }
    $rc = $global:LASTEXITCODE
  } catch {
    Write-Log ([string]$_)
    $rc = 9009
  } finally {
    $ErrorActionPreference = $old
  }
  $script:lastOut = [string]::Join("` + "`" + `n", [string[]]$out.ToArray())
  return $rc
}

function Add-Result([string]$Why) {
  if ($Why) {
    $script:failed++
    Write-Step ('    FAILED: ' + $Why)
  } else {
    Write-Step '    ok'
  }
}
`

func (w *ps1Writer) header(s *Script) {
	headerComment(w, "setup.ps1", s,
		"Run it: powershell -NoProfile -ExecutionPolicy Bypass -File setup.ps1",
		"(from an administrator's prompt when a step needs one).")
	w.line("Set-StrictMode -Version 2")
	w.line("$ErrorActionPreference = 'Stop'")
	w.line("# arguments are written for PowerShell 2.0 to 5.1's way of passing them; 7.3 and later")
	w.line("# pass them that way too when told")
	w.line("$PSNativeCommandArgumentPassing = 'Legacy'")
	w.line("$here = Split-Path -Parent $MyInvocation.MyCommand.Definition")
	w.line("$files = Join-Path $here 'files'")
	w.line("$log = Join-Path $here 'setup.log'")
	w.line("$failed = 0")
	w.line("$checks = 0")
	w.line("$lastOut = ''")
	w.line("trap {")
	w.line("  Write-Host ('envup setup: FAILED: ' + $_)")
	w.line("  Add-Content -LiteralPath $log -Value ('FAILED: ' + $_) -Encoding UTF8")
	w.line("  exit 1")
	w.line("}")
	w.line("")
	w.b.WriteString(psHelpers)
}

// hostCheck compares the NT version (WMI, else .NET's, which 8.1 and
// later report as 6.2 to unmanifested programs) and the processor
// architecture with the target's, before anything is written.
func (w *ps1Writer) hostCheck(t Target) {
	w.line("$hostVersion = ''")
	w.line("try { $hostVersion = [string](Get-WmiObject -Class Win32_OperatingSystem).Version } catch { }")
	w.line("if (-not $hostVersion) { $hostVersion = [Environment]::OSVersion.Version.ToString() }")
	w.line("$hostArch = [Environment]::GetEnvironmentVariable('PROCESSOR_ARCHITEW6432')")
	w.line("if (-not $hostArch) { $hostArch = [Environment]::GetEnvironmentVariable('PROCESSOR_ARCHITECTURE') }")
	w.line("$hostGoArch = [string]$hostArch")
	w.line("switch ($hostArch) {")
	w.line("  'x86' { $hostGoArch = '386' }")
	w.line("  'AMD64' { $hostGoArch = 'amd64' }")
	w.line("  'ARM64' { $hostGoArch = 'arm64' }")
	w.line("  'IA64' { $hostGoArch = 'ia64' }")
	w.line("}")
	v := psQuote(t.Version)
	w.line("if (-not (($hostVersion -eq %s -or $hostVersion.StartsWith(%s)) -and $hostGoArch -eq %s)) {", v, psQuote(t.Version+"."), psQuote(t.Arch))
	w.line("  Write-Host (%s + $hostVersion + ' ' + $hostArch + '.')", psQuote("envup: this script is for "+targetLabel(t)+"; this host is windows "))
	w.line("  Write-Host %s", psQuote(wrongHostAdvice))
	w.line("  exit 2")
	w.line("}")
}

func (w *ps1Writer) begin(s *Script) {
	w.line("Write-Log ('=== setup.ps1: ' + (Get-Date))")
	w.line("Write-Step (%s + $log)", psQuote("envup setup: "+s.Recipe+" for "+targetLabel(s.Target)+"; log: "))
}

func (w *ps1Writer) skipSection(_ int, path string) error {
	if path == "" {
		w.line("if ($true) {")
	} else {
		p, err := psPath(path)
		if err != nil {
			return err
		}
		w.line("if (Test-Path -LiteralPath %s) {", p)
		w.line("  Write-Step %s", psQuote("      already there, skipped: "+path))
		w.line("} else {")
	}
	w.indent = "  "
	return nil
}

func (w *ps1Writer) endSection(int) {
	w.indent = ""
	w.line("}")
}

func (w *ps1Writer) mkdir(_ int, path string) error {
	p, err := psPath(path)
	if err != nil {
		return err
	}
	w.line("New-Folder %s", p)
	return nil
}

func (w *ps1Writer) copy(_ int, from, to string) error {
	dst, err := psPath(to)
	if err != nil {
		return err
	}
	src, err := psPath(`{files}\` + strings.ReplaceAll(strings.TrimLeft(from, `\/`), "/", `\`))
	if err != nil {
		return err
	}
	w.line("Copy-File %s %s", src, dst)
	return nil
}

func (w *ps1Writer) run(_ int, line string, argv []string) {
	w.say("  run: " + displayArgs(argv))
	w.line("$rc = Invoke-Logged %s", line)
	w.line("if ($rc -ne 0) { Stop-Setup $rc ('  FAILED: exit status ' + $rc) }")
}

func (w *ps1Writer) requireAdmin(_ int, why string) {
	w.line("if (-not (Test-Admin)) { Stop-Setup 2 %s }", psQuote("envup setup: "+why+": run it again as an administrator (right-click PowerShell, Run as administrator)"))
}

func (w *ps1Writer) countCheck() { w.line("$checks++") }

func (w *ps1Writer) checkRun(_ int, line string, _ []string) {
	w.line("$rc = Invoke-Logged %s", line)
	w.line("$why = ''")
	w.line("if ($rc -ne 0) {")
	w.line("  $why = 'exit status ' + $rc")
}

func (w *ps1Writer) checkContains(_ int, want string) error {
	w.line("} elseif (-not $lastOut.Contains(%s)) {", psQuote(want))
	w.line("  $why = %s", psQuote(fmt.Sprintf("stdout does not contain \"%s\"", want)))
	return nil
}

func (w *ps1Writer) checkMatch(_ int, expr string) error {
	re, err := dotnetRegexp(expr)
	if err != nil {
		return err
	}
	w.line("} elseif ($lastOut -cnotmatch %s) {", psQuote(re))
	w.line("  $why = %s", psQuote(fmt.Sprintf("stdout does not match \"%s\"", expr)))
	return nil
}

// checkResult closes the check's if/elseif chain before its note.
func (w *ps1Writer) checkResult(_ int, note string) {
	w.line("}")
	if note != "" {
		w.say(note)
	}
	w.line("Add-Result $why")
}

func (w *ps1Writer) footer(*Script) {
	w.line("if ($failed -ne 0) {")
	w.line("  Write-Step ('envup setup: ' + $failed + ' of ' + $checks + ' checks failed; see ' + $log)")
	w.line("  exit 1")
	w.line("}")
	w.line("Write-Step ('envup setup: done, ' + $checks + ' checks passed')")
	w.line("exit 0")
}

// psQuotes are the characters PowerShell takes for a single quote: in a
// single-quoted string each is written twice.
const psQuotes = "'\u2018\u2019\u201a\u201b"

// psQuote is s as a PowerShell single-quoted string, where nothing is
// expanded.
func psQuote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		if strings.ContainsRune(psQuotes, r) {
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String()
}

// psSymbols are what the path symbols become in PowerShell.
var psSymbols = map[string]string{"~": "$env:USERPROFILE", "{files}": "$files"}

// psPath is a target path as a PowerShell expression.
func psPath(p string) (string, error) {
	if p == "" {
		return "", errors.New("empty path")
	}
	if err := psPlain(p); err != nil {
		return "", fmt.Errorf("path %q: %w", p, err)
	}
	sym, rest := splitSymbol(p)
	switch {
	case sym == "":
		return psQuote(p), nil
	case rest == "":
		return psSymbols[sym], nil
	}
	return "(" + psSymbols[sym] + " + " + psQuote(rest) + ")", nil
}

func psPlain(s string) error {
	if i := strings.IndexFunc(s, func(r rune) bool { return r == 0 || r == '\n' || r == '\r' }); i >= 0 {
		return fmt.Errorf("a %q cannot go on a PowerShell command line", s[i])
	}
	return nil
}

// psCommand is argv as the program and the argument array of
// Invoke-Logged.
func psCommand(argv []string) (exe, args string, err error) {
	if len(argv) == 0 {
		return "", "", errors.New("no command to run")
	}
	if exe, err = psPath(argv[0]); err != nil {
		return "", "", fmt.Errorf("program: %w", err)
	}
	words := make([]string, 0, len(argv)-1)
	for _, a := range argv[1:] {
		q, err := psArg(a)
		if err != nil {
			return "", "", err
		}
		words = append(words, q)
	}
	return exe, "@(" + strings.Join(words, ", ") + ")", nil
}

// psArg is one argument as a PowerShell expression that gives
// psNativeArg's form of it, with a path symbol (leading, or after NAME=)
// joined in.
func psArg(a string) (string, error) {
	if err := psPlain(a); err != nil {
		return "", fmt.Errorf("argument %q: %w", a, err)
	}
	pre, sym, rest := splitArgSymbol(a)
	if sym == "" {
		native, err := psNativeArg(a)
		if err != nil {
			return "", err
		}
		return psQuote(native), nil
	}
	if strings.Contains(a, `"`) {
		return "", fmt.Errorf("argument %q: a quote and a path symbol in one argument", a)
	}
	// The home folder may hold a space, and PowerShell then quotes the
	// whole argument: backslashes before that closing quote are doubled,
	// which a path reads the same when no quote comes.
	rest += strings.Repeat(`\`, len(rest)-len(strings.TrimRight(rest, `\`)))
	parts := []string{}
	if pre != "" {
		parts = append(parts, psQuote(pre))
	}
	parts = append(parts, psSymbols[sym])
	if rest != "" {
		parts = append(parts, psQuote(rest))
	}
	return "(" + strings.Join(parts, " + ") + ")", nil
}

// psNativeArg is the text to hand PowerShell (2.0 to 7.2) for a native
// program to receive arg. PowerShell joins arguments with spaces, putting
// quotes around one that has a space or tab outside quotes of its own,
// and passes anything else as it is, so
//   - an empty argument is passed as "" (else it is dropped),
//   - one with a space gets its trailing backslashes doubled, as they
//     come before the quote PowerShell adds,
//   - one with a quote and no space is quoted by the C runtime's rules
//     (\" for each quote), which PowerShell leaves alone.
//
// An argument with both a quote and a space has no form that every
// PowerShell passes intact: 5.1 counts every quote, escaped or not, to
// decide whether a space is quoted, and 2.0 may quote whenever there is
// a space. It is refused.
func psNativeArg(a string) (string, error) {
	space := strings.ContainsAny(a, " \t")
	switch {
	case a == "":
		return `""`, nil
	case strings.Contains(a, `"`) && space:
		return "", fmt.Errorf("argument %q: PowerShell before 7.3 cannot pass a quote and a space in one argument intact", a)
	case strings.Contains(a, `"`):
		return winargv.Quote(a, false), nil
	case space:
		return a + strings.Repeat(`\`, len(a)-len(strings.TrimRight(a, `\`))), nil
	}
	return a, nil
}

// psComment keeps a comment on one line.
func psComment(s string) string { return shComment(s) }

// dotnetRegexp writes a Go regular expression for .NET with Go's
// meaning: classes spelled as code points (.NET's \d and \w are
// Unicode-wide, Go's ASCII), ^ and $ as \A and \z unless multi-line,
// groups non-capturing.
func dotnetRegexp(expr string) (string, error) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return "", fmt.Errorf("not a regexp: %w", err)
	}
	var b strings.Builder
	if err := writeDotnet(&b, re); err != nil {
		return "", err
	}
	return b.String(), nil
}

func writeDotnet(b *strings.Builder, re *syntax.Regexp) error {
	switch re.Op {
	case syntax.OpNoMatch:
		b.WriteString(`[^\s\S]`)
	case syntax.OpEmptyMatch:
		b.WriteString("(?:)")
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			b.WriteString("(?i:")
		}
		for _, r := range re.Rune {
			b.WriteString(dotnetChar(r, false))
		}
		if re.Flags&syntax.FoldCase != 0 {
			b.WriteString(")")
		}
	case syntax.OpCharClass:
		// .NET matches UTF-16 code units: a range reaching past U+FFFF
		// stops there (the surrogates are inside it, so a negated class
		// still matches such a character), one wholly past it has no form
		var body strings.Builder
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], min(re.Rune[i+1], 0xffff)
			if lo > 0xffff {
				return fmt.Errorf("a class of characters beyond U+FFFF (%s) has no .NET form", re)
			}
			body.WriteString(dotnetChar(lo, true))
			if hi != lo {
				body.WriteByte('-')
				body.WriteString(dotnetChar(hi, true))
			}
		}
		if body.Len() == 0 {
			b.WriteString(`[^\s\S]`)
		} else {
			b.WriteString("[" + body.String() + "]")
		}
	case syntax.OpAnyCharNotNL:
		b.WriteString(`[^\n]`)
	case syntax.OpAnyChar:
		b.WriteString(`[\s\S]`)
	case syntax.OpBeginLine:
		b.WriteString("(?m:^)")
	case syntax.OpEndLine:
		b.WriteString("(?m:$)")
	case syntax.OpBeginText:
		b.WriteString(`\A`)
	case syntax.OpEndText:
		b.WriteString(`\z`)
	case syntax.OpWordBoundary:
		b.WriteString(`\b`)
	case syntax.OpNoWordBoundary:
		b.WriteString(`\B`)
	case syntax.OpCapture:
		b.WriteString("(?:")
		if err := writeDotnet(b, re.Sub[0]); err != nil {
			return err
		}
		b.WriteString(")")
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		b.WriteString("(?:")
		if err := writeDotnet(b, re.Sub[0]); err != nil {
			return err
		}
		b.WriteString(")")
		switch re.Op {
		case syntax.OpStar:
			b.WriteByte('*')
		case syntax.OpPlus:
			b.WriteByte('+')
		case syntax.OpQuest:
			b.WriteByte('?')
		default:
			switch {
			case re.Max == -1:
				fmt.Fprintf(b, "{%d,}", re.Min)
			case re.Max == re.Min:
				fmt.Fprintf(b, "{%d}", re.Min)
			default:
				fmt.Fprintf(b, "{%d,%d}", re.Min, re.Max)
			}
		}
		if re.Flags&syntax.NonGreedy != 0 {
			b.WriteByte('?')
		}
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if err := writeDotnet(b, s); err != nil {
				return err
			}
		}
	case syntax.OpAlternate:
		b.WriteString("(?:")
		for i, s := range re.Sub {
			if i > 0 {
				b.WriteByte('|')
			}
			if err := writeDotnet(b, s); err != nil {
				return err
			}
		}
		b.WriteString(")")
	default:
		return fmt.Errorf("no .NET form for %s", re)
	}
	return nil
}

// dotnetChar writes one character for a .NET pattern: letters and digits
// as they are, anything else as an escape, so no character is special.
// Past U+FFFF it is the surrogate pair .NET sees.
func dotnetChar(r rune, inClass bool) string {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return string(r)
	case r == ' ' && !inClass:
		return " "
	case r <= 0xffff:
		return fmt.Sprintf(`\u%04X`, r)
	}
	r1, r2 := utf16.EncodeRune(r)
	return fmt.Sprintf(`\u%04X\u%04X`, r1, r2)
}
