//go:build e2e

// Package e2e holds envup's real-machine tests: real package managers,
// real builds, run as root by .ci/run. They are behind the e2e build tag
// so that plain `go test ./...` stays hermetic.
package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// envupBin is the envup binary built once for all tests.
var envupBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "envup-e2e-")
	if err != nil {
		panic(err)
	}
	envupBin = filepath.Join(dir, "envup")
	build := exec.Command("go", "build", "-o", envupBin, "../cmd/envup")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		panic("build envup: " + err.Error())
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// machine is a user on this host for one test: its own HOME and
// ENVUP_HOME, and extra PATH entries first.
type machine struct {
	t    *testing.T
	home string
	path []string
	env  []string // more KEY=value for the next envup call only
}

func newMachine(t *testing.T) *machine {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("e2e tests change the machine and run as root")
	}
	return &machine{t: t, home: t.TempDir()}
}

// envup runs the binary and returns its combined output; it fails the test
// when the exit code is not want (-1: any).
func (m *machine) envup(want int, args ...string) string {
	m.t.Helper()
	ctx := m.t.Context()
	if ctx.Err() != nil {
		ctx = context.Background() // in a Cleanup: the test's context is over
	}
	cmd := m.command(ctx, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	got := 0
	if err != nil {
		exitErr, ok := err.(*exec.ExitError)
		if !ok {
			m.t.Fatalf("envup %v: %v", args, err)
		}
		got = exitErr.ExitCode()
	}
	if want >= 0 && got != want {
		m.t.Fatalf("envup %s: exit %d, want %d\n%s", strings.Join(args, " "), got, want, out.String())
	}
	m.t.Logf("envup %s:\n%s", strings.Join(args, " "), out.String())
	return out.String()
}

// command is envup with args in the machine's environment, not started;
// it takes the extra env of the next call.
func (m *machine) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, envupBin, args...)
	cmd.Env = append(os.Environ(),
		"HOME="+m.home,
		"ENVUP_HOME="+filepath.Join(m.home, ".envup"),
		"PATH="+strings.Join(append(m.path, os.Getenv("PATH")), string(os.PathListSeparator)),
		"NO_COLOR=1",
	)
	cmd.Env = append(cmd.Env, m.env...)
	m.env = nil
	return cmd
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func run(t *testing.T, argv ...string) string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
	}
	return string(out)
}
