package export

import (
	"errors"
	"fmt"
	"io"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"
)

// WriteSh writes s as setup.sh: a POSIX sh script for old macOS (OS X
// 10.7's /bin/sh) and old Linux (Debian 7's dash), clean under
// `shellcheck -s sh`.
//
// The script checks the host first (uname, sw_vers or os-release) and
// stops with exit status 2 on another one, before it writes anything.
// Then it appends to setup.log beside itself every command and its
// output, and shows one line per step. Exit status: 0 done, 1 a step or
// check failed, 2 not the host it was made for or not root, or a failed
// Run's own status.
//
// A Check passes when its program exits 0, its standard output contains
// Expect, and a line of it matches ExpectRe, translated to a POSIX
// extended regexp for grep -E ("\d" is "[0-9]"); a pattern ERE cannot
// express (\b) is not checked, and the script says so.
func WriteSh(w io.Writer, s *Script) error {
	if s.Target.OS != "linux" && s.Target.OS != "macos" {
		return fmt.Errorf("export sh: target %s: setup.sh is for linux and macos", targetLabel(s.Target))
	}
	sw := &shWriter{}
	if err := writeScript(sw, s); err != nil {
		return fmt.Errorf("export sh: %w", err)
	}
	_, err := io.WriteString(w, sw.b.String())
	return err
}

// shWriter is the sh dialect: a section is an if (or a brace group)
// indented by two spaces, a failure calls stop, a check sets why.
type shWriter struct {
	b      strings.Builder
	indent string
	closer string // what ends the open section: "fi" or "}"
}

func (w *shWriter) line(format string, args ...any) {
	if format != "" {
		w.b.WriteString(w.indent)
	}
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteByte('\n')
}

func (w *shWriter) blank()                                { w.line("") }
func (w *shWriter) comment(text string)                   { w.line("# %s", shComment(text)) }
func (w *shWriter) say(text string)                       { w.line("say %s", shQuote(text)) }
func (w *shWriter) command(argv []string) (string, error) { return shCommand(argv) }

func (w *shWriter) header(s *Script) {
	w.line("#!/bin/sh")
	headerComment(w, "setup.sh", s, "Run it: sh setup.sh (as root when a step needs it).")
	w.line("set -u")
	w.line(`here=$(cd "$(dirname "$0")" && pwd) || exit 1`)
	w.line(`log="$here/setup.log"`)
	w.line("failed=0")
	w.line("checks=0")
	w.line("")
	w.line(`# say prints a line and appends it to the log; note only appends it.`)
	w.line(`say() { printf '%%s\n' "$*"; printf '%%s\n' "$*" >>"$log"; }`)
	w.line(`note() { printf '%%s\n' "$*" >>"$log"; }`)
	w.line(`# stop ends the script with a status and a message.`)
	w.line(`stop() { code=$1; shift; say "$*"; say "envup setup: stopped; see $log"; exit "$code"; }`)
	w.line(`# result says how a check went: nothing is a pass, else why it failed.`)
	w.line(`result() {`)
	w.line(`  if [ -z "$1" ]; then say '    ok'; else failed=$((failed + 1)); say "    FAILED: $1"; fi`)
	w.line(`}`)
}

// hostCheck compares the host with the target before anything is
// written: the kernel, the version (sw_vers, or os-release with
// /etc/debian_version behind it) and the architecture.
func (w *shWriter) hostCheck(t Target) {
	w.line("host_os=$(uname -s)")
	w.line("host_arch=$(uname -m)")
	w.line("host_id=")
	w.line("host_ver=")
	w.line("case $host_arch in")
	w.line("  x86_64|amd64) host_arch=amd64 ;;")
	w.line("  i?86|i86pc) host_arch=386 ;;")
	w.line("  aarch64|arm64) host_arch=arm64 ;;")
	w.line("  armv6l|armv7l|armv7) host_arch=arm ;;")
	w.line("esac")
	if t.OS == "macos" {
		w.line(`if [ "$host_os" = Darwin ]; then`)
		w.line(`  host_ver=$(sw_vers -productVersion 2>/dev/null)`)
		w.line(`  # a 32-bit kernel (10.6) or a shell under Rosetta hides the machine`)
		w.line(`  if [ "$(sysctl -n hw.optional.x86_64 2>/dev/null)" = 1 ]; then host_arch=amd64; fi`)
		w.line(`  if [ "$(sysctl -n hw.optional.arm64 2>/dev/null)" = 1 ]; then host_arch=arm64; fi`)
		w.line(`fi`)
		w.line(`if [ "$host_os" = Darwin ] && [ "$host_arch" = %s ] && case $host_ver in %s|%s.*) true ;; *) false ;; esac; then`,
			shQuote(t.Arch), shQuote(t.Version), shQuote(t.Version))
	} else {
		w.line(`if [ -r /etc/os-release ]; then`)
		w.line(`  # shellcheck source=/dev/null`)
		w.line(`  host_id=$(. /etc/os-release && printf '%%s' "${ID:-}")`)
		w.line(`  # shellcheck source=/dev/null`)
		w.line(`  host_ver=$(. /etc/os-release && printf '%%s' "${VERSION_ID:-}")`)
		w.line(`elif [ -r /etc/debian_version ]; then`)
		w.line(`  host_id=debian`)
		w.line(`  host_ver=$(cut -d. -f1 /etc/debian_version)`)
		w.line(`fi`)
		w.line(`if [ "$host_os" = Linux ] && [ "$host_id" = %s ] && [ "$host_arch" = %s ] && case $host_ver in %s|%s.*) true ;; *) false ;; esac; then`,
			shQuote(t.Distro), shQuote(t.Arch), shQuote(t.Version), shQuote(t.Version))
	}
	w.line(`  :`)
	w.line(`else`)
	w.line(`  echo %s"$host_os ${host_id:-} ${host_ver:-?} $host_arch." >&2`, shQuote("envup: this script is for "+targetLabel(t)+"; this host is "))
	w.line(`  echo %s >&2`, shQuote(wrongHostAdvice))
	w.line(`  exit 2`)
	w.line(`fi`)
}

func (w *shWriter) begin(s *Script) {
	w.line(`note "=== setup.sh: $(date)"`)
	w.line(`say %s`, shQuote("envup setup: "+s.Recipe+" for "+targetLabel(s.Target)+"; log: ")+`"$log"`)
}

func (w *shWriter) skipSection(_ int, path string) error {
	w.closer = "}"
	if path == "" {
		w.line("{")
	} else {
		w.closer = "fi"
		p, err := shPath(path)
		if err != nil {
			return err
		}
		w.line("if [ -e %s ]; then", p)
		w.line("  say %s", shQuote("      already there, skipped: "+path))
		w.line("else")
	}
	w.indent = "  "
	w.line(":")
	return nil
}

func (w *shWriter) endSection(int) {
	w.indent = ""
	w.line("%s", w.closer)
}

func (w *shWriter) mkdir(_ int, path string) error {
	p, err := shPath(path)
	if err != nil {
		return err
	}
	w.line("if [ ! -d %s ]; then", p)
	w.line("  say %s", shQuote("  mkdir "+path))
	w.line("  mkdir -p %s >>\"$log\" 2>&1 || stop 1 %s", p, shQuote("  FAILED: could not make the folder "+path))
	w.line("fi")
	return nil
}

func (w *shWriter) copy(_ int, from, to string) error {
	from = strings.TrimLeft(from, "/")
	dst, err := shPath(to)
	if err != nil {
		return err
	}
	src, err := shPath("{files}/" + from)
	if err != nil {
		return err
	}
	w.line("say %s", shQuote("  copy files/"+from+" to "+to))
	if i := strings.LastIndex(to, "/"); i > 0 {
		parent, err := shPath(to[:i])
		if err != nil {
			return err
		}
		w.line("mkdir -p %s >>\"$log\" 2>&1 || stop 1 %s", parent, shQuote("  FAILED: could not make the folder "+to[:i]))
	}
	w.line("if [ -f %s ] && cmp -s %s %s; then", dst, src, dst)
	w.line("  say '    same bytes already there: kept'")
	w.line("else")
	w.line("  note %s", shQuote("+ cp "+displayArgs([]string{"{files}/" + from, to})))
	w.line("  cp %s %s >>\"$log\" 2>&1 || stop 1 %s", src, dst, shQuote("  FAILED: could not copy to "+to))
	w.line("fi")
	return nil
}

func (w *shWriter) run(_ int, line string, argv []string) {
	w.say("  run: " + displayArgs(argv))
	w.line(`%s >>"$log" 2>&1 || stop $? "  FAILED: exit status $?"`, line)
}

func (w *shWriter) requireAdmin(_ int, why string) {
	w.line(`if [ "$(id -u)" -ne 0 ]; then`)
	w.line("  stop 2 %s", shQuote("envup setup: "+why+": run it again as root (sudo sh setup.sh)"))
	w.line("fi")
}

func (w *shWriter) countCheck() { w.line("checks=$((checks + 1))") }

func (w *shWriter) checkRun(_ int, line string, argv []string) {
	w.line("note %s", shQuote("    + "+displayArgs(argv)))
	w.line(`out=$(%s 2>>"$log")`, line)
	w.line("rc=$?")
	w.line(`printf '%%s\n' "$out" >>"$log"`)
	w.line(`why=`)
	w.line(`if [ "$rc" -ne 0 ]; then why="exit status $rc"; fi`)
}

func (w *shWriter) checkContains(_ int, want string) error {
	w.line(`if [ -z "$why" ]; then`)
	w.line(`  case $out in *%s*) ;; *) why=%s ;; esac`, shQuote(want), shQuote(fmt.Sprintf("stdout does not contain \"%s\"", want)))
	w.line(`fi`)
	return nil
}

func (w *shWriter) checkMatch(_ int, expr string) error {
	ere, err := ereRegexp(expr)
	if err != nil {
		return err
	}
	w.line(`if [ -z "$why" ] && ! printf '%%s\n' "$out" | LC_ALL=C grep -E -e %s >/dev/null; then`, shQuote(ere))
	w.line(`  why=%s`, shQuote(fmt.Sprintf("no line of stdout matches \"%s\" (grep -E %s)", expr, ere)))
	w.line(`fi`)
	return nil
}

func (w *shWriter) checkResult(_ int, note string) {
	if note != "" {
		w.say(note)
	}
	w.line(`result "$why"`)
}

func (w *shWriter) footer(*Script) {
	w.line(`if [ "$failed" -ne 0 ]; then`)
	w.line(`  say "envup setup: $failed of $checks checks failed; see $log"`)
	w.line(`  exit 1`)
	w.line(`fi`)
	w.line(`say "envup setup: done, $checks checks passed"`)
	w.line(`exit 0`)
}

// shQuote quotes one word for sh: as it is when every character is safe,
// else between single quotes, where a single quote is written as a
// closing quote, a backslash-escaped quote and an opening quote. A word
// with "$" or "`", or a backslash before a quote, goes between double
// quotes instead (backslash, quote, "$" and "`" escaped): the same word,
// which shellcheck does not take for a mistake.
func shQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_./:=@%+,-", r))
	}) < 0 && s[0] != '=' {
		return s
	}
	if strings.ContainsAny(s, "$`") || strings.HasSuffix(s, `\`) || strings.Contains(s, `\'`) {
		var b strings.Builder
		b.WriteByte('"')
		for _, r := range s {
			if strings.ContainsRune("\\\"$`", r) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
		b.WriteByte('"')
		return b.String()
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shSymbols are what the path symbols become in sh.
var shSymbols = map[string]string{"~": `"$HOME"`, "{files}": `"$here/files"`}

// shPath is a target path as one sh word: the symbol replaced by its
// variable (quoted), the rest single-quoted.
func shPath(p string) (string, error) {
	if p == "" {
		return "", errors.New("empty path")
	}
	if strings.ContainsRune(p, 0) {
		return "", fmt.Errorf("path %q: a NUL byte", p)
	}
	sym, rest := splitSymbol(p)
	if sym == "" {
		return shQuote(p), nil
	}
	if rest == "" {
		return shSymbols[sym], nil
	}
	return shSymbols[sym] + shQuote(rest), nil
}

// shArg quotes one argument, with a path symbol at its start or after a
// leading NAME= (--prefix=~/.local).
func shArg(a string) (string, error) {
	if strings.ContainsRune(a, 0) {
		return "", fmt.Errorf("argument %q: a NUL byte", a)
	}
	pre, sym, rest := splitArgSymbol(a)
	if sym == "" {
		return shQuote(a), nil
	}
	out := shSymbols[sym]
	if rest != "" {
		out += shQuote(rest)
	}
	if pre != "" {
		out = shQuote(pre) + out
	}
	return out, nil
}

// shCommand is argv as one sh command.
func shCommand(argv []string) (string, error) {
	if len(argv) == 0 {
		return "", errors.New("no command to run")
	}
	words := make([]string, len(argv))
	for i, a := range argv {
		q, err := shArg(a)
		if err != nil {
			return "", err
		}
		words[i] = q
	}
	return strings.Join(words, " "), nil
}

// shComment keeps a comment on one line.
func shComment(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' {
			return ' '
		}
		return r
	}, s)
}

// ereRegexp translates a Go regular expression into a POSIX extended
// regexp for grep -E in the C locale, or says why it cannot. The parsed
// expression is written out again: "\d" becomes "[0-9]", "\s"
// "[\t-\r ]", a case-folded letter "[aA]", non-greedy repeats greedy
// ones (a match is a match either way).
func ereRegexp(expr string) (string, error) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return "", fmt.Errorf("not a regexp: %w", err)
	}
	var b strings.Builder
	if err := writeERE(&b, re); err != nil {
		return "", err
	}
	if b.Len() == 0 {
		return "^", nil
	}
	return b.String(), nil
}

func writeERE(b *strings.Builder, re *syntax.Regexp) error {
	switch re.Op {
	case syntax.OpEmptyMatch:
	case syntax.OpNoMatch:
		return errors.New("it matches nothing")
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if err := writeERELiteral(b, r, re.Flags&syntax.FoldCase != 0); err != nil {
				return err
			}
		}
	case syntax.OpCharClass:
		return writeEREClass(b, re.Rune)
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		b.WriteByte('.')
	case syntax.OpBeginLine, syntax.OpBeginText:
		b.WriteByte('^')
	case syntax.OpEndLine, syntax.OpEndText:
		b.WriteByte('$')
	case syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return errors.New(`POSIX ERE has no \b`)
	case syntax.OpCapture:
		b.WriteByte('(')
		if err := writeERE(b, re.Sub[0]); err != nil {
			return err
		}
		b.WriteByte(')')
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		if err := writeEREAtom(b, re.Sub[0]); err != nil {
			return err
		}
		switch re.Op {
		case syntax.OpStar:
			b.WriteByte('*')
		case syntax.OpPlus:
			b.WriteByte('+')
		case syntax.OpQuest:
			b.WriteByte('?')
		default:
			if re.Max > 255 || re.Min > 255 {
				return errors.New("a count above 255 (RE_DUP_MAX)")
			}
			switch {
			case re.Max == -1:
				fmt.Fprintf(b, "{%d,}", re.Min)
			case re.Max == re.Min:
				fmt.Fprintf(b, "{%d}", re.Min)
			default:
				fmt.Fprintf(b, "{%d,%d}", re.Min, re.Max)
			}
		}
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if err := writeERE(b, s); err != nil {
				return err
			}
		}
	case syntax.OpAlternate:
		// POSIX leaves an empty alternative undefined: (a|) is (a)?
		subs := slices.DeleteFunc(slices.Clone(re.Sub), func(s *syntax.Regexp) bool { return s.Op == syntax.OpEmptyMatch })
		if len(subs) == 0 {
			break
		}
		b.WriteByte('(')
		for i, s := range subs {
			if i > 0 {
				b.WriteByte('|')
			}
			if err := writeERE(b, s); err != nil {
				return err
			}
		}
		b.WriteByte(')')
		if len(subs) < len(re.Sub) {
			b.WriteByte('?')
		}
	default:
		return fmt.Errorf("no ERE form for %s", re)
	}
	return nil
}

// writeEREAtom writes what a repeat applies to, grouped unless it is one
// character (in the C locale, one byte).
func writeEREAtom(b *strings.Builder, re *syntax.Regexp) error {
	single := false
	switch re.Op {
	case syntax.OpLiteral:
		single = len(re.Rune) == 1 && re.Rune[0] < utf8.RuneSelf
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL, syntax.OpCapture:
		single = true
	}
	if single {
		return writeERE(b, re)
	}
	if re.Op == syntax.OpEmptyMatch {
		return errors.New("a repeat of nothing")
	}
	b.WriteByte('(')
	if err := writeERE(b, re); err != nil {
		return err
	}
	b.WriteByte(')')
	return nil
}

func writeERELiteral(b *strings.Builder, r rune, fold bool) error {
	if r == '\n' || r == 0 {
		return fmt.Errorf("grep sees one line at a time: no %q", r)
	}
	if fold {
		lo, up := strings.ToLower(string(r)), strings.ToUpper(string(r))
		if lo != up && r < utf8.RuneSelf {
			b.WriteString("[" + lo + up + "]")
			return nil
		}
		if lo != up {
			return fmt.Errorf("case folding of %q in the C locale", r)
		}
	}
	if strings.ContainsRune(`\.[]()*+?{}|^$`, r) {
		b.WriteByte('\\')
	}
	b.WriteRune(r)
	return nil
}

// writeEREClass writes a class as a bracket expression of ASCII ranges;
// a class of most of Unicode as the negation of what it leaves out.
func writeEREClass(b *strings.Builder, ranges []rune) error {
	neg := false
	if len(ranges) > 0 && ranges[len(ranges)-1] > 0x7f {
		comp := complementRanges(ranges)
		if len(comp) > 0 && comp[len(comp)-1] > 0x7f {
			return errors.New("a class with non-ASCII characters, which grep in the C locale sees as bytes")
		}
		ranges, neg = comp, true
	}
	if len(ranges) == 0 {
		if neg {
			b.WriteByte('.') // everything
			return nil
		}
		return errors.New("an empty class matches nothing")
	}
	// "]" goes first, "-" last, "^" not first: the only characters a
	// bracket expression treats specially ("\" is itself)
	var body, tail strings.Builder
	head := ""
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		for lo <= hi {
			switch {
			case lo == ']':
				head = "]"
				lo++
				continue
			case lo == '-':
				tail.WriteByte('-')
				lo++
				continue
			case lo == '^' && body.Len() == 0 && head == "":
				tail.WriteByte('^')
				lo++
				continue
			case lo == 0 || lo == '\n':
				lo++ // grep sees no NUL or newline in a line
				continue
			}
			end := hi
			// keep "]", "-", NUL and newline out of a range's middle
			for _, special := range []rune{0, '\n', ']', '-'} {
				if lo < special && special <= end {
					end = special - 1
				}
			}
			switch {
			case end-lo >= 2:
				body.WriteString(string(lo) + "-" + string(end))
			case end > lo:
				body.WriteString(string(lo) + string(end))
			default:
				body.WriteRune(lo)
			}
			lo = end + 1
		}
	}
	text := head + body.String() + tail.String()
	switch {
	case text == "":
		return errors.New("a class of only NUL or newline matches nothing on a line")
	case text == "^" && !neg:
		b.WriteString(`\^`)
		return nil
	case neg:
		b.WriteString("[^" + text + "]")
	default:
		b.WriteString("[" + text + "]")
	}
	return nil
}
