//go:build release

package release

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestInstallPs1Parses: install.ps1 parses without an error under the
// tree-sitter PowerShell grammar (testdata/ps1syntax.cjs, run by node),
// and copies of it with a mistake are refused at the mistake's line.
// ENVUP_PS_GRAMMAR names a folder whose node_modules holds the npm
// packages web-tree-sitter and tree-sitter-powershell (docs/install.md
// says how .ci/run fills it); without it, or without node, the test skips.
func TestInstallPs1Parses(t *testing.T) {
	grammar := os.Getenv("ENVUP_PS_GRAMMAR")
	node, err := exec.LookPath("node")
	if grammar == "" || err != nil {
		t.Skip("needs node and ENVUP_PS_GRAMMAR (npm: web-tree-sitter, tree-sitter-powershell)")
	}
	data, err := os.ReadFile(filepath.Join(root, "install.ps1"))
	if err != nil {
		t.Fatal(err)
	}
	script := string(data)
	lineOf := func(s string) int {
		i := strings.Index(script, s)
		if i < 0 {
			t.Fatalf("install.ps1 has no %q", s)
		}
		return strings.Count(script[:i], "\n") + 1
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name     string
		old, new string
		line     int // where the error is reported; 0: none
	}{
		{"install.ps1", "", "", 0},
		{"unterminated-string.ps1", `Write-Host "envup install: downloading $base/$name"`, `Write-Host "envup install: downloading $base/$name`,
			lineOf(`Write-Host "envup install: downloading`)},
		{"missing-brace.ps1", "    } finally {", "     finally {", -1},
		{"missing-paren.ps1", "if ($lines.Count -eq 0) {", "if ($lines.Count -eq 0 {", -1},
	} {
		file := filepath.Join(dir, tc.name)
		if err := os.WriteFile(file, []byte(strings.Replace(script, tc.old, tc.new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.CommandContext(t.Context(), node, "--liftoff-only", filepath.Join("testdata", "ps1syntax.cjs"), file)
		cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(grammar, "node_modules"))
		out, err := cmd.CombinedOutput()
		t.Logf("%s:\n%s", tc.name, out)
		var exitErr *exec.ExitError
		switch {
		case tc.line == 0 && err != nil:
			t.Errorf("%s: %v, want no syntax error:\n%s", tc.name, err, out)
		case tc.line != 0 && (!errors.As(err, &exitErr) || exitErr.ExitCode() != 1):
			t.Errorf("%s: %v, want exit 1 for a syntax error", tc.name, err)
		case tc.line > 0 && !strings.Contains(string(out), tc.name+":"+strconv.Itoa(tc.line)+":"):
			t.Errorf("%s: the error is not reported at line %d:\n%s", tc.name, tc.line, out)
		}
	}
}
