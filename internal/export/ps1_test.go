package export

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// psUnquote reads a PowerShell single-quoted string: any of the five
// characters PowerShell takes for a single quote, written twice, is one.
func psUnquote(t *testing.T, s string) string {
	t.Helper()
	r := []rune(s)
	if len(r) < 2 || r[0] != '\'' || r[len(r)-1] != '\'' {
		t.Fatalf("%s is not single-quoted", s)
	}
	var b strings.Builder
	for i := 1; i < len(r)-1; i++ {
		if strings.ContainsRune(psQuotes, r[i]) {
			if i+1 >= len(r)-1 || !strings.ContainsRune(psQuotes, r[i+1]) {
				t.Fatalf("%s: a lone quote at %d ends the string early", s, i)
			}
			i++
		}
		b.WriteRune(r[i])
	}
	return b.String()
}

func TestPSQuote(t *testing.T) {
	t.Parallel()
	args := append(slices.Clone(hostileArgs), "\u2018smart\u2019", "\u201a\u201b", "$env:PATH", "`n", "$(x)", "@(1)")
	for _, a := range args {
		q := psQuote(a)
		if got := psUnquote(t, q); got != a {
			t.Errorf("psQuote(%q) = %s, reads back as %q", a, q, got)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"it's", "'it''s'"}, {"$x", "'$x'"}, {"\u2019", "'\u2019\u2019'"}, {"", "''"},
	} {
		if got := psQuote(c.in); got != c.want {
			t.Errorf("psQuote(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

// psJoin is how PowerShell before 7.3 builds a native command line from
// argument strings; counting says which quotes it counts when it decides
// whether a space is inside quotes already: "all" (Windows PowerShell
// 5.1), "unescaped" (7.x in Legacy mode), "none" (quotes added whenever
// there is a space: the simplest reading of 2.0).
func psJoin(args []string, counting string) string {
	var b strings.Builder
	b.WriteString("prog")
	for _, a := range args {
		b.WriteByte(' ')
		need := false
		quotes := 0
		for i, r := range a {
			switch {
			case r == '"' && (counting == "all" || (counting == "unescaped" && (i == 0 || a[i-1] != '\\'))):
				quotes++
			case (r == ' ' || r == '\t') && (counting == "none" || quotes%2 == 0):
				need = true
			}
		}
		if need {
			b.WriteString(`"` + a + `"`)
		} else {
			b.WriteString(a)
		}
	}
	return b.String()
}

// Every argument psNativeArg takes reaches the program intact under each
// reading of PowerShell's joining; the ones it refuses have a quote and a
// space.
func TestPSNativeArg(t *testing.T) {
	t.Parallel()
	var took []string
	for _, a := range hostileArgs {
		native, err := psNativeArg(a)
		if err != nil {
			if !strings.Contains(a, `"`) || !strings.ContainsAny(a, " \t") {
				t.Errorf("psNativeArg(%q) refused: %v", a, err)
			}
			continue
		}
		took = append(took, a)
		for _, counting := range []string{"all", "unescaped", "none"} {
			line := psJoin([]string{native}, counting)
			if got := msvcrtParse(line); !slices.Equal(got, []string{"prog", a}) {
				t.Errorf("%q as %s, joined counting %s quotes: %s, read as %q", a, native, counting, line, got)
			}
		}
	}
	natives := make([]string, len(took))
	for i, a := range took {
		natives[i], _ = psNativeArg(a)
	}
	if got := msvcrtParse(psJoin(natives, "all")); !slices.Equal(got[1:], took) {
		t.Errorf("all at once: %q", got[1:])
	}
}

func TestPSArg(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"plain", "'plain'"},
		{"", `'""'`},
		{"a b", "'a b'"},
		{`a"b`, `'a\"b'`},
		{`C:\Program Files\x\`, `'C:\Program Files\x\\'`},
		{"it's", "'it''s'"},
		{`~\Python34`, `($env:USERPROFILE + '\Python34')`},
		{`{files}\python-3.4.4.msi`, `($files + '\python-3.4.4.msi')`},
		{`TARGETDIR=~\Python 34\`, `('TARGETDIR=' + $env:USERPROFILE + '\Python 34\\')`},
		{"~", "($env:USERPROFILE)"},
	} {
		if got, err := psArg(c.in); err != nil || got != c.want {
			t.Errorf("psArg(%q) = %s, %v; want %s", c.in, got, err, c.want)
		}
	}
	for _, a := range []string{`say "hi" there`, "a\nb", `~\"x"`} {
		if got, err := psArg(a); err == nil {
			t.Errorf("psArg(%q) = %s, want an error", a, got)
		}
	}
}

// The .NET pattern means what the Go one does: read back as Go syntax
// (\uXXXX is \x{XXXX}), it matches the same texts.
func TestDotnetRegexp(t *testing.T) {
	t.Parallel()
	texts := []string{
		"Python 3.4.4", "python 3.4.4", "Python 3.4", "PONG", "pong", "x\nPONG", "PONG\n", "a.b", "axb", "",
		"caf\u00e9", "v=10", "colour", "abab", "tab\there", "1\n2", "x PONG y", "PONGS",
	}
	patterns := []string{
		`^Python 3\.4\.\d+$`, `(?i)pong`, `^(PONG|pong)$`, `\bPONG\b`, `a.b`, `[^a-z]`, `(?m)^PONG$`, `(?s)1.2`,
		`colou?r`, `(ab){2}`, `x*?y`, `\w+=\d+`, `[\x{e0}-\x{ff}]`, `\x{1F600}`, ``, `^$`, `PONG$`,
	}
	uEscape := regexp.MustCompile(`\\u([0-9A-F]{4})`)
	for _, p := range patterns {
		net, err := dotnetRegexp(p)
		if err != nil {
			t.Errorf("dotnetRegexp(%q): %v", p, err)
			continue
		}
		if strings.Contains(p, `\x{1F600}`) {
			continue // a surrogate pair, which Go's strings do not hold
		}
		back := uEscape.ReplaceAllStringFunc(net, func(m string) string {
			n, _ := strconv.ParseUint(m[2:], 16, 32)
			return fmt.Sprintf(`\x{%x}`, n)
		})
		goRe, err := regexp.Compile(back)
		if err != nil {
			t.Errorf("%q as .NET %s: read back %s: %v", p, net, back, err)
			continue
		}
		orig := regexp.MustCompile(p)
		for _, s := range texts {
			if goRe.MatchString(s) != orig.MatchString(s) {
				t.Errorf("%q as .NET %s: %q matches %v, Go says %v", p, net, s, goRe.MatchString(s), orig.MatchString(s))
			}
		}
	}
	if got, _ := dotnetRegexp(`^v\d$`); got != `\Av[0-9]\z` {
		t.Errorf(`dotnetRegexp("^v\d$") = %s`, got)
	}
}

func TestWritePS1Golden(t *testing.T) {
	t.Parallel()
	s := writerScript(Target{OS: "windows", Version: "6.1", Arch: "amd64", Name: "windows 7"}, `\`)
	// the golden script's one argument PowerShell cannot pass
	for i, op := range s.Ops {
		if op.Kind == Run {
			s.Ops[i].Argv = slices.DeleteFunc(slices.Clone(op.Argv), func(a string) bool { return a == `say "hi" & bye` })
			s.Ops[i].Argv = append(s.Ops[i].Argv, `say"hi"&bye`)
		}
	}
	var b bytes.Buffer
	if err := WritePS1(&b, s); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "writer.ps1", b.Bytes())
	text := b.String()
	if !strings.HasPrefix(text, "\ufeff") {
		t.Error("no byte order mark")
	}
	if strings.Count(text, "\n") != strings.Count(text, "\r\n") {
		t.Error("a line ends without CR")
	}
	for _, bad := range []string{"::new", "$PSScriptRoot", "ConvertTo-Json", "-Encoding utf8NoBOM", "Get-FileHash"} {
		if strings.Contains(text, bad) {
			t.Errorf("setup.ps1 uses %s, which PowerShell 2.0 lacks", bad)
		}
	}
	if err := WritePS1(&bytes.Buffer{}, writerScript(xpTarget, `\`)); err == nil || !strings.Contains(err.Error(), "quote and a space") {
		t.Errorf("an argument with a quote and a space: %v", err)
	}
	if err := WritePS1(&bytes.Buffer{}, &Script{Target: debianTarget}); err == nil {
		t.Error("WritePS1 for linux: no error")
	}
}
