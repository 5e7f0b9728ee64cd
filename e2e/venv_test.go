//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// labPackages are three small real packages the test builds into wheels
// with pip (no index: the build uses the system's setuptools and wheel).
var labPackages = map[string]struct{ version, module string }{
	"seatbook":  {"1.2.0", "def sell(seats, n):\n    return seats[:n], seats[n:]\n"},
	"lab-hello": {"1.0.0", "def hello():\n    return 'hello, lab'\n"},
	"tinymath":  {"0.3.1", "def add(a, b):\n    return a + b\n"},
}

// TestVenvFromWheelhouseOffline creates a real venv on Debian's python3.11
// and installs three real wheels offline from a wheelhouse; the venv's
// python imports them; a second apply spawns no python at all (counted
// through envup's exec log); bumping one package reinstalls only it.
func TestVenvFromWheelhouseOffline(t *testing.T) {
	m := newMachine(t)
	if _, err := os.Stat("/usr/bin/python3.11"); err != nil {
		t.Skip("no /usr/bin/python3.11")
	}
	wheelhouse := t.TempDir()
	for name, pkg := range labPackages {
		buildWheel(t, wheelhouse, name, pkg.version, pkg.module)
	}
	buildWheel(t, wheelhouse, "tinymath", "0.4.0", "def add(a, b):\n    return a + b\n")

	venv := filepath.Join(m.home, "envs", "lab")
	recipe := filepath.Join(t.TempDir(), "lab.yml")
	write := func(tinymath string) {
		writeFile(t, recipe, `envup: 1
interpreters:
  python:
    version: "3.11"
    sources: [system]
virtualenvs:
  lab:
    path: ~/envs/lab
    packages: [seatbook, "lab-hello==1.0.0", "tinymath`+tinymath+`"]
    find_links: [`+wheelhouse+`]
    offline: true
`)
	}
	write("==0.3.1")
	out := m.envup(2, "plan", "--detailed-exitcode", recipe)
	if !strings.Contains(out, "+ virtualenv/lab") {
		t.Fatalf("plan does not create the venv:\n%s", out)
	}
	m.envup(0, "apply", recipe)
	got := run(t, filepath.Join(venv, "bin", "python"), "-c",
		"import seatbook, lab_hello, tinymath; print(lab_hello.hello(), tinymath.add(2, 3))")
	if strings.TrimSpace(got) != "hello, lab 5" {
		t.Fatalf("the venv's python says %q", got)
	}

	execLog := filepath.Join(t.TempDir(), "exec.log")
	m.env = []string{"ENVUP_EXEC_LOG=" + execLog}
	out = m.envup(0, "apply", recipe)
	if !strings.Contains(out, "Nothing to change") {
		t.Errorf("second apply changed something:\n%s", out)
	}
	if spawned, err := os.ReadFile(execLog); err == nil && strings.Contains(string(spawned), "python") {
		t.Errorf("a no-op apply spawned python:\n%s", spawned)
	}

	// Bump one package: only it is reinstalled, in one pip call.
	write(">=0.4")
	m.env = []string{"ENVUP_EXEC_LOG=" + execLog}
	_ = os.Remove(execLog)
	out = m.envup(0, "apply", recipe)
	if !strings.Contains(out, "tinymath") {
		t.Errorf("apply does not mention tinymath:\n%s", out)
	}
	spawned, _ := os.ReadFile(execLog)
	var pips []string
	for _, line := range strings.Split(string(spawned), "\n") {
		if strings.Contains(line, "-m pip install") {
			pips = append(pips, line)
		}
	}
	if len(pips) != 1 || !strings.Contains(pips[0], "tinymath") || strings.Contains(pips[0], "seatbook") {
		t.Errorf("pip calls after the bump: %q", pips)
	}
	if v := run(t, filepath.Join(venv, "bin", "python"), "-c", "import importlib.metadata as m; print(m.version('tinymath'))"); strings.TrimSpace(v) != "0.4.0" {
		t.Errorf("tinymath is %q after the bump", v)
	}
}

// buildWheel writes a one-module project and builds its wheel into dir
// with the system pip, offline.
func buildWheel(t *testing.T, dir, name, version, module string) {
	t.Helper()
	src := t.TempDir()
	mod := strings.ReplaceAll(name, "-", "_")
	writeFile(t, filepath.Join(src, "pyproject.toml"), "[build-system]\nrequires = [\"setuptools\", \"wheel\"]\nbuild-backend = \"setuptools.build_meta\"\n")
	writeFile(t, filepath.Join(src, "setup.py"), "from setuptools import setup\nsetup(name='"+name+"', version='"+version+"', py_modules=['"+mod+"'])\n")
	writeFile(t, filepath.Join(src, mod+".py"), module)
	cmd := exec.CommandContext(t.Context(), "/usr/bin/python3.11", "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index", "--wheel-dir", dir, src)
	cmd.Env = append(os.Environ(), "PIP_DISABLE_PIP_VERSION_CHECK=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pip wheel %s: %v\n%s", name, err, out)
	}
}
