package systemtest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/envup/envup/internal/system"
)

// recorder is a testing.TB whose failures are kept, not reported.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	failed []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = append(r.failed, fmt.Sprintf(format, args...))
}

func TestUnscriptedCommandsFailTheTest(t *testing.T) {
	t.Parallel()
	r := &recorder{TB: t}
	s := New(r)
	s.Expect(Query, "dpkg-query", "-W").Stdout("jq\n")
	if _, err := s.Run(t.Context(), system.Cmd{Argv: []string{"rm", "-rf", "/"}}); err == nil {
		t.Error("an unscripted Run succeeded")
	}
	if err := s.Spawn(system.Cmd{Argv: []string{"redis-server"}}); err == nil {
		t.Error("an unscripted Spawn succeeded")
	}
	if _, err := s.Download(t.Context(), "https://x/y.tgz", "00"); err == nil {
		t.Error("an unscripted Download succeeded")
	}
	want := []string{
		"systemtest: unexpected Run rm -rf /\nwant Query dpkg-query -W",
		"systemtest: unexpected Spawn redis-server\nwant Query dpkg-query -W",
		"systemtest: unexpected Download https://x/y.tgz",
	}
	if !slices.Equal(r.failed, want) {
		t.Errorf("failures:\n%q\nwant\n%q", r.failed, want)
	}
	res, err := s.Query(t.Context(), system.Cmd{Argv: []string{"dpkg-query", "-W"}})
	if err != nil || string(res.Stdout) != "jq\n" {
		t.Errorf("Query = %v, %v", res, err)
	}
	if got := s.Ran(); !slices.Equal(got, []string{"dpkg-query -W"}) {
		t.Errorf("Ran = %q", got)
	}
}

func TestExpectedCommandsRunInOrder(t *testing.T) {
	t.Parallel()
	r := &recorder{TB: t}
	t.Run("inner", func(t *testing.T) {
		r.TB = t
		s := New(r)
		s.Expect(Run, "a")
		s.Expect(Run, "b").Exit(3, "one\n\ntwo\n")
		s.Allow(Query, "v").Stdout("1")
		s.AllowAny(Query).Stdout("any")
		if _, err := s.Run(t.Context(), system.Cmd{Argv: []string{"b"}}); err == nil {
			t.Error("b ran before a")
		}
		for _, argv := range [][]string{{"v"}, {"w"}, {"v"}} {
			res, err := s.Query(t.Context(), system.Cmd{Argv: argv})
			if err != nil || string(res.Stdout) != map[string]string{"v": "1", "w": "any"}[argv[0]] {
				t.Errorf("Query %s = %q, %v", argv, res.Stdout, err)
			}
		}
		if _, err := s.Run(t.Context(), system.Cmd{Argv: []string{"a"}}); err != nil {
			t.Error(err)
		}
		_, err := s.Run(t.Context(), system.Cmd{Argv: []string{"b", "c"}})
		if err == nil {
			t.Error("b c answered as b")
		}
	})
	want := []string{
		"systemtest: unexpected Run b\nwant Run a",
		"systemtest: unexpected Run b c\nwant Run b",
		"systemtest: expected Run never ran: b",
	}
	if !slices.Equal(r.failed, want) {
		t.Errorf("failures:\n%q\nwant\n%q", r.failed, want)
	}
}

func TestExitErrorAsTheRunnerMakesIt(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.Expect(Run, "pip", "install", "x").Exit(1, "a\nb\n\nc\nd\ne\nf\n")
	res, err := s.Run(t.Context(), system.Cmd{Argv: []string{"pip", "install", "x"}})
	var ee *system.ExitError
	if !errors.As(err, &ee) || ee.ExitCode != 1 || ee.Stderr != "b; c; d; e; f" || res.ExitCode != 1 {
		t.Errorf("Run = %+v, %v", res, err)
	}
}

func TestWindowsHostUnderRoot(t *testing.T) {
	t.Parallel()
	s := NewWindows(t).WithEnv("PATH", `C:\tools;C:\Python311\`)
	python := `C:\Python311\python.exe`
	if got, want := s.Local(python), filepath.Join(s.Root(), "C", "Python311", "python.exe"); got != want {
		t.Errorf("Local = %q, want %q", got, want)
	}
	if err := s.WriteFile(python, []byte("MZ"), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := s.ReadFile(`c:\Python311\python.exe`); err != nil || string(data) != "MZ" {
		t.Errorf("ReadFile = %q, %v", data, err)
	}
	if got, err := s.LookPath("python"); err != nil || got != python {
		t.Errorf("LookPath = %q, %v", got, err)
	}
	if _, err := s.LookPath("node"); err == nil {
		t.Error("LookPath found node")
	}
	if got := s.Log(WriteFile); !slices.Equal(got, []string{python}) {
		t.Errorf("Log = %q", got)
	}
}

func TestChrootLookPathNeedsAnExecutable(t *testing.T) {
	t.Parallel()
	s := NewChroot(t).WithEnv("PATH", "/usr/local/bin:/usr/bin").WithPath("brew", "/opt/brew")
	for name, mode := range map[string]fs.FileMode{"/usr/local/bin/readme": 0o644, "/usr/bin/readme": 0o755} {
		if err := os.MkdirAll(filepath.Dir(s.Local(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(s.Local(name), nil, mode); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := s.LookPath("readme"); err != nil || got != "/usr/bin/readme" {
		t.Errorf("LookPath = %q, %v", got, err)
	}
	if got, _ := s.LookPath("brew"); got != "/opt/brew" {
		t.Errorf("LookPath brew = %q", got)
	}
}

func TestRegistryAndHook(t *testing.T) {
	t.Parallel()
	denied := errors.New("Access is denied.")
	var reads []string
	s := New(t).WithRegistry(`HKCU\Environment`, "Path", system.RegValue{Data: `C:\a`})
	s.Hook(func(v Verb, name string) error {
		switch v {
		case Registry:
			reads = append(reads, name)
		case SetRegistry:
			if strings.HasSuffix(name, "Denied") {
				return denied
			}
		}
		return nil
	})
	if v, err := s.Registry(`hkcu\environment`, "PATH"); err != nil || v.Data != `C:\a` {
		t.Errorf("Registry = %+v, %v", v, err)
	}
	if _, err := s.Registry(`HKCU\Environment`, "Nope"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing value: %v", err)
	}
	if err := s.SetRegistry(`HKCU\X`, "Denied", system.RegValue{}); !errors.Is(err, denied) {
		t.Errorf("SetRegistry = %v", err)
	}
	if err := s.SetRegistry(`HKCU\X`, "Y", system.RegValue{Data: "z"}); err != nil {
		t.Fatal(err)
	}
	if got := s.Log(); !slices.Equal(got, []string{`SetRegistry HKCU\X\Y = z`}) {
		t.Errorf("Log = %q", got)
	}
	if !slices.Equal(reads, []string{`hkcu\environment\PATH`, `HKCU\Environment\Nope`}) {
		t.Errorf("hook saw %q", reads)
	}
}
