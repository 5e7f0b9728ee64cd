package health

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install/pkgmgr"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

func TestBuildDeps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		p       detect.Platform
		manager string
		want    []string
	}{
		{"debian", debian, "apt", []string{"build-essential", "libssl-dev", "libsqlite3-dev", "libffi-dev", "zlib1g-dev", "libbz2-dev", "liblzma-dev"}},
		{"fedora", fedora, "dnf", []string{"gcc", "make", "openssl-devel", "sqlite-devel", "libffi-devel", "zlib-devel", "bzip2-devel", "xz-devel"}},
		{"centos 7", centos, "yum", []string{"gcc", "make", "openssl-devel", "sqlite-devel", "libffi-devel", "zlib-devel", "bzip2-devel", "xz-devel"}},
		{"opensuse", suse, "zypper", []string{"gcc", "make", "libopenssl-devel", "sqlite3-devel", "libffi-devel", "zlib-devel", "libbz2-devel", "xz-devel"}},
		{"arch", arch, "pacman", []string{"base-devel", "openssl", "sqlite", "libffi", "zlib", "bzip2", "xz"}},
		{"alpine", alpine, "apk", []string{"build-base", "linux-headers", "openssl-dev", "sqlite-dev", "libffi-dev", "zlib-dev", "bzip2-dev", "xz-dev"}},
		{"macos brew", macos, "brew", []string{"openssl@3", "sqlite", "xz"}},
		{"macos ports", detect.Platform{OS: "macos", Managers: []string{"port"}}, "port", []string{"openssl3", "sqlite3", "libffi", "zlib", "bzip2", "xz"}},
		{"first known manager wins", detect.Platform{OS: "linux", Managers: []string{"nix", "apt", "brew"}}, "apt", []string{"build-essential", "libssl-dev", "libsqlite3-dev", "libffi-dev", "zlib1g-dev", "libbz2-dev", "liblzma-dev"}},
		{"windows", win, "", nil},
		{"no manager", bare, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, got := BuildDeps(tt.p)
			if m != tt.manager || !slices.Equal(got, tt.want) {
				t.Errorf("BuildDeps = %q, %q; want %q, %q", m, got, tt.manager, tt.want)
			}
		})
	}
}

// TestTableIsComplete checks that every module the check imports has a
// row, and that every manager with build tools has a column.
func TestTableIsComplete(t *testing.T) {
	t.Parallel()
	for _, m := range modulesFor("3.13.0") {
		if m == "venv" || m == "ensurepip" {
			continue // stdlib Python code; no library headers
		}
		if !slices.ContainsFunc(devPackages, func(d devPackage) bool { return d.module == m }) {
			t.Errorf("no row for module %s", m)
		}
	}
	for m := range buildTools {
		if _, ok := devPackages[0].name(m); !ok {
			t.Errorf("no column for manager %s", m)
		}
	}
}

func TestMissingBuildDeps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		p       detect.Platform
		setup   func(t *testing.T, f *systemtest.System, root string)
		want    []string
		wantErr string
	}{
		{"apt reads dpkg status", debian, func(t *testing.T, _ *systemtest.System, root string) {
			copyFile(t, filepath.Join("testdata", "dpkg-status"), filepath.Join(root, "var/lib/dpkg/status"))
		}, []string{"libffi-dev", "liblzma-dev"}, ""},
		{
			"apt on a host never seen", debian, nil,
			[]string{"build-essential", "libssl-dev", "libsqlite3-dev", "libffi-dev", "zlib1g-dev", "libbz2-dev", "liblzma-dev"},
			"",
		},
		{"apt with an unreadable status", debian, func(t *testing.T, _ *systemtest.System, root string) {
			mkdir(t, filepath.Join(root, "var/lib/dpkg/status")) // a directory: reading fails
		}, nil, "is a directory"},
		{"dnf asks rpm", fedora, func(_ *testing.T, f *systemtest.System, root string) {
			f.Expect(systemtest.Query, "rpm", "-q", "--qf", `%{NAME}\n`, "--root", root, "gcc", "make", "openssl-devel", "sqlite-devel", "libffi-devel", "zlib-devel", "bzip2-devel", "xz-devel").
				Stdout("gcc\nmake\npackage openssl-devel is not installed\nsqlite-devel\nlibffi-devel\nzlib-devel\nbzip2-devel\npackage xz-devel is not installed\n").Exit(2, "")
		}, []string{"openssl-devel", "xz-devel"}, ""},
		{"yum with all installed", centos, func(_ *testing.T, f *systemtest.System, root string) {
			f.Expect(systemtest.Query, "rpm", "-q", "--qf", `%{NAME}\n`, "--root", root, "gcc", "make", "openssl-devel", "sqlite-devel", "libffi-devel", "zlib-devel", "bzip2-devel", "xz-devel").
				Stdout("gcc\nmake\nopenssl-devel\nsqlite-devel\nlibffi-devel\nzlib-devel\nbzip2-devel\nxz-devel\n")
		}, nil, ""},
		{"rpm with a broken database", suse, func(_ *testing.T, f *systemtest.System, root string) {
			f.Expect(systemtest.Query, "rpm", "-q", "--qf", `%{NAME}\n`, "--root", root, "gcc", "make", "libopenssl-devel", "sqlite3-devel", "libffi-devel", "zlib-devel", "libbz2-devel", "xz-devel").
				Stdout("error: rpmdb: BDB0113 Thread/process 1234 failed\n").Exit(1, "")
		}, nil, "exit status 1"},
		{"pacman reads its local database", arch, func(t *testing.T, _ *systemtest.System, root string) {
			for _, d := range []string{"base-devel-1-2", "openssl-3.3.1-1", "sqlite-3.46.0-1", "libffi-3.4.6-1", "zlib-1:1.3.1-2", "xz-5.6.2-1", "bzip2-docs-1.0-1"} {
				mkdir(t, filepath.Join(root, "var/lib/pacman/local", d))
			}
		}, []string{"bzip2"}, ""},
		{"apk reads its installed database", alpine, func(t *testing.T, _ *systemtest.System, root string) {
			write(t, filepath.Join(root, "lib/apk/db/installed"),
				"C:Q1abc=\nP:build-base\nV:0.5-r3\n\nP:openssl-dev\nV:3.3.1-r0\n\nP:zlib-dev\nV:1.3.1-r1\n\nP:xz-dev\nV:5.6.2-r0\n")
		}, []string{"linux-headers", "sqlite-dev", "libffi-dev", "bzip2-dev"}, ""},
		{"brew looks in opt", macos, func(t *testing.T, _ *systemtest.System, root string) {
			mkdir(t, filepath.Join(root, "opt/homebrew/opt/openssl@3"))
			mkdir(t, filepath.Join(root, "opt/homebrew/opt/xz"))
		}, []string{"sqlite"}, ""},
		{"intel brew", detect.Platform{OS: "macos", Arch: "amd64", Managers: []string{"brew"}}, func(t *testing.T, _ *systemtest.System, root string) {
			mkdir(t, filepath.Join(root, "usr/local/opt/sqlite"))
		}, []string{"openssl@3", "xz"}, ""},
		{"macports: nothing known to check", detect.Platform{OS: "macos", Managers: []string{"port"}}, nil, nil, ""},
		{"windows: nothing to check", win, nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, _ := newFake(t)
			root := t.TempDir()
			if tt.setup != nil {
				tt.setup(t, f, root)
			}
			got, err := MissingBuildDeps(t.Context(), f, tt.p, root)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("MissingBuildDeps = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestMissingBuildDepsAbsent checks a host planned from elsewhere: every
// package would be needed, and nothing fails.
func TestMissingBuildDepsAbsent(t *testing.T) {
	t.Parallel()
	for _, p := range []detect.Platform{debian, fedora, arch, alpine, macos} {
		_, all := BuildDeps(p)
		got, err := MissingBuildDeps(t.Context(), system.Absent{}, p, "")
		if err != nil || !slices.Equal(got, all) {
			t.Errorf("%s: MissingBuildDeps = %q, %v; want %q", p.Managers[0], got, err, all)
		}
	}
}

// TestMissingBuildDepsHost reads this machine's dpkg database; the build
// machine has everything a CPython build needs.
func TestMissingBuildDepsHost(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/var/lib/dpkg/status"); err != nil {
		t.Skip("no dpkg here")
	}
	got, err := MissingBuildDeps(t.Context(), system.NewReal(), debian, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("missing on this host: %q", got)
}

func TestParseDpkgStatus(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "dpkg-status"))
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, "\nPackage: libffi-dev\nStatus: hold ok installed\nArchitecture: amd64\n"...)
	got := pkgmgr.DpkgInstalled(data)
	for _, name := range []string{"build-essential", "libssl-dev", "libssl-dev:amd64", "libffi-dev", "libffi-dev:amd64"} {
		if !got[name] {
			t.Errorf("%s not installed", name)
		}
	}
	if got["liblzma-dev"] {
		t.Error("liblzma-dev (config-files only) counted as installed")
	}
}

func TestPacmanName(t *testing.T) {
	t.Parallel()
	for dir, want := range map[string]string{
		"base-devel-1-2":         "base-devel",
		"openssl-3.3.1-1":        "openssl",
		"zlib-1:1.3.1-2":         "zlib",
		"python-setuptools-1-1":  "python-setuptools",
		"lib32-glibc-2.39+r52-1": "lib32-glibc",
	} {
		if got := pacmanName(dir); got != want {
			t.Errorf("pacmanName(%s) = %s, want %s", dir, got, want)
		}
	}
}

func TestUnobservable(t *testing.T) {
	t.Parallel()
	if !unobservable(system.ErrNotObserved) || !unobservable(os.ErrNotExist) || unobservable(errors.New("boom")) {
		t.Error("unobservable misjudges")
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	write(t, to, string(data))
}

func write(t *testing.T, name, content string) {
	t.Helper()
	mkdir(t, filepath.Dir(name))
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}
