//go:build release

package release

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoInstallSaysItsVersion: `go install
// github.com/envup/envup/cmd/envup@v1.2.3` makes an envup whose --version
// says 1.2.3, from the version the Go toolchain records (no linker flag).
// The module is this tree (the files git tracks) served as v1.2.3 by a file
// GOPROXY, its dependencies from the module cache's download folder: no
// network.
func TestGoInstallSaysItsVersion(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git to list the module's files")
	}
	const version = "v1.2.3"
	proxy := t.TempDir()
	at := filepath.Join(proxy, "github.com", "envup", "envup", "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{
		"list":            []byte(version + "\n"),
		version + ".info": []byte(`{"Version":"` + version + `","Time":"2026-12-07T00:00:00Z"}`),
		version + ".mod":  gomod,
		version + ".zip":  moduleZip(t, "github.com/envup/envup@"+version),
	} {
		if err := os.WriteFile(filepath.Join(at, name), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	modcache := goEnv(t, "GOMODCACHE")
	gobin := t.TempDir()
	cmd := exec.CommandContext(t.Context(), "go", "install", "-trimpath", "github.com/envup/envup/cmd/envup@"+version)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(),
		"GOPROXY=file://"+filepath.ToSlash(proxy)+",file://"+filepath.ToSlash(filepath.Join(modcache, "cache", "download")),
		"GOSUMDB=off", // the dependencies are checked against the module's go.sum
		"GOFLAGS=-modcacherw",
		"GOMODCACHE="+t.TempDir(),
		"GOBIN="+gobin,
		"GOTOOLCHAIN=local",
		"CGO_ENABLED=0",
	)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install: %v\n%s", err, out)
	}
	out, err := exec.CommandContext(t.Context(), filepath.Join(gobin, "envup"), "--version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "envup 1.2.3 (go") {
		t.Errorf("envup --version: %v: %q, want envup 1.2.3", err, out)
	}
}

// moduleZip is this tree as a module zip: every file git tracks and the
// work tree has, under prefix (module@version).
func moduleZip(t *testing.T, prefix string) []byte {
	t.Helper()
	ls := exec.CommandContext(t.Context(), "git", "ls-files", "-z")
	ls.Dir = root
	names, err := ls.Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name := range strings.SplitSeq(strings.TrimRight(string(names), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(root, name))
		if errors.Is(err, os.ErrNotExist) {
			continue // deleted in the work tree
		}
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(prefix + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func goEnv(t *testing.T, key string) string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), "go", "env", key).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", key, err)
	}
	return strings.TrimSpace(string(out))
}
