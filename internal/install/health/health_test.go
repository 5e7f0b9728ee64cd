package health

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

// newFake is a host whose files are real and whose environment is
// empty; its only programs are its bins: a host path
// (/usr/bin/python3.11) that runs a script in the test's temp dir. Any
// other command fails the test.
func newFake(t *testing.T) (*systemtest.System, map[string]string) {
	f, bins := systemtest.New(t), map[string]string{}
	f.AllowAny(systemtest.Query).Func(func(ctx context.Context, cmd system.Cmd) (*system.Result, error) {
		local, ok := bins[cmd.Argv[0]]
		if !ok {
			t.Errorf("unexpected Query %s", system.Quote(cmd.Argv))
			return nil, fmt.Errorf("%s: not a program here", system.Quote(cmd.Argv))
		}
		cmd.Argv = append([]string{local}, cmd.Argv[1:]...)
		return systemtest.Exec(ctx, cmd)
	})
	return f, bins
}

// script writes an executable shell script and returns its path.
func script(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "bin")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// Stand-ins for python: each is called as python -E -B -c SCRIPT MODULES...
const (
	// reports the modules it was given as missing, so a test sees them
	reportsAll  = "shift 4\necho \"missing:$*\"\n"
	reportsNone = "echo missing:\n"
	// what a Python built without libssl-dev and liblzma-dev prints
	noSSLNoLZMA = "echo missing:ssl lzma\n"
	// Debian's python3.11 without python3.11-venv
	noEnsurepip = "echo missing:ensurepip\n"
)

var (
	debian = detect.Platform{OS: "linux", Managers: []string{"apt"}, Distro: detect.Distro{ID: "debian"}}
	fedora = detect.Platform{OS: "linux", Managers: []string{"dnf"}, Distro: detect.Distro{ID: "fedora"}}
	centos = detect.Platform{OS: "linux", Managers: []string{"yum"}, Distro: detect.Distro{ID: "centos"}}
	suse   = detect.Platform{OS: "linux", Managers: []string{"zypper"}, Distro: detect.Distro{ID: "opensuse-leap"}}
	arch   = detect.Platform{OS: "linux", Managers: []string{"pacman"}, Distro: detect.Distro{ID: "arch"}}
	alpine = detect.Platform{OS: "linux", Managers: []string{"apk"}, Distro: detect.Distro{ID: "alpine"}}
	macos  = detect.Platform{OS: "macos", Arch: "arm64", Managers: []string{"brew"}}
	win    = detect.Platform{OS: "windows", Managers: []string{"winget", "choco"}}
	bare   = detect.Platform{OS: "linux"}
)

func TestPython(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		path    string // the interpreter's host path; "" for the script's own
		script  string
		version string
		p       detect.Platform
		want    string // the error; "" for none
	}{
		{"healthy", "", reportsNone, "3.11.2", debian, ""},
		{
			"apt", "/x/bin/python3.11", noSSLNoLZMA, "3.11.2", debian,
			"python 3.11.2 at /x/bin/python3.11 is missing ssl, lzma: install libssl-dev liblzma-dev (apt) and build again",
		},
		{
			"dnf", "/x/bin/python3.11", noSSLNoLZMA, "3.11.2", fedora,
			"python 3.11.2 at /x/bin/python3.11 is missing ssl, lzma: install openssl-devel xz-devel (dnf) and build again",
		},
		{
			"yum", "/x/bin/python3.11", noSSLNoLZMA, "3.11.2", centos,
			"python 3.11.2 at /x/bin/python3.11 is missing ssl, lzma: install openssl-devel xz-devel (yum) and build again",
		},
		{
			"zypper", "/x/bin/python3.11", noSSLNoLZMA, "3.11.2", suse,
			"python 3.11.2 at /x/bin/python3.11 is missing ssl, lzma: install libopenssl-devel xz-devel (zypper) and build again",
		},
		{
			"pacman", "/x/bin/python3.11", noSSLNoLZMA, "3.11.2", arch,
			"python 3.11.2 at /x/bin/python3.11 is missing ssl, lzma: install openssl xz (pacman) and build again",
		},
		{
			"apk", "/x/bin/python3.11", noSSLNoLZMA, "3.11.2", alpine,
			"python 3.11.2 at /x/bin/python3.11 is missing ssl, lzma: install openssl-dev xz-dev (apk) and build again",
		},
		{
			"brew", "/x/bin/python3.11", noSSLNoLZMA, "3.11.2", macos,
			"python 3.11.2 at /x/bin/python3.11 is missing ssl, lzma: install openssl@3 xz (brew) and build again",
		},
		{
			"no manager", "/x/bin/python3.11", noSSLNoLZMA, "3.11.2", bare,
			"python 3.11.2 at /x/bin/python3.11 is missing ssl, lzma",
		},
		{
			"windows", `C:\py\python.exe`, noSSLNoLZMA, "3.11.2", win,
			`python 3.11.2 at C:\py\python.exe is missing ssl, lzma`,
		},
		{
			"everything, 3.11", "/x/bin/python3.11", reportsAll, "3.11.2", debian,
			"python 3.11.2 at /x/bin/python3.11 is missing ssl, sqlite3, ctypes, zlib, bz2, lzma, venv: " +
				"install libssl-dev libsqlite3-dev libffi-dev zlib1g-dev libbz2-dev liblzma-dev (apt) and build again",
		},
		{
			"everything, 2.7 has no lzma or venv", "/x/bin/python2.7", reportsAll, "2.7.18", fedora,
			"python 2.7.18 at /x/bin/python2.7 is missing ssl, sqlite3, ctypes, zlib, bz2: " +
				"install openssl-devel sqlite-devel libffi-devel zlib-devel bzip2-devel (dnf) and build again",
		},
		{
			"everything, 3.3 has venv but no ensurepip", "/x/bin/python3.3", reportsAll, "3.3.7", alpine,
			"python 3.3.7 at /x/bin/python3.3 is missing ssl, sqlite3, ctypes, zlib, bz2, lzma, venv: " +
				"install openssl-dev sqlite-dev libffi-dev zlib-dev bzip2-dev xz-dev (apk) and build again",
		},
		{
			"everything, macOS provides ctypes, zlib, bz2", "/x/bin/python3.12", reportsAll, "3.12.4", macos,
			"python 3.12.4 at /x/bin/python3.12 is missing ssl, sqlite3, ctypes, zlib, bz2, lzma, venv: " +
				"install openssl@3 sqlite xz (brew) and build again",
		},
		{
			"debian system python without venv", "/usr/bin/python3.11", noEnsurepip, "3.11.2", debian,
			"python 3.11.2 at /usr/bin/python3.11 is missing venv: install python3.11-venv (apt)",
		},
		{
			"ubuntu deadsnakes python without venv", "/usr/bin/python3.12", noEnsurepip, "3.12.3",
			detect.Platform{OS: "linux", Managers: []string{"apt"}, Distro: detect.Distro{ID: "ubuntu", IDLike: []string{"debian"}}},
			"python 3.12.3 at /usr/bin/python3.12 is missing venv: install python3.12-venv (apt)",
		},
		{
			"built python without ensurepip", "/opt/py/bin/python3.11", noEnsurepip, "3.11.2", debian,
			"python 3.11.2 at /opt/py/bin/python3.11 is missing venv",
		},
		{
			"fedora system python", "/usr/bin/python3.12", noSSLNoLZMA, "3.12.1", fedora,
			"python 3.12.1 at /usr/bin/python3.12 is missing ssl, lzma",
		},
		{
			"crashes", "/x/bin/python3.11", "echo 'Fatal Python error: init_fs_encoding' >&2\nexit 1\n", "3.11.2", debian,
			"python 3.11.2 at /x/bin/python3.11 does not run: exit status 1: Fatal Python error: init_fs_encoding",
		},
		{
			"no report", "/x/bin/python3.11", "echo hello\n", "3.11.2", debian,
			`python 3.11.2 at /x/bin/python3.11: the health check printed "hello", not its report`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, bins := newFake(t)
			bin := script(t, tt.script)
			path := tt.path
			if path == "" {
				path = bin
			}
			bins[path] = bin
			err := Python(t.Context(), f, path, tt.version, tt.p)
			if got := errString(err); got != tt.want {
				t.Errorf("Python:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestPythonMissingError(t *testing.T) {
	t.Parallel()
	f, bins := newFake(t)
	bins["/x/python3.11"] = script(t, noSSLNoLZMA)
	err := Python(t.Context(), f, "/x/python3.11", "3.11.2", debian)
	var missing *MissingError
	if !errors.As(err, &missing) {
		t.Fatalf("err = %v, want a *MissingError", err)
	}
	want := MissingError{
		Python: "/x/python3.11", Version: "3.11.2", Missing: []string{"ssl", "lzma"},
		Manager: "apt", Packages: []string{"libssl-dev", "liblzma-dev"}, Rebuild: true,
	}
	if missing.Python != want.Python || missing.Version != want.Version || !slices.Equal(missing.Missing, want.Missing) ||
		missing.Manager != want.Manager || !slices.Equal(missing.Packages, want.Packages) || missing.Rebuild != want.Rebuild {
		t.Errorf("got %+v\nwant %+v", *missing, want)
	}
}

func TestModulesFor(t *testing.T) {
	t.Parallel()
	base := []string{"ssl", "sqlite3", "ctypes", "zlib", "bz2"}
	tests := []struct {
		version string
		want    []string
	}{
		{"2.6.9", base},
		{"2.7.18", base},
		{"3.2.6", base},
		{"3.3.7", append(slices.Clone(base), "lzma", "venv")},
		{"3.4.10", append(slices.Clone(base), "lzma", "venv", "ensurepip")},
		{"3.13.0", append(slices.Clone(base), "lzma", "venv", "ensurepip")},
		{"", append(slices.Clone(base), "lzma", "venv", "ensurepip")},
	}
	for _, tt := range tests {
		if got := modulesFor(tt.version); !slices.Equal(got, tt.want) {
			t.Errorf("modulesFor(%q) = %v, want %v", tt.version, got, tt.want)
		}
	}
}

func TestNode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, script, want string
	}{
		{"healthy", "[ \"$1\" = -e ] && echo v20.20.2\n", ""},
		{"crashes", "echo 'node: bad option: --frobnicate' >&2\nexit 9\n", "does not run: exit status 9: node: bad option: --frobnicate"},
		{"prints something else", "echo 'Segmentation fault'\n", `printed "Segmentation fault", not its version`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, bins := newFake(t)
			bin := script(t, tt.script)
			bins[bin] = bin
			err := Node(t.Context(), f, bin)
			if tt.want == "" {
				if err != nil {
					t.Errorf("Node: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "node at "+bin) {
				t.Errorf("Node: %v; want node at %s ... %s", err, bin, tt.want)
			}
		})
	}
	f, bins := newFake(t)
	noNode := filepath.Join(t.TempDir(), "no-node")
	bins[noNode] = noNode
	if err := Node(t.Context(), f, noNode); err == nil || !strings.Contains(err.Error(), "does not run") {
		t.Errorf("missing node: %v", err)
	}
}

// TestPythonReal runs the real check on this machine's Debian python
// (python3.11 and python3.11-venv on the build machine).
func TestPythonReal(t *testing.T) {
	t.Parallel()
	const python = "/usr/bin/python3.11"
	if _, err := os.Stat(python); err != nil {
		t.Skip(python, "is not here")
	}
	if err := Python(t.Context(), system.NewReal(), python, "3.11.2", debian); err != nil {
		t.Errorf("the real python fails its health check: %v", err)
	}
}

// TestNodeReal does the same for this machine's node, when it has one.
func TestNodeReal(t *testing.T) {
	t.Parallel()
	const node = "/usr/bin/node"
	if _, err := os.Stat(node); err != nil {
		t.Skip(node, "is not here")
	}
	if err := Node(t.Context(), system.NewReal(), node); err != nil {
		t.Errorf("the real node fails its health check: %v", err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
