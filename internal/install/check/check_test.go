package check

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

// These run real, short commands: a check is a command, and how the real
// runner reports exits, missing programs and timeouts is what they test.
func TestRun(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "envs", "study-hall", "bin", "python")
	tests := []struct {
		name   string
		check  recipe.Check
		passed bool
		reason string
	}{
		{name: "exit 0", check: recipe.Check{Run: []string{"true"}}, passed: true},
		{name: "expect found", check: recipe.Check{Run: []string{"sh", "-c", "echo PONG"}, Expect: "PONG"}, passed: true},
		{
			name:   "exit 1 with stderr",
			check:  recipe.Check{Run: []string{"sh", "-c", "echo 'Could not connect to Redis at 127.0.0.1:6379: Connection refused' >&2; exit 1"}},
			reason: "exit status 1: Could not connect to Redis at 127.0.0.1:6379: Connection refused",
		},
		{
			name:   "exit status without stderr",
			check:  recipe.Check{Run: []string{"false"}},
			reason: "exit status 1",
		},
		{
			name:   "expect mismatch",
			check:  recipe.Check{Run: []string{"echo", "LOADING Redis is loading the dataset in memory"}, Expect: "PONG"},
			reason: `stdout does not contain "PONG": got "LOADING Redis is loading the dataset in memory"`,
		},
		{
			name:   "expect on empty stdout",
			check:  recipe.Check{Run: []string{"true"}, Expect: "PONG"},
			reason: `stdout does not contain "PONG": got nothing`,
		},
		{
			name:   "expect_re matches",
			check:  recipe.Check{Run: []string{"echo", "Redis server v=7.2.4 sha=00000000:0 malloc=libc bits=64"}, ExpectRe: `v=7\.2\.\d+`},
			passed: true,
		},
		{
			name:   "expect_re mismatch",
			check:  recipe.Check{Run: []string{"echo", "Python 3.11.2"}, ExpectRe: `^Python 3\.12\.`},
			reason: `stdout does not match "^Python 3\\.12\\.": got "Python 3.11.2"`,
		},
		{
			name:   "expect and expect_re both",
			check:  recipe.Check{Run: []string{"echo", "PONG"}, Expect: "PONG", ExpectRe: "^PONG$"},
			passed: true,
		},
		{
			name:   "timeout",
			check:  recipe.Check{Run: []string{"sleep", "5"}, Timeout: "100ms"},
			reason: "timed out after 100ms",
		},
		{
			name:   "program not on PATH",
			check:  recipe.Check{Name: "redis answers", Run: []string{"envup-test-no-redis-cli", "-p", "6379", "ping"}, Expect: "PONG"},
			reason: "envup-test-no-redis-cli: not found on PATH",
		},
		{
			name:   "program path missing",
			check:  recipe.Check{Run: []string{missing, "-c", "import vpython"}},
			reason: missing + ": not found",
		},
		{
			name:   "bad timeout",
			check:  recipe.Check{Run: []string{"true"}, Timeout: "5 minutes"},
			reason: `timeout "5 minutes": want a duration such as "30s"`,
		},
		{
			name:   "bad pattern",
			check:  recipe.Check{Run: []string{"true"}, ExpectRe: "v=(7"},
			reason: "expect_re: error parsing regexp: missing closing ): `v=(7`",
		},
		{name: "no command", check: recipe.Check{Name: "empty"}, reason: "no command to run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := Run(t.Context(), system.NewReal(), detect.Platform{OS: "linux"}, &tt.check)
			if r.Passed != tt.passed || r.Reason != tt.reason {
				t.Errorf("passed %v, reason %q\nwant   %v, reason %q", r.Passed, r.Reason, tt.passed, tt.reason)
			}
			want := tt.check.Name
			if want == "" {
				want = system.Quote(tt.check.Run)
			}
			if r.Name != want {
				t.Errorf("name = %q, want %q", r.Name, want)
			}
			if r.Duration <= 0 {
				t.Errorf("duration = %v", r.Duration)
			}
		})
	}
}

func TestRunOnAnUnobservedHost(t *testing.T) {
	t.Parallel()
	r := Run(t.Context(), system.Absent{}, detect.Platform{OS: "linux"}, &recipe.Check{Name: "redis answers", Run: []string{"redis-cli", "ping"}})
	if r.Passed || !strings.HasPrefix(r.Reason, "not run: the host is not observed") {
		t.Errorf("result = %+v", r)
	}
}

func TestRunCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	r := Run(ctx, system.NewReal(), detect.Platform{OS: "linux"}, &recipe.Check{Run: []string{"sleep", "5"}, Timeout: "1s"})
	if r.Passed || r.Reason != "cancelled" {
		t.Errorf("result = %+v", r)
	}
}

func TestRunAll(t *testing.T) {
	t.Parallel()
	checks := []*recipe.Check{
		{Name: "first", Run: []string{"true"}},
		{Name: "second", Run: []string{"false"}},
		{Name: "third", Run: []string{"echo", "ok"}, Expect: "ok"},
	}
	results := RunAll(t.Context(), system.NewReal(), detect.Platform{OS: "linux"}, checks)
	var names []string
	var passed []bool
	for _, r := range results {
		names = append(names, r.Name)
		passed = append(passed, r.Passed)
	}
	if !slices.Equal(names, []string{"first", "second", "third"}) || !slices.Equal(passed, []bool{true, false, true}) {
		t.Errorf("results = %+v", results)
	}
	if n := Failed(results); n != 1 {
		t.Errorf("failed = %d, want 1", n)
	}
}

func TestExcerpt(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 60) // 120 bytes: the cut must fall between runes
	got := excerpt(long)
	if !strings.HasSuffix(got, `"…`) || strings.Contains(got, `\x`) {
		t.Errorf("excerpt = %s", got)
	}
}

// issue 13, bug 1: an apply that installed python failed its own python
// check, since envup's bin dir was not on the PATH. The bin dir comes
// first: its program runs even when the PATH has another of that name,
// and what the check starts sees the bin dir first on its PATH too.
func TestBinDirComesFirst(t *testing.T) {
	t.Parallel()
	bin := t.TempDir()
	script := "#!/bin/sh\necho envup-bin \"$@\"; echo \"PATH=$PATH\"\n"
	if err := os.WriteFile(filepath.Join(bin, "echo"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	// not executable: not a program, so the PATH's is used
	if err := os.WriteFile(filepath.Join(bin, "true"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := detect.Platform{OS: "linux", Dirs: detect.Dirs{Bin: bin}}
	r := Run(t.Context(), system.NewReal(), p, &recipe.Check{Run: []string{"echo", "hi"}, ExpectRe: "^envup-bin hi\nPATH=" + regexp.QuoteMeta(bin) + ":"})
	if !r.Passed {
		t.Errorf("the bin dir's echo was not run first: %s", r.Reason)
	}
	if r := Run(t.Context(), system.NewReal(), p, &recipe.Check{Run: []string{"true"}}); !r.Passed {
		t.Errorf("a non-executable file in bin hid the PATH's program: %s", r.Reason)
	}
}

func TestWindowsBinDirByPathext(t *testing.T) {
	t.Parallel()
	bin := `C:\Users\Zoë Ådams\AppData\Local\envup\bin`
	sys := systemtest.NewWindows(t).WithEnv("PATHEXT", ".COM;.EXE;.BAT;.CMD;.VBS").WithEnv("PATH", `C:\Windows\system32`)
	for _, name := range []string{bin + `\python.exe`, bin + `\python.cmd`, bin + `\npm.cmd`} {
		if err := sys.WriteFile(name, []byte("MZ"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := detect.Platform{OS: "windows", Dirs: detect.Dirs{Bin: bin}}
	for name, want := range map[string]string{
		"python":     bin + `\python.exe`, // .EXE before .CMD, as PATHEXT orders them
		"npm":        bin + `\npm.cmd`,
		"python.cmd": bin + `\python.cmd`,
		"redis-cli":  "redis-cli", // not in bin: the PATH finds it
		`C:\x\y.exe`: `C:\x\y.exe`,
	} {
		cmd := command(sys, p, []string{name, "-V"})
		if cmd.Argv[0] != want {
			t.Errorf("%s runs %s, want %s", name, cmd.Argv[0], want)
		}
		if len(cmd.Env) != 1 || cmd.Env[0] != `PATH=`+bin+`;C:\Windows\system32` {
			t.Errorf("env = %q", cmd.Env)
		}
	}
}
