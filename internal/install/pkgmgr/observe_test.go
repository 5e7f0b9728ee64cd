package pkgmgr

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

// The dpkg status in testdata holds five stanzas copied verbatim from
// /var/lib/dpkg/status on the Debian 12 machine these tests were written
// on (see testdata/README.md). That machine had every package "install
// ok installed", so the other states are hand-written in dpkg's format.
const dpkgOtherStates = `
Package: vim
Status: deinstall ok config-files
Priority: optional
Section: editors
Installed-Size: 3739
Maintainer: Debian Vim Maintainers <team+vim@tracker.debian.org>
Architecture: amd64
Version: 2:9.0.1378-2+deb12u2
Config-Version: 2:9.0.1378-2+deb12u2
Description: Vi IMproved - enhanced vi editor

Package: redis-server
Status: hold ok installed
Architecture: amd64
Version: 5:7.0.15-1~deb12u4
Description: Persistent key-value database with network interface

Package: libc6
Status: install ok half-configured
Architecture: i386
Multi-Arch: same
Version: 2.36-9+deb12u14
Description: GNU C Library: Shared libraries
`

func linux(admin bool, managers ...string) detect.Platform {
	return detect.Platform{OS: "linux", Arch: "amd64", Managers: managers, Admin: admin, Home: "/home/lab", User: "lab"}
}

func windows(admin bool, home string, managers ...string) detect.Platform {
	return detect.Platform{OS: "windows", Version: "10.0.22631", Arch: "amd64", Managers: managers, Admin: admin, Home: home}
}

func macos(admin bool, managers ...string) detect.Platform {
	return detect.Platform{OS: "macos", Version: "14.5", Arch: "arm64", Managers: managers, Admin: admin, Home: "/Users/lab"}
}

func write(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mkdirs(t *testing.T, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func testdata(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// debianRoot lays out a Debian host under dir: the real dpkg status
// excerpt and, when updated, a package list as apt-get update leaves it.
func debianRoot(t *testing.T, dir string, updated bool) {
	t.Helper()
	write(t, filepath.Join(dir, "var/lib/dpkg/status"), testdata(t, "dpkg-status")+dpkgOtherStates)
	mkdirs(t, filepath.Join(dir, "var/lib/apt/lists/partial"))
	write(t, filepath.Join(dir, "var/lib/apt/lists/lock"), "")
	if updated {
		write(t, filepath.Join(dir, "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4"), "")
	}
}

func group(manager string, names ...string) *recipe.PackageGroup {
	return &recipe.PackageGroup{Managers: map[string][]string{manager: names}}
}

func TestParseDpkgStatus(t *testing.T) {
	t.Parallel()
	installed := DpkgInstalled([]byte(testdata(t, "dpkg-status") + dpkgOtherStates))
	tests := []struct {
		name string
		want bool
	}{
		{"curl", true},
		{"make", true},
		{"tzdata", true},
		{"zlib1g", true},
		{"libc6", true},
		{"libc6:amd64", true},
		{"libc6:i386", false},      // half-configured
		{"vim", false},             // removed, its config files kept
		{"redis-server", true},     // held
		{"tzdata-bookworm", false}, // only a Provides: not a package
		{"nosuchpkg", false},
		{"busload", false}, // a word from a Description continuation line
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := installed[tt.name]; got != tt.want {
				t.Errorf("installed[%q] = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}

func TestObserve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		manager  string
		platform func(dir string) detect.Platform
		setup    func(t *testing.T, dir string, f *systemtest.System)
		calls    []call
		names    []string
		missing  []string
		refresh  bool
	}{
		{
			name: "apt reads dpkg status", manager: "apt",
			setup:   func(t *testing.T, dir string, _ *systemtest.System) { debianRoot(t, dir, true) },
			names:   []string{"curl", "make", "nosuchpkg", "zlib1g:amd64", "libc6:i386", "vim", "redis-server"},
			missing: []string{"nosuchpkg", "libc6:i386", "vim"},
		},
		{
			name: "apt lists never fetched", manager: "apt",
			setup:   func(t *testing.T, dir string, _ *systemtest.System) { debianRoot(t, dir, false) },
			names:   []string{"curl", "jq"},
			missing: []string{"jq"}, refresh: true,
		},
		{
			name: "apt all installed needs no lists", manager: "apt",
			setup: func(t *testing.T, dir string, _ *systemtest.System) { debianRoot(t, dir, false) },
			names: []string{"curl", "make"},
		},
		{
			name: "apt on a host without dpkg", manager: "apt",
			names: []string{"curl"}, missing: []string{"curl"}, refresh: true,
		},
		{
			name: "apk reads its database", manager: "apk",
			setup: func(t *testing.T, dir string, _ *systemtest.System) {
				write(t, filepath.Join(dir, "lib/apk/db/installed"), testdata(t, "apk-installed"))
			},
			names:   []string{"musl", "busybox", "curl", "ca-certificates-bundle", "ca-certificates"},
			missing: []string{"curl", "ca-certificates"},
		},
		{
			name: "pacman lists its local database", manager: "pacman",
			setup: func(t *testing.T, dir string, _ *systemtest.System) {
				local := filepath.Join(dir, "var/lib/pacman/local")
				write(t, filepath.Join(local, "ALPM_DB_VERSION"), "9\n")
				for _, d := range []string{"python-pip-24.0-1", "zlib-1:1.3.1-2", "glibc-2.39+r52+gf8e4623421-1", "base-devel-1-1"} {
					write(t, filepath.Join(local, d, "desc"), "%NAME%\n"+d+"\n")
				}
			},
			names:   []string{"python-pip", "zlib", "glibc", "base-devel", "python", "redis"},
			missing: []string{"python", "redis"},
		},
		{
			name: "dnf asks rpm", manager: "dnf",
			calls: []call{query("rpm", "-q", "--qf", `%{NAME}\n`, "gcc", "make", "openssl-devel").
				out("gcc\npackage make is not installed\npackage openssl-devel is not installed\n").exit(2, "")},
			names:   []string{"gcc", "make", "openssl-devel"},
			missing: []string{"make", "openssl-devel"},
		},
		{
			name: "yum all installed", manager: "yum",
			calls: []call{query("rpm", "-q", "--qf", `%{NAME}\n`, "gcc", "make").out("gcc\nmake\n")},
			names: []string{"gcc", "make"},
		},
		{
			name: "zypper without rpm on the PATH", manager: "zypper",
			calls: []call{{argv: []string{"rpm", "-q", "--qf", `%{NAME}\n`, "gcc"},
				err: fmt.Errorf("rpm -q: %w", &exec.Error{Name: "rpm", Err: exec.ErrNotFound})}},
			names: []string{"gcc"}, missing: []string{"gcc"},
		},
		{
			name: "port asks port, inactive counts as missing", manager: "port",
			platform: func(string) detect.Platform { return macos(false, "port") },
			calls: []call{query("port", "-q", "installed", "redis", "python312", "wget").
				out("  redis @7.2.4_0 (active)\n  python312 @3.12.4_0+lto+optimizations\n")},
			names:   []string{"redis", "python312", "wget"},
			missing: []string{"python312", "wget"},
		},
		{
			name: "brew looks in the prefix of the brew on the PATH", manager: "brew",
			platform: func(string) detect.Platform { return macos(false, "brew") },
			setup: func(t *testing.T, dir string, f *systemtest.System) {
				f.WithPath("brew", filepath.Join(dir, "bin", "brew"))
				mkdirs(t, filepath.Join(dir, "Cellar/jq/1.7.1"), filepath.Join(dir, "Cellar/python@3.12/3.12.4"),
					filepath.Join(dir, "Cellar/left-empty"), filepath.Join(dir, "Caskroom/firefox/127.0"),
					filepath.Join(dir, "opt"))
				// an alias: brew links opt/python3 to the formula it names
				if err := os.Symlink("../Cellar/python@3.12/3.12.4", filepath.Join(dir, "opt", "python3")); err != nil {
					t.Fatal(err)
				}
			},
			names:   []string{"jq", "python3", "homebrew/cask/firefox", "left-empty", "openssl@3"},
			missing: []string{"left-empty", "openssl@3"},
		},
		{
			name: "choco lists ProgramData, any case", manager: "choco",
			platform: func(dir string) detect.Platform { return windows(true, dir, "choco") },
			setup: func(t *testing.T, dir string, f *systemtest.System) {
				f.WithEnv("ProgramData", dir)
				mkdirs(t, filepath.Join(dir, "chocolatey/lib/git"), filepath.Join(dir, "chocolatey/lib/GoogleChrome"))
			},
			names:   []string{"git", "googlechrome", "nodejs-lts"},
			missing: []string{"nodejs-lts"},
		},
		{
			name: "choco follows ChocolateyInstall", manager: "choco",
			platform: func(dir string) detect.Platform { return windows(true, dir, "choco") },
			setup: func(t *testing.T, dir string, f *systemtest.System) {
				f.WithEnv("ProgramData", filepath.Join(dir, "elsewhere"))
				f.WithEnv("ChocolateyInstall", filepath.Join(dir, "tools", "choco"))
				mkdirs(t, filepath.Join(dir, "tools/choco/lib/7zip"))
			},
			names:   []string{"7zip", "git"},
			missing: []string{"git"},
		},
		{
			name: "scoop lists the home's apps", manager: "scoop",
			platform: func(dir string) detect.Platform { return windows(false, dir, "scoop") },
			setup: func(t *testing.T, dir string, _ *systemtest.System) {
				mkdirs(t, filepath.Join(dir, "scoop/apps/git/current"), filepath.Join(dir, "scoop/apps/vscode/current"))
			},
			names:   []string{"git", "extras/vscode", "python"},
			missing: []string{"python"},
		},
		{
			name: "scoop follows SCOOP", manager: "scoop",
			platform: func(dir string) detect.Platform { return windows(false, filepath.Join(dir, "home"), "scoop") },
			setup: func(t *testing.T, dir string, f *systemtest.System) {
				f.WithEnv("SCOOP", filepath.Join(dir, "D", "scoop"))
				mkdirs(t, filepath.Join(dir, "D/scoop/apps/python"), filepath.Join(dir, "home/scoop/apps/git"))
			},
			names:   []string{"git", "python"},
			missing: []string{"git"},
		},
		{
			name: "winget asks once per id", manager: "winget",
			platform: func(dir string) detect.Platform { return windows(false, dir, "winget") },
			calls: []call{
				query("winget", "list", "--exact", "--id", "Git.Git", "--accept-source-agreements").out("Git Git.Git 2.45.2 winget\n"),
				query("winget", "list", "--exact", "--id", "Python.Python.3.12", "--accept-source-agreements").
					exit(-1978335212, "No installed package found matching input criteria."),
			},
			names:   []string{"Git.Git", "Python.Python.3.12"},
			missing: []string{"Python.Python.3.12"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			f := newFake(t, tt.calls...)
			p := linux(true, tt.manager)
			if tt.platform != nil {
				p = tt.platform(dir)
			}
			if tt.setup != nil {
				tt.setup(t, dir, f)
			}
			r := New("test", group(tt.manager, tt.names...), p, WithRoot(dir))
			if r.Skip() != "" {
				t.Fatalf("skipped: %s", r.Skip())
			}
			st, err := r.Observe(t.Context(), f)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(st.Missing, tt.missing) {
				t.Errorf("missing = %q, want %q", st.Missing, tt.missing)
			}
			if st.Refresh != tt.refresh {
				t.Errorf("refresh = %v, want %v", st.Refresh, tt.refresh)
			}
			changes := r.Diff(st)
			if len(changes) != len(tt.missing) {
				t.Fatalf("%d changes, want %d: %v", len(changes), len(tt.missing), changes)
			}
			for i, c := range changes {
				if c.Subject != tt.missing[i] || c.Why != "not installed" || c.Action.Symbol() != "+" {
					t.Errorf("change %d = %+v", i, c)
				}
			}
		})
	}
}

func TestObserveErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		manager string
		setup   func(t *testing.T, dir string)
		calls   []call
		want    string
	}{
		{
			name: "rpm fails for another reason", manager: "dnf",
			calls: []call{query("rpm", "-q", "--qf", `%{NAME}\n`, "gcc").exit(1, "error: rpmdb: damaged header #5 retrieved -- skipping.")},
			want:  "rpm -q --qf '%{NAME}\\n' gcc: exit status 1: error: rpmdb: damaged header",
		},
		{
			name: "dpkg status unreadable", manager: "apt",
			setup: func(t *testing.T, dir string) { mkdirs(t, filepath.Join(dir, "var/lib/dpkg/status")) },
			want:  "is a directory",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			r := New("test", group(tt.manager, "gcc"), linux(true, tt.manager), WithRoot(dir))
			_, err := r.Observe(t.Context(), newFake(t, tt.calls...))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// A host planned from elsewhere has nothing installed, and plan shows
// what a fresh one would run.
func TestObserveAbsent(t *testing.T) {
	t.Parallel()
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := linux(false, name)
			switch name {
			case "brew", "port":
				p = macos(false, name)
			case "choco", "scoop", "winget":
				p = windows(true, `C:\Users\lab`, name)
			}
			r := New("tools", group(name, "one", "two"), p)
			st, err := r.Observe(t.Context(), system.Absent{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(st.Missing, []string{"one", "two"}) {
				t.Errorf("missing = %q", st.Missing)
			}
			dry := system.NewDryRun(system.Absent{})
			if err := r.Apply(t.Context(), dry, st); err != nil {
				t.Fatal(err)
			}
			m, _ := Lookup(name)
			var want []string
			for _, c := range m.Commands(st.Missing, st.Refresh, p.Admin) {
				want = append(want, "run "+system.Quote(c.Argv))
			}
			var got []string
			for _, s := range dry.Steps() {
				got = append(got, s.String())
			}
			if len(want) == 0 || !slices.Equal(got, want) {
				t.Errorf("steps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func TestObserveAbsentAptRefreshes(t *testing.T) {
	t.Parallel()
	r := New("tools", group("apt", "curl"), linux(false, "apt"))
	o, err := r.Observe(t.Context(), system.Absent{})
	if err != nil {
		t.Fatal(err)
	}
	dry := system.NewDryRun(system.Absent{})
	if err := r.Apply(t.Context(), dry, o); err != nil {
		t.Fatal(err)
	}
	want := "run sudo apt-get update\nrun sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl\n"
	if got := dry.String(); got != want {
		t.Errorf("steps:\n%swant:\n%s", got, want)
	}
}

func TestPacmanName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		dir, want string
		ok        bool
	}{
		{"python-pip-24.0-1", "python-pip", true},
		{"zlib-1:1.3.1-2", "zlib", true},
		{"glibc-2.39+r52+gf8e4623421-1", "glibc", true},
		{"lib32-gcc-libs-14.1.1+r58+gfc9fb69ad62-1", "lib32-gcc-libs", true},
		{"noversion", "", false},
		{"only-1", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			t.Parallel()
			got, ok := pacmanName(tt.dir)
			if got != tt.want || ok != tt.ok {
				t.Errorf("pacmanName(%q) = %q, %v; want %q, %v", tt.dir, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestJoin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		os   string
		base string
		elem []string
		want string
	}{
		{"windows", `C:\ProgramData`, []string{"chocolatey", "lib"}, `C:\ProgramData\chocolatey\lib`},
		{"windows", `C:\Users\lab\`, []string{"scoop"}, `C:\Users\lab\scoop`},
		{"windows", "/tmp/x", []string{"chocolatey", "lib"}, "/tmp/x/chocolatey/lib"},
		{"linux", "/", []string{"opt"}, "/opt"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			if got := (detect.Platform{OS: tt.os}).Join(tt.base, tt.elem...); got != tt.want {
				t.Errorf("%s: Join(%q, %q) = %q, want %q", tt.os, tt.base, tt.elem, got, tt.want)
			}
		})
	}
}

func TestUnobservable(t *testing.T) {
	t.Parallel()
	_, err := system.Absent{}.Query(t.Context(), system.Cmd{Argv: []string{"rpm"}})
	if !unobservable(err) || unobservable(errors.New("permission denied")) {
		t.Error("unobservable misjudges")
	}
}
