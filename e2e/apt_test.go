//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestAptInstallThenNothing installs a small real package (GNU hello)
// through a recipe with the real apt, then applies again: the second apply
// must not run apt at all. A logging shim in front of apt-get counts the
// calls.
func TestAptInstallThenNothing(t *testing.T) {
	m := newMachine(t)
	if _, err := exec.LookPath("apt-get"); err != nil {
		t.Skip("no apt-get on this machine")
	}
	// Start from a machine without the package, and leave it that way.
	_ = exec.Command("apt-get", "remove", "-y", "-qq", "hello").Run()
	t.Cleanup(func() { _ = exec.Command("apt-get", "remove", "-y", "-qq", "hello").Run() })

	shims := t.TempDir()
	log := filepath.Join(shims, "apt.log")
	writeFile(t, filepath.Join(shims, "apt-get"), "#!/bin/sh\necho \"apt-get $*\" >> "+log+"\nexec /usr/bin/apt-get \"$@\"\n")
	if err := os.Chmod(filepath.Join(shims, "apt-get"), 0o755); err != nil {
		t.Fatal(err)
	}
	m.path = []string{shims}

	recipe := filepath.Join(t.TempDir(), "hello.yml")
	writeFile(t, recipe, `envup: 1
name: hello
packages:
  greeting:
    apt: [hello]
checks:
  - name: hello greets
    run: [hello]
    expect: "Hello, world!"
`)

	out := m.envup(2, "plan", "--detailed-exitcode", recipe)
	if !strings.Contains(out, "+ packages/apt") || !strings.Contains(out, "hello: not installed") {
		t.Fatalf("plan does not show the install:\n%s", out)
	}

	out = m.envup(0, "apply", recipe)
	if !strings.Contains(out, "ok   hello greets") {
		t.Errorf("the check did not pass after apply:\n%s", out)
	}
	calls, err := os.ReadFile(log)
	if err != nil {
		t.Fatalf("apt-get was never called: %v", err)
	}
	if !strings.Contains(string(calls), "install") || !strings.Contains(string(calls), "hello") {
		t.Fatalf("apt-get calls:\n%s", calls)
	}
	if got := run(t, "dpkg-query", "-W", "-f=${Status}", "hello"); got != "install ok installed" {
		t.Fatalf("hello is not installed: %q", got)
	}

	out = m.envup(0, "apply", recipe)
	if !strings.Contains(out, "Nothing to change") {
		t.Errorf("second apply does not say it changed nothing:\n%s", out)
	}
	again, _ := os.ReadFile(log)
	if string(again) != string(calls) {
		t.Errorf("second apply ran apt-get:\n%s", strings.TrimPrefix(string(again), string(calls)))
	}
	m.envup(0, "plan", "--detailed-exitcode", recipe)
}
