//go:build e2e && linux

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tailscale/hujson"
)

// killSettings is the user's own VS Code settings.json in every trial: a
// real one with comments and trailing commas, from the shared corpus
// (2zqa/dotfiles at 76324ec, .config/Code/User/settings.json).
const killSettings = "../../shared/corpora/vscode-settings/files/12__2zqa+dotfiles.json"

// killRecipe is the apply a trial kills: a file, a venv on Debian's
// python3.11 from a local wheelhouse (offline), a font through a mirror
// folder, and VS Code settings that name the venv. %s: the wheelhouse and
// the font's sha256.
const killRecipe = `envup: 1
vars:
  venv: ~/envs/lab
interpreters:
  python:
    version: "3.11"
    sources: [system]
virtualenvs:
  lab:
    path: ${venv}
    packages: [seatbook, "lab-hello==1.0.0"]
    find_links: [%s]
    offline: true
fonts:
  DejaVu Sans Mono:
    url: https://example.org/fonts/DejaVuSansMono.ttf
    sha256: %s
editors:
  vscode:
    settings:
      editor.fontFamily: DejaVu Sans Mono
      editor.fontSize: 14
      python.defaultInterpreterPath: ${venv}/bin/python
files:
  ~/lab/README.txt:
    content: "The lab's files, venv and font come from envup.\n"
    mode: "0644"
`

// killRecipeKeys are the settings the recipe sets: every other key of the
// user's stays as it was.
var killRecipeKeys = []string{"editor.fontFamily", "editor.fontSize", "python.defaultInterpreterPath"}

// TestKillApply kills `envup apply` at random points, the whole process
// group as `timeout -s KILL`, a CI cancel or `kill -TERM -PGID` would, or
// envup alone as an OOM kill or `kill -9 PID` would, and then applies
// again: nothing the killed apply started still runs (no process with the
// trial's HOME), every trial converges (exit 0, then a plan with nothing
// to change), the venv's python imports the wheel's module and runs pip,
// no temporary file or old venv is left anywhere in HOME (envup's own
// folders are in it), and the user's settings keep their keys and comments.
// ENVUP_KILL_TRIALS (default 30) trials for each kind of kill, -parallel at
// a time; ENVUP_KILL_SEED repeats a run's delays.
func TestKillApply(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("e2e tests change the machine and run as root")
	}
	const fontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
	for _, need := range []string{"/usr/bin/python3.11", fontFile, killSettings} {
		if _, err := os.Stat(need); err != nil {
			t.Skipf("no %s", need)
		}
	}
	trials := 30
	if s := os.Getenv("ENVUP_KILL_TRIALS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("ENVUP_KILL_TRIALS=%q: want a positive number", s)
		}
		trials = n
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("ENVUP_KILL_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("ENVUP_KILL_SEED=%q: %v", s, err)
		}
		seed = n
	}
	t.Logf("seed %d (ENVUP_KILL_SEED=%d repeats these delays)", seed, seed)

	wheelhouse := t.TempDir()
	for _, name := range []string{"seatbook", "lab-hello"} {
		pkg := labPackages[name]
		buildWheel(t, wheelhouse, name, pkg.version, pkg.module)
	}
	mirror := t.TempDir()
	font, err := os.ReadFile(fontFile)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(mirror, "DejaVuSansMono.ttf"), string(font))
	recipe := filepath.Join(t.TempDir(), "lab.yml")
	writeFile(t, recipe, fmt.Sprintf(killRecipe, wheelhouse, fileSHA256(t, filepath.Join(mirror, "DejaVuSansMono.ttf"))))
	settings, err := os.ReadFile(killSettings)
	if err != nil {
		t.Fatal(err)
	}
	k := &killTrial{recipe: recipe, mirror: mirror, settings: settings}

	// Whole applies, unkilled, as many at once as trials run at once,
	// measure the span the kills are spread over (the trials' applies share
	// the cores as these do) and show that the recipe converges at all.
	span := k.measure(t, testParallel())
	t.Logf("a whole apply takes %s with %d at once: kills fall in [0, %s]", span.Round(time.Millisecond), testParallel(), span.Round(time.Millisecond))

	converged := make([]atomic.Int32, len(kills))
	t.Run("trials", func(t *testing.T) {
		for ki, kl := range kills {
			r := rand.New(rand.NewPCG(seed, uint64(ki)))
			for i := range trials {
				delay := time.Duration(r.Int64N(int64(span) + 1))
				t.Run(fmt.Sprintf("%s-%02d", kl.name, i), func(t *testing.T) {
					t.Parallel()
					if k.run(t, kl, delay) {
						converged[ki].Add(1)
					}
				})
			}
		}
	})
	var figures []string
	for ki, kl := range kills {
		figures = append(figures, fmt.Sprintf("%s converged %d/%d", kl.name, converged[ki].Load(), trials))
	}
	t.Logf("kill trials: %s", strings.Join(figures, ", "))
}

// aKill is a way an apply is killed: a signal, to its process group or to
// envup alone.
type aKill struct {
	name  string
	sig   syscall.Signal
	alone bool
}

var kills = []aKill{
	{"SIGKILL", syscall.SIGKILL, false},
	{"SIGTERM", syscall.SIGTERM, false},
	{"SIGKILL-alone", syscall.SIGKILL, true},
}

// testParallel is how many parallel subtests run at once (-parallel).
func testParallel() int {
	if f := flag.Lookup("test.parallel"); f != nil {
		if n, err := strconv.Atoi(f.Value.String()); err == nil && n > 0 {
			return n
		}
	}
	return 1
}

// measure runs n whole applies at once, each in a fresh HOME, checks that
// each converges, and returns the longest one's wall time.
func (k *killTrial) measure(t *testing.T, n int) time.Duration {
	t.Helper()
	machines := make([]*machine, n)
	cmds := make([]*exec.Cmd, n)
	outs := make([]bytes.Buffer, n)
	for i := range machines {
		machines[i] = newMachine(t)
		k.prepare(t, machines[i])
		cmds[i] = machines[i].command(t.Context(), k.apply()...)
		cmds[i].Stdout, cmds[i].Stderr = &outs[i], &outs[i]
	}
	spans := make([]time.Duration, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, cmd := range cmds {
		wg.Go(func() {
			start := time.Now()
			errs[i] = cmd.Run()
			spans[i] = time.Since(start)
		})
	}
	wg.Wait()
	for i, m := range machines {
		if errs[i] != nil {
			t.Fatalf("a whole apply: %v\n%s", errs[i], outs[i].String())
		}
		if problems := k.converged(m); len(problems) > 0 {
			t.Fatalf("an apply that was not killed does not converge:\n%s\n%s", strings.Join(problems, "\n"), outs[i].String())
		}
	}
	t.Logf("a whole apply:\n%s", outs[0].String())
	return slices.Max(spans)
}

// killTrial is what every trial shares: the recipe, the font's mirror and
// the user's settings.
type killTrial struct {
	recipe, mirror string
	settings       []byte
}

func (k *killTrial) apply() []string {
	return []string{"apply", "--mirror", k.mirror, "--offline", k.recipe}
}

func (k *killTrial) settingsPath(m *machine) string {
	return filepath.Join(m.home, ".config", "Code", "User", "settings.json")
}

// prepare gives the fresh HOME the user's own settings.
func (k *killTrial) prepare(t *testing.T, m *machine) {
	t.Helper()
	writeFile(t, k.settingsPath(m), string(k.settings))
}

// run is one trial: apply, the kill after delay, then an apply that must
// converge. It reports whether it did.
func (k *killTrial) run(t *testing.T, kl aKill, delay time.Duration) bool {
	m := newMachine(t)
	k.prepare(t, m)
	killed, landed := k.kill(t, m, kl, delay)
	t.Logf("%s after %s: %s", kl.name, delay.Round(time.Millisecond), landed)

	out, code := k.envup(t, m, k.apply()...)
	var problems []string
	if code != 0 {
		problems = append(problems, fmt.Sprintf("the apply after the kill: exit %d", code))
	} else {
		problems = k.converged(m)
	}
	if len(problems) == 0 {
		return true
	}
	venv := filepath.Join(m.home, "envs", "lab")
	ls, _ := exec.CommandContext(t.Context(), "ls", "-la", venv, venv+".envup-old").CombinedOutput()
	t.Errorf("%s after %s does not converge:\n%s\n--- the killed apply:\n%s\n--- the apply after it:\n%s\n--- ls -la of the venv:\n%s",
		kl.name, delay, strings.Join(problems, "\n"), killed, out, ls)
	return false
}

// envup runs envup in m's environment and returns its output and exit code.
func (k *killTrial) envup(t *testing.T, m *machine, args ...string) (string, int) {
	t.Helper()
	cmd := m.command(t.Context(), args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return out.String(), exit.ExitCode()
	case err != nil:
		t.Fatalf("envup %v: %v", args, err)
	}
	return out.String(), 0
}

// kill starts an apply in its own process group and kills it after delay
// (kl). It waits for envup to end (after SIGTERM: by itself, within a
// minute) and for every process the trial started to end: nothing envup
// started outlives it, in its group or out of it (a grandchild in a group
// of its child's). It returns what the apply printed and a line on where
// the kill landed.
func (k *killTrial) kill(t *testing.T, m *machine, kl aKill, delay time.Duration) (string, string) {
	t.Helper()
	cmd := m.command(context.Background(), k.apply()...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pgid := cmd.Process.Pid
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	timer := time.NewTimer(delay) // the kill point itself, chosen at random
	defer timer.Stop()
	select {
	case err = <-done:
		return out.String(), fmt.Sprintf("the apply had ended (%v)", err)
	case <-timer.C:
	}
	if kl.alone {
		_ = syscall.Kill(pgid, kl.sig)
	} else {
		_ = syscall.Kill(-pgid, kl.sig)
	}
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
		t.Errorf("envup did not end within a minute of %s:\n%s", kl.name, out.String())
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		left := withHome(m.home)
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			for _, pid := range left {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			t.Fatalf("processes of the killed apply still run 30 s after %s:\n%s", kl.name, strings.Join(describe(left), "\n"))
		}
		time.Sleep(10 * time.Millisecond) // polling for the trial's processes to end
	}
	return out.String(), fmt.Sprintf("%v, during %q", err, lastStep(out.String()))
}

// lastStep is the last "applying ..." line of an apply's output, or its
// first line when it had not begun a resource.
func lastStep(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "applying ") {
			return lines[i]
		}
	}
	return lines[0]
}

// converged checks a HOME after an apply that exited 0 and returns what is
// wrong.
func (k *killTrial) converged(m *machine) []string {
	var problems []string
	if out, code := k.envup(m.t, m, "plan", "--detailed-exitcode", "--mirror", k.mirror, "--offline", k.recipe); code != 0 {
		problems = append(problems, fmt.Sprintf("plan --detailed-exitcode: exit %d, want 0 (nothing to change):\n%s", code, out))
	}
	py := filepath.Join(m.home, "envs", "lab", "bin", "python")
	for _, argv := range [][]string{
		{py, "-c", "import lab_hello, seatbook; print(lab_hello.hello())"},
		{py, "-m", "pip", "--version"},
	} {
		cmd := exec.CommandContext(m.t.Context(), argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), "PIP_DISABLE_PIP_VERSION_CHECK=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v\n%s", strings.Join(argv[1:], " "), err, out))
		}
	}
	problems = append(problems, leftovers(m.home)...)
	return append(problems, k.settingsKept(m)...)
}

// leftovers walks home (envup's data, cache and state are in it, under
// ENVUP_HOME) for the temporary files of envup's writes (.NAME.envup-*)
// and venvs set aside (NAME.envup-old).
func leftovers(home string) []string {
	var found []string
	_ = filepath.WalkDir(home, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			found = append(found, err.Error())
			return nil
		}
		name := d.Name()
		if temp, _ := filepath.Match(".*.envup-*", name); temp || strings.HasSuffix(name, ".envup-old") {
			found = append(found, "left behind: "+path)
		}
		return nil
	})
	return found
}

// settingsKept checks that the user's settings.json still has every key of
// theirs the recipe does not set, with its value, and every comment line
// byte for byte.
func (k *killTrial) settingsKept(m *machine) []string {
	got, err := os.ReadFile(k.settingsPath(m))
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	before, err := jsoncObject(k.settings)
	if err != nil {
		return []string{"the corpus file: " + err.Error()}
	}
	after, err := jsoncObject(got)
	if err != nil {
		return []string{fmt.Sprintf("settings.json no longer parses: %v\n%s", err, got)}
	}
	for key, want := range before {
		if slices.Contains(killRecipeKeys, key) {
			continue
		}
		if !reflect.DeepEqual(after[key], want) {
			problems = append(problems, fmt.Sprintf("settings.json: %q is %v, was %v", key, after[key], want))
		}
	}
	for _, key := range killRecipeKeys {
		if after[key] == nil {
			problems = append(problems, fmt.Sprintf("settings.json: the recipe's %q is not set", key))
		}
	}
	lines := map[string]bool{}
	for _, line := range strings.Split(string(got), "\n") {
		lines[line] = true
	}
	for _, line := range strings.Split(string(k.settings), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "//") && !lines[line] {
			problems = append(problems, fmt.Sprintf("settings.json lost the comment line %q", line))
		}
	}
	return problems
}

// jsoncObject parses a JSONC object (comments, trailing commas).
func jsoncObject(data []byte) (map[string]any, error) {
	std, err := hujson.Standardize(bytes.Clone(data))
	if err != nil {
		return nil, err
	}
	var obj map[string]any
	return obj, json.Unmarshal(std, &obj)
}

// withHome lists the running processes whose environment has HOME=home:
// every one a trial's apply started, whatever its process group.
func withHome(home string) []int {
	entries, _ := os.ReadDir("/proc")
	want := []byte("HOME=" + home + "\x00")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil || !bytes.Contains(append([]byte{0}, env...), append([]byte{0}, want...)) {
			continue
		}
		if stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat")); err == nil {
			if i := bytes.LastIndex(stat, []byte(") ")); i >= 0 && bytes.HasPrefix(stat[i+2:], []byte("Z")) {
				continue // ended, not yet reaped
			}
		}
		pids = append(pids, pid)
	}
	return pids
}

// describe is each pid with its command line, for a failure's message.
func describe(pids []int) []string {
	var lines []string
	for _, pid := range pids {
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		lines = append(lines, fmt.Sprintf("%d %s", pid, bytes.ReplaceAll(bytes.TrimRight(cmdline, "\x00"), []byte{0}, []byte{' '})))
	}
	return lines
}
