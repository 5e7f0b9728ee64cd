package systemtest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/envup/envup/internal/fetch"
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
	if !errors.As(err, &ee) || ee.ExitCode != 1 || ee.Stderr != "a\nb\nc\nd\ne\nf" || res.ExitCode != 1 {
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

func TestAllowPrefixAndOverride(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.AllowAny(Run).Stdout("any")
	s.AllowPrefix(Run, "make").Stdout("make")
	s.AllowPrefix(Run, "make", "install").Stdout("make install")
	s.Allow(Run, "make", "install", "PREFIX=/x").Stdout("exact")
	s.Allow(Query, "systemctl", "--user", "is-system-running").Stdout("offline")
	s.Allow(Query, "systemctl", "--user", "is-system-running").Stdout("degraded") // a test's own, over its fixture's
	for argv, want := range map[string]string{
		"make -j2":                   "make",
		"make":                       "make",
		"make install PREFIX=/y":     "make install",
		"make install PREFIX=/x":     "exact",
		"make install PREFIX=/x V=1": "make install",
		"makeinstall":                "any",
		"cc":                         "any",
	} {
		res, err := s.Run(t.Context(), system.Cmd{Argv: strings.Fields(argv)})
		if err != nil || string(res.Stdout) != want {
			t.Errorf("Run %s = %q, %v; want %q", argv, res.Stdout, err, want)
		}
	}
	res, err := s.Query(t.Context(), system.Cmd{Argv: []string{"systemctl", "--user", "is-system-running"}})
	if err != nil || string(res.Stdout) != "degraded" {
		t.Errorf("Query = %q, %v; want the later Allow's answer", res.Stdout, err)
	}
}

func TestExecRunsOnThisMachine(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("a shell script")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "stand-in")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho \"$1 in $PWD\"\nexit $2\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := New(t)
	s.AllowPrefix(Query, script).Func(Exec)
	res, err := s.Query(t.Context(), system.Cmd{Argv: []string{script, "hello", "0"}, Dir: dir})
	if err != nil || strings.TrimSpace(string(res.Stdout)) != "hello in "+dir {
		t.Errorf("Query = %q, %v", res.Stdout, err)
	}
	var ee *system.ExitError
	if _, err := s.Query(t.Context(), system.Cmd{Argv: []string{script, "bye", "3"}}); !errors.As(err, &ee) || ee.ExitCode != 3 {
		t.Errorf("a failing stand-in: %v", err)
	}
}

func TestDownloadVerifiesAndExtractUnpacks(t *testing.T) {
	t.Parallel()
	s := NewChroot(t)
	body := "#!/bin/sh\n"
	archive, sum := TarGz(t, t.TempDir(), "python.tar.gz", map[string]string{"python/bin/python3": body})
	url := "https://example.org/python.tar.gz"
	s.WithDownload(url, archive)
	var de *fetch.DigestError
	if _, err := s.Download(t.Context(), url, strings.Repeat("0", 64)); !errors.As(err, &de) {
		t.Errorf("a wrong digest: %v", err)
	}
	got, err := s.Download(t.Context(), url, sum)
	if err != nil || got != archive {
		t.Fatalf("Download = %q, %v", got, err)
	}
	// The archive is this machine's file; in a chroot it is reached as
	// a host path under Root.
	host := "/cache/python.tar.gz"
	if err := os.MkdirAll(filepath.Dir(s.Local(host)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(archive, s.Local(host)); err != nil {
		t.Fatal(err)
	}
	if err := s.Extract(t.Context(), host, "/opt/python", 1); err != nil {
		t.Fatal(err)
	}
	if data, err := s.ReadFile("/opt/python/bin/python3"); err != nil || string(data) != body {
		t.Errorf("unpacked %q, %v", data, err)
	}
	want := []string{"Download " + url, "Download " + url, "Extract " + host + " /opt/python"}
	if got := s.Log(); !slices.Equal(got, want) {
		t.Errorf("Log = %q, want %q", got, want)
	}
}

func TestConfineHidesThisMachinesFiles(t *testing.T) {
	t.Parallel()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "python3"), nil, 0o755); err != nil {
		t.Fatal(err)
	}
	s := New(t).Confine()
	inside := filepath.Join(s.Root(), "bin", "python3")
	if err := s.WriteFile(inside, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(inside); err != nil {
		t.Errorf("a file under Root: %v", err)
	}
	for dir := s.Root(); ; dir = filepath.Dir(dir) {
		if _, err := s.Lstat(dir); err != nil {
			t.Errorf("a folder leading to Root: %v", err)
		}
		if dir == filepath.Dir(dir) {
			break
		}
	}
	for _, name := range []string{outside, filepath.Join(outside, "python3"), filepath.Join(s.Root(), "..", "x")} {
		if _, err := s.Stat(name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Stat %s = %v, want missing", name, err)
		}
	}
	if err := s.WriteFile(filepath.Join(outside, "x"), nil, 0o644); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a write outside Root = %v", err)
	}
}
