package release

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// ps1Mistakes are PowerShell mistakes a grammar does not see, each with
// what it does wrong. PowerShell itself cannot be had on this machine
// (Debian 12 has no package); install_ps1_test.go (tag release) parses the
// script with the tree-sitter PowerShell grammar.
var ps1Mistakes = []struct {
	re     *regexp.Regexp
	unless string // a line with this is right
	what   string
}{
	// "$name: text" is a drive-qualified variable to PowerShell: a parse
	// error ("Variable reference is not valid"). ${name}: is right.
	{regexp.MustCompile(`\$\w+:(\s|"|$)`), "", `"$name:" in a string is a parse error: write ${name}:`},
	// `irm … | iex` runs the script in the user's session: exit closes it.
	{regexp.MustCompile(`(?i)^\s*exit\b`), "", "exit closes the window of a user who ran irm | iex: throw instead"},
	// Write-Output inside a function becomes its return value.
	{regexp.MustCompile(`(?i)\bWrite-Output\b`), "", "Write-Output joins the function's output: use Write-Host"},
	// Without -UseBasicParsing, Windows PowerShell 5.1 needs Internet
	// Explorer's engine to download.
	{regexp.MustCompile(`(?i)\bInvoke-WebRequest\b`), "-UseBasicParsing", "Invoke-WebRequest without -UseBasicParsing fails on 5.1 without IE"},
}

// TestInstallPs1Lint: install.ps1 has none of ps1Mistakes, works in a
// function with strict mode and Stop on errors, checks the archive with
// Get-FileHash SHA256 before unpacking it, and tries the new envup.exe
// before moving it in; each mistake's check finds its mistake.
func TestInstallPs1Lint(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(root, "install.ps1"))
	if err != nil {
		t.Fatal(err)
	}
	script := string(data)
	for i, line := range strings.Split(script, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, m := range ps1Mistakes {
			if m.re.MatchString(line) && (m.unless == "" || !strings.Contains(line, m.unless)) {
				t.Errorf("install.ps1:%d: %s\n\t%s", i+1, m.what, strings.TrimSpace(line))
			}
		}
	}
	for _, bad := range []string{`throw "for $name: no"`, `  exit 1`, `Write-Output $x`, `Invoke-WebRequest -Uri $u -OutFile $f`} {
		found := false
		for _, m := range ps1Mistakes {
			found = found || m.re.MatchString(bad) && (m.unless == "" || !strings.Contains(bad, m.unless))
		}
		if !found {
			t.Errorf("no check finds %q", bad)
		}
	}
	inOrder := []string{
		"function Install-Envup {",
		"Set-StrictMode -Version 3.0",
		"$ErrorActionPreference = 'Stop'",
		"Invoke-WebRequest -UseBasicParsing -Uri \"$base/checksums.txt\"",
		"Get-FileHash -Algorithm SHA256 -LiteralPath $zip",
		"if ($got -ne $want) {",
		"Expand-Archive -LiteralPath $zip",
		"$version = & $staged --version",
		"Move-Item -LiteralPath $staged -Destination $target",
		"} finally {",
		"Remove-Item -Recurse -Force -LiteralPath $tmp",
	}
	at := 0
	for _, s := range inOrder {
		i := strings.Index(script[at:], s)
		if i < 0 {
			t.Fatalf("install.ps1: no %q after byte %d", s, at)
		}
		at += i + len(s)
	}
	if !strings.HasSuffix(strings.TrimSpace(script), "\nInstall-Envup") {
		t.Error("install.ps1 does not end by calling Install-Envup")
	}
}
