package pkgmgr

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// The fixtures under testdata/manual are real files (see its README.txt):
// apt's from the Debian 12 machine these tests were written on, the others
// from public repositories. What a test adds to them is written here.

// manualFixture copies testdata/manual/<name> into a temporary folder, so
// a test can add to it.
func manualFixture(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "manual", name))); err != nil {
		t.Fatal(err)
	}
	return dir
}

func appendTo(t *testing.T, name, data string) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// manualOf runs Manual for one manager, expecting it listed and no error.
func manualOf(t *testing.T, sys system.System, p detect.Platform, manager string, opts ...Option) map[string]string {
	t.Helper()
	manual, skipped, err := Manual(t.Context(), sys, p, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) > 0 {
		t.Errorf("skipped %q", skipped)
	}
	got, ok := manual[manager]
	if !ok {
		t.Fatalf("no %s in %v", manager, manual)
	}
	return got
}

func checkManual(t *testing.T, got, want map[string]string) {
	t.Helper()
	if maps.Equal(got, want) {
		return
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if g, ok := got[k]; !ok || g != want[k] {
			t.Errorf("%s: got %q (listed %v), want %q", k, g, ok, want[k])
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			t.Errorf("%s %s listed, want it left out", k, got[k])
		}
	}
}

// aptManualCaptured is what `apt-mark showmanual` printed for the captured
// fixture, with the versions from its status file.
var aptManualCaptured = map[string]string{
	"apt-transport-https": "2.6.1",
	"bc":                  "1.07.1-3+b1",
	"ca-certificates":     "20250419~deb12u2",
	"curl":                "7.88.1-10+deb12u14",
	"git":                 "1:2.39.5-0+deb12u3",
	"jq":                  "1.6-2.1+deb12u1",
	"libmagic1":           "1:5.44-3",
	"make":                "4.3-4.1",
	"tzdata":              "2025b-0+deb12u2",
}

func with(base map[string]string, kv ...string) map[string]string {
	out := maps.Clone(base)
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// foreignArch adds an i386 copy of the captured libc6 (installed by hand)
// and zlib1g (automatic) to a root made by manualFixture(t, "apt"), as
// `dpkg --add-architecture i386` and `apt-get install libc6:i386` leave
// them. This machine has no foreign architecture to capture.
func foreignArch(t *testing.T, root string) {
	t.Helper()
	status := filepath.Join(root, "var/lib/dpkg/status")
	data, err := os.ReadFile(status)
	if err != nil {
		t.Fatal(err)
	}
	for stanza := range strings.SplitSeq(string(data), "\n\n") {
		if strings.HasPrefix(stanza, "Package: libc6\n") || strings.HasPrefix(stanza, "Package: zlib1g\n") {
			appendTo(t, status, strings.Replace(stanza, "Architecture: amd64", "Architecture: i386", 1)+"\n\n")
		}
	}
	appendTo(t, filepath.Join(root, "var/lib/apt/extended_states"),
		"Package: zlib1g\nArchitecture: i386\nAuto-Installed: 1\n\n")
}

func TestManualApt(t *testing.T) {
	t.Parallel()
	everything := with(aptManualCaptured,
		"adduser", "3.134", "dpkg", "1.21.23", "libc6", "2.36-9+deb12u14",
		"libcurl4", "7.88.1-10+deb12u14", "libjq1", "1.6-2.1+deb12u1",
		"libmagic-mgc", "1:5.44-3", "libonig5", "6.9.8-1", "zlib1g", "1:1.2.13.dfsg-1")
	tests := []struct {
		name string
		edit func(t *testing.T, root string)
		want map[string]string
	}{
		{name: "captured", want: aptManualCaptured},
		{
			name: "foreign architecture named as apt-mark does",
			edit: foreignArch,
			want: with(aptManualCaptured, "libc6:i386", "2.36-9+deb12u14"),
		},
		{
			name: "only installed packages",
			edit: func(t *testing.T, root string) {
				appendTo(t, filepath.Join(root, "var/lib/dpkg/status"), dpkgOtherStates)
			},
			// vim is removed; the half-configured libc6:i386 is left
			// out too, though apt-mark would list it (see Manual).
			want: with(aptManualCaptured, "redis-server", "5:7.0.15-1~deb12u4"),
		},
		{
			name: "Auto-Installed 0 is manual",
			edit: func(t *testing.T, root string) {
				appendTo(t, filepath.Join(root, "var/lib/apt/extended_states"),
					"Package: bc\nArchitecture: amd64\nAuto-Installed: 0\n\n")
			},
			want: aptManualCaptured,
		},
		{
			name: "no extended_states: apt installed nothing as a dependency",
			edit: func(t *testing.T, root string) {
				if err := os.Remove(filepath.Join(root, "var/lib/apt/extended_states")); err != nil {
					t.Fatal(err)
				}
			},
			want: everything,
		},
		{
			// dpkg's own stanza names the native architecture; without
			// it (a damaged database) the platform's does.
			name: "native architecture from the platform",
			edit: func(t *testing.T, root string) {
				status := filepath.Join(root, "var/lib/dpkg/status")
				data, err := os.ReadFile(status)
				if err != nil {
					t.Fatal(err)
				}
				var kept []string
				for stanza := range strings.SplitSeq(string(data), "\n\n") {
					if !strings.HasPrefix(stanza, "Package: dpkg\n") {
						kept = append(kept, stanza)
					}
				}
				write(t, status, strings.Join(kept, "\n\n"))
				foreignArch(t, root)
			},
			want: with(aptManualCaptured, "libc6:i386", "2.36-9+deb12u14"),
		},
		{
			name: "no dpkg database",
			edit: func(t *testing.T, root string) {
				if err := os.RemoveAll(filepath.Join(root, "var/lib/dpkg")); err != nil {
					t.Fatal(err)
				}
			},
			want: map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := manualFixture(t, "apt")
			if tt.edit != nil {
				tt.edit(t, root)
			}
			checkManual(t, manualOf(t, newFake(t), linux(false, "apt"), "apt", WithRoot(root)), tt.want)
		})
	}
}

// aptMark runs apt-mark showmanual, with args, for the names it prints.
func aptMark(t *testing.T, args ...string) []string {
	t.Helper()
	if _, err := os.Stat("/var/lib/dpkg/status"); err != nil {
		t.Skip("no dpkg database on this machine")
	}
	sys := system.NewReal()
	if _, err := sys.LookPath("apt-mark"); err != nil {
		t.Skip("apt-mark is not on the PATH")
	}
	res, err := sys.Query(t.Context(), system.Cmd{Argv: append([]string{"apt-mark", "showmanual"}, args...)})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(res.Stdout))
}

func checkNames(t *testing.T, got map[string]string, want []string) {
	t.Helper()
	names := slices.Sorted(maps.Keys(got))
	slices.Sort(want)
	for _, n := range want {
		if _, ok := got[n]; !ok {
			t.Errorf("apt-mark lists %s, Manual does not", n)
		}
	}
	for _, n := range names {
		if !slices.Contains(want, n) {
			t.Errorf("Manual lists %s, apt-mark does not", n)
		}
	}
}

// TestManualAptMatchesAptMark checks this machine's own apt against
// apt-mark; it runs wherever dpkg and apt-mark are.
func TestManualAptMatchesAptMark(t *testing.T) {
	t.Parallel()
	want := aptMark(t)
	got := manualOf(t, system.NewReal(), detect.Platform{OS: "linux", Managers: []string{"apt"}}, "apt")
	checkNames(t, got, want)
	t.Logf("%d packages marked manually installed, %d listed by apt-mark", len(got), len(want))
}

// TestManualAptFixtureMatchesAptMark has apt-mark read the fixture with
// an i386 libc6 added, as on an amd64 host with i386 enabled, to check
// how Manual names a foreign-architecture package.
func TestManualAptFixtureMatchesAptMark(t *testing.T) {
	t.Parallel()
	root := manualFixture(t, "apt")
	foreignArch(t, root)
	empty := t.TempDir()
	want := aptMark(t,
		"-o", "Dir::State::status="+filepath.Join(root, "var/lib/dpkg/status"),
		"-o", "Dir::State::extended_states="+filepath.Join(root, "var/lib/apt/extended_states"),
		"-o", "Dir::State::Lists="+empty,
		"-o", "Dir::Etc::SourceList=/dev/null",
		"-o", "Dir::Etc::SourceParts="+empty,
		"-o", "Dir::Etc::Preferences=/dev/null",
		"-o", "Dir::Etc::PreferencesParts="+empty,
		"-o", "Dir::Cache="+empty,
		"-o", "Dir::Cache::pkgcache=",
		"-o", "Dir::Cache::srcpkgcache=",
		"-o", "APT::Architecture=amd64",
		"-o", "APT::Architectures=amd64,i386",
	)
	got := manualOf(t, newFake(t), linux(false, "apt"), "apt", WithRoot(root))
	checkNames(t, got, want)
	if !slices.Contains(want, "libc6:i386") {
		t.Errorf("apt-mark printed %q, want libc6:i386 among them", want)
	}
}

func TestManualApk(t *testing.T) {
	t.Parallel()
	captured := map[string]string{
		"alpine-baselayout": "3.2.0-r22", "alpine-keys": "2.4-r1", "apk-tools": "2.12.9-r3",
		"busybox": "1.35.0-r17", "git": "2.36.2-r0", "git-lfs": "3.1.4-r4", "gpg": "2.2.35-r4",
		"less": "590-r0", "libc-utils": "0.7.2-r3", "openssh": "9.0_p1-r2", "patch": "2.7.6-r7",
	}
	tests := []struct {
		name  string
		world *string // replaces /etc/apk/world; nil keeps it, "" removes it
		db    string  // appended to lib/apk/db/installed
		want  map[string]string
	}{
		{name: "captured", want: captured},
		{
			name:  "constraints and provided names",
			world: new("git>=2.30\nless@edge\npatch=2.7.6-r7\n!busybox\ncmd:ssh\nopenssh-client\nzlib~1.2\nvim\n"),
			want: map[string]string{
				"git": "2.36.2-r0", "less": "590-r0", "patch": "2.7.6-r7", "zlib": "1.2.12-r3",
				"openssh-client-default": "9.0_p1-r2", // provides cmd:ssh and openssh-client
			},
		},
		{
			name:  "one line, as older apk wrote it",
			world: new("busybox alpine-keys\n"),
			want:  map[string]string{"busybox": "1.35.0-r17", "alpine-keys": "2.4-r1"},
		},
		{
			// `apk add --virtual .python-rundeps ...`, from the same
			// public repository at a later commit (README.txt).
			name:  "virtual package",
			world: new(".python-rundeps=20250214.193259\n"),
			db: "C:Q11FD7ml3fulpbLtfg/03bgrC1Iik=\nP:.python-rundeps\nV:20250214.193259\nA:noarch\nS:0\nI:0\n" +
				"T:virtual meta package\nU:\nL:\nD:so:libbz2.so.1 so:libc.musl-x86_64.so.1 so:libcrypto.so.3 " +
				"so:libffi.so.8 so:libgdbm.so.6 so:libgdbm_compat.so.4 so:liblzma.so.5 so:libncursesw.so.6 " +
				"so:libnsl.so.3 so:libpanelw.so.6 so:libreadline.so.8 so:libsqlite3.so.0 so:libssl.so.3 " +
				"so:libtirpc.so.3 so:libuuid.so.1 so:libz.so.1\n\n",
			want: map[string]string{".python-rundeps": "20250214.193259"},
		},
		{name: "no world", world: new(""), want: map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := manualFixture(t, "apk")
			switch {
			case tt.world == nil:
			case *tt.world == "":
				if err := os.Remove(filepath.Join(root, "etc/apk/world")); err != nil {
					t.Fatal(err)
				}
			default:
				write(t, filepath.Join(root, "etc/apk/world"), *tt.world)
			}
			if tt.db != "" {
				appendTo(t, filepath.Join(root, "lib/apk/db/installed"), tt.db)
			}
			checkManual(t, manualOf(t, newFake(t), linux(true, "apk"), "apk", WithRoot(root)), tt.want)
		})
	}
}

func TestManualPacman(t *testing.T) {
	t.Parallel()
	root := manualFixture(t, "pacman")
	// an install cut short: a folder without its desc
	mkdirs(t, filepath.Join(root, "var/lib/pacman/local/vim-9.1.0-1"))
	got := manualOf(t, newFake(t), linux(true, "pacman"), "pacman", WithRoot(root))
	// apr has %REASON% 1, a dependency
	checkManual(t, got, map[string]string{"asciidoc": "10.2.1-2", "autoconf-wrapper": "20221207-1"})
}

func TestManualBrew(t *testing.T) {
	t.Parallel()
	prefix := manualFixture(t, "brew")
	// Folders git cannot keep empty, and cask receipts, which no public
	// repository had: written here in Homebrew's layout.
	mkdirs(t,
		filepath.Join(prefix, "Cellar/cmake/3.9.1"), // older than 3.28.2
		filepath.Join(prefix, "Caskroom/firefox/131.0"),
		filepath.Join(prefix, "Caskroom/iterm2/3.4.19"),
		filepath.Join(prefix, "Caskroom/iterm2/3.5.0"),
		filepath.Join(prefix, "Caskroom/font-fira-code/6.2"),
	)
	write(t, filepath.Join(prefix, "Caskroom/firefox/.metadata/INSTALL_RECEIPT.json"),
		`{"homebrew_version":"4.4.0","loaded_from_api":true,"installed_on_request":true,"time":1727345410}`)
	write(t, filepath.Join(prefix, "Caskroom/font-fira-code/.metadata/INSTALL_RECEIPT.json"),
		`{"homebrew_version":"4.4.0","installed_on_request":false}`)
	write(t, filepath.Join(prefix, "Cellar/.keepme"), "")

	f := newFake(t)
	f.WithEnv("HOMEBREW_PREFIX", prefix)
	got := manualOf(t, f, macos(false, "brew"), "brew")
	checkManual(t, got, map[string]string{
		"glib":  "2.62.0_1",
		"cmake": "3.28.2", // a dependency first, then asked for
		// tmux's receipt predates installed_on_request (null)
		"cask:firefox": "131.0",
		"cask:iterm2":  "3.5.0",
	})

	t.Run("prefix from the brew on the PATH", func(t *testing.T) {
		t.Parallel()
		f := newFake(t)
		f.WithPath("brew", filepath.Join(prefix, "bin", "brew"))
		if got := manualOf(t, f, macos(false, "brew"), "brew"); got["glib"] != "2.62.0_1" {
			t.Errorf("got %v, want glib from %s", got, prefix)
		}
	})
}

func TestManualChoco(t *testing.T) {
	t.Parallel()
	captured := map[string]string{"git": "2.49.0", "git.install": "2.49.0", "chocolatey-compatibility.extension": "1.0.0"}
	tests := []struct {
		name string
		edit func(t *testing.T, lib string)
		want map[string]string
	}{
		{name: "captured", want: captured},
		{
			name: "folder and nuspec in different case",
			edit: func(t *testing.T, lib string) {
				if err := os.Rename(filepath.Join(lib, "git"), filepath.Join(lib, "Git")); err != nil {
					t.Fatal(err)
				}
			},
			want: captured,
		},
		{
			name: "an install cut short has no nuspec",
			edit: func(t *testing.T, lib string) {
				mkdirs(t, filepath.Join(lib, "vim"))
				write(t, filepath.Join(lib, ".chocolateyPending"), "")
			},
			want: captured,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := manualFixture(t, "choco")
			if tt.edit != nil {
				tt.edit(t, filepath.Join(root, "lib"))
			}
			f := newFake(t)
			f.WithEnv("ChocolateyInstall", root)
			checkManual(t, manualOf(t, f, windows(true, `C:\Users\lab`, "choco"), "choco"), tt.want)
		})
	}
}

func TestManualScoop(t *testing.T) {
	t.Parallel()
	root := manualFixture(t, "scoop")
	mkdirs(t, filepath.Join(root, "apps/scoop/current")) // scoop itself: a git clone, no manifest
	f := newFake(t)
	f.WithEnv("SCOOP", root)
	checkManual(t, manualOf(t, f, windows(false, `C:\Users\lab`, "scoop"), "scoop"), map[string]string{"jq": "1.7"})
}

func TestManualSkipped(t *testing.T) {
	t.Parallel()
	p := linux(true, "dnf", "yum", "zypper", "port", "winget", "nix")
	manual, skipped, err := Manual(t.Context(), system.Absent{}, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(manual) != 0 {
		t.Errorf("manual = %v, want none", manual)
	}
	want := []string{
		"dnf: needs `dnf repoquery --userinstalled`", "yum: ", "zypper: ", "port: ", "winget: ",
		"nix: envup does not know this package manager",
	}
	if len(skipped) != len(want) {
		t.Fatalf("skipped %q, want %d", skipped, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(skipped[i], w) || len(skipped[i]) <= len(p.Managers[i])+2 {
			t.Errorf("skipped[%d] = %q, want %q…", i, skipped[i], w)
		}
	}
}

// TestManualNothingRecorded: a host whose managers left no records (or
// one that cannot be seen) has nothing installed by hand; no error.
func TestManualNothingRecorded(t *testing.T) {
	t.Parallel()
	p := linux(true, "apt", "apk", "pacman", "brew", "choco", "scoop")
	manual, skipped, err := Manual(t.Context(), system.Absent{}, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) != 0 {
		t.Errorf("skipped %q", skipped)
	}
	for _, m := range p.Managers {
		if pkgs, ok := manual[m]; !ok || len(pkgs) != 0 {
			t.Errorf("%s: got %v (listed %v), want an empty list", m, pkgs, ok)
		}
	}
}

func TestManualErrors(t *testing.T) {
	t.Parallel()
	t.Run("unreadable database", func(t *testing.T) {
		t.Parallel()
		root := t.TempDir()
		mkdirs(t, filepath.Join(root, "var/lib/dpkg/status")) // a folder
		_, _, err := Manual(t.Context(), newFake(t), linux(true, "apt"), WithRoot(root))
		if err == nil || !strings.HasPrefix(err.Error(), "apt: ") || !strings.Contains(err.Error(), "status") {
			t.Errorf("err = %v, want apt: …status…", err)
		}
	})
	t.Run("damaged receipt", func(t *testing.T) {
		t.Parallel()
		prefix := t.TempDir()
		write(t, filepath.Join(prefix, "Cellar/jq/1.7.1/INSTALL_RECEIPT.json"), `{"installed_on_request":`)
		f := newFake(t)
		f.WithEnv("HOMEBREW_PREFIX", prefix)
		_, _, err := Manual(t.Context(), f, macos(false, "brew"))
		if err == nil || !strings.Contains(err.Error(), "Cellar/jq/1.7.1/INSTALL_RECEIPT.json") {
			t.Errorf("err = %v, want the receipt named", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, _, err := Manual(ctx, system.Absent{}, linux(true, "apt")); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

func TestVersionLess(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{"3.9.1", "3.28.2", true},
		{"3.28.2", "3.9.1", false},
		{"1.9", "1.10", true},
		{"2.62.0", "2.62.0_1", true},
		{"3.4.19", "3.5.0", true},
		{"1.0", "1.0", false},
		{"01", "1", false},
		{"1", "01", true},
		{"1.0", "HEAD-a1b2c3d", true},
		{"latest", "latest", false},
	}
	for _, tt := range tests {
		if got := versionLess(tt.a, tt.b); got != tt.want {
			t.Errorf("versionLess(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
