package pkgmgr

import (
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

func TestApplyCommands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		manager string
		p       detect.Platform
		state   State
		want    [][]string
		wantEnv []string // of the last command
	}{
		{
			name: "apt as root", manager: "apt", p: linux(true, "apt"),
			state:   State{Missing: []string{"curl", "jq"}},
			want:    [][]string{{"apt-get", "install", "-y", "--no-install-recommends", "curl", "jq"}},
			wantEnv: []string{"DEBIAN_FRONTEND=noninteractive"},
		},
		{
			name: "apt as a user, lists never fetched", manager: "apt", p: linux(false, "apt"),
			state: State{Missing: []string{"curl"}, Refresh: true},
			want: [][]string{
				{"sudo", "apt-get", "update"},
				{"sudo", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "--no-install-recommends", "curl"},
			},
			wantEnv: []string{"DEBIAN_FRONTEND=noninteractive"},
		},
		{
			name: "apt as root, lists never fetched", manager: "apt", p: linux(true, "apt"),
			state: State{Missing: []string{"curl"}, Refresh: true},
			want: [][]string{
				{"apt-get", "update"},
				{"apt-get", "install", "-y", "--no-install-recommends", "curl"},
			},
			wantEnv: []string{"DEBIAN_FRONTEND=noninteractive"},
		},
		{
			name: "dnf as a user", manager: "dnf", p: linux(false, "dnf"),
			state: State{Missing: []string{"gcc", "make"}},
			want:  [][]string{{"sudo", "dnf", "install", "-y", "gcc", "make"}},
		},
		{
			name: "yum as root", manager: "yum", p: linux(true, "yum"),
			state: State{Missing: []string{"gcc"}},
			want:  [][]string{{"yum", "install", "-y", "gcc"}},
		},
		{
			name: "zypper as a user", manager: "zypper", p: linux(false, "zypper"),
			state: State{Missing: []string{"gcc"}},
			want:  [][]string{{"sudo", "zypper", "--non-interactive", "install", "gcc"}},
		},
		{
			name: "pacman as root", manager: "pacman", p: linux(true, "pacman"),
			state: State{Missing: []string{"base-devel", "redis"}},
			want:  [][]string{{"pacman", "-S", "--noconfirm", "--needed", "base-devel", "redis"}},
		},
		{
			name: "apk as a user", manager: "apk", p: linux(false, "apk"),
			state: State{Missing: []string{"build-base"}},
			want:  [][]string{{"sudo", "apk", "add", "build-base"}},
		},
		{
			name: "port as a user", manager: "port", p: macos(false, "port"),
			state: State{Missing: []string{"redis"}},
			want:  [][]string{{"sudo", "port", "-N", "install", "redis"}},
		},
		{
			name: "brew never sudo", manager: "brew", p: macos(false, "brew"),
			state: State{Missing: []string{"jq", "openssl@3"}},
			want:  [][]string{{"brew", "install", "jq", "openssl@3"}},
		},
		{
			name: "brew as root still no sudo", manager: "brew", p: macos(true, "brew"),
			state: State{Missing: []string{"jq"}},
			want:  [][]string{{"brew", "install", "jq"}},
		},
		{
			name: "choco elevated", manager: "choco", p: windows(true, `C:\Users\lab`, "choco"),
			state: State{Missing: []string{"git", "python"}},
			want:  [][]string{{"choco", "install", "-y", "--no-progress", "git", "python"}},
		},
		{
			name: "scoop", manager: "scoop", p: windows(false, `C:\Users\lab`, "scoop"),
			state: State{Missing: []string{"git", "extras/vscode"}},
			want:  [][]string{{"scoop", "install", "git", "extras/vscode"}},
		},
		{
			name: "winget one id per call", manager: "winget", p: windows(false, `C:\Users\lab`, "winget"),
			state: State{Missing: []string{"Git.Git", "Python.Python.3.12"}},
			want: [][]string{
				{"winget", "install", "--exact", "--id", "Git.Git", "--silent", "--accept-package-agreements", "--accept-source-agreements"},
				{"winget", "install", "--exact", "--id", "Python.Python.3.12", "--silent", "--accept-package-agreements", "--accept-source-agreements"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls []call
			for _, argv := range tt.want {
				calls = append(calls, run(argv...))
			}
			f := newFake(t, calls...)
			r := New("tools", group(tt.manager, "x"), tt.p)
			if err := r.Apply(t.Context(), f, &tt.state); err != nil {
				t.Fatal(err)
			}
			if ran := f.Cmds(); len(ran) > 0 {
				if env := ran[len(ran)-1].Env; !slices.Equal(env, tt.wantEnv) {
					t.Errorf("env = %q, want %q", env, tt.wantEnv)
				}
			}
		})
	}
}

// Apply installs what Observe found missing and nothing else.
func TestApplyInstallsOnlyMissing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	debianRoot(t, dir, true)
	r := New("build-tools", group("apt", "curl", "make", "jq", "zlib1g", "libssl-dev"), linux(true, "apt"), WithRoot(dir))
	f := newFake(t, run("apt-get", "install", "-y", "--no-install-recommends", "jq", "libssl-dev"))
	o, err := r.Observe(t.Context(), f)
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, c := range r.Diff(o) {
		subjects = append(subjects, c.Subject)
	}
	if !slices.Equal(subjects, []string{"jq", "libssl-dev"}) {
		t.Errorf("changes for %q", subjects)
	}
	if err := r.Apply(t.Context(), f, o); err != nil {
		t.Fatal(err)
	}
}

func TestApplyNothingWhenAllPresent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		manager string
		calls   []call // observe's queries; any Run fails the test
	}{
		{name: "apt", manager: "apt"},
		{name: "dnf", manager: "dnf", calls: []call{query("rpm", "-q", "--qf", `%{NAME}\n`, "curl", "make").out("curl\nmake\n")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			debianRoot(t, dir, false) // never updated: still no apt-get update, as nothing is missing
			r := New("base", group(tt.manager, "curl", "make"), linux(false, tt.manager), WithRoot(dir))
			f := newFake(t, tt.calls...)
			o, err := r.Observe(t.Context(), f)
			if err != nil {
				t.Fatal(err)
			}
			if d := r.Diff(o); len(d) != 0 {
				t.Errorf("diff = %v, want none", d)
			}
			if err := r.Apply(t.Context(), f, o); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestApplyErrorCarriesArgvAndStderr(t *testing.T) {
	t.Parallel()
	f := newFake(t, run("apt-get", "install", "-y", "--no-install-recommends", "nosuchpkg").
		exit(100, "Reading package lists...\nE: Unable to locate package nosuchpkg"))
	r := New("tools", group("apt", "nosuchpkg"), linux(true, "apt"))
	err := r.Apply(t.Context(), f, &State{Missing: []string{"nosuchpkg"}})
	var exitErr *system.ExitError
	if !errors.As(err, &exitErr) {
		t.Fatalf("err = %v, want a *system.ExitError", err)
	}
	// plan.Apply prefixes the resource's ID; the resource adds no layer of its own.
	want := "apt-get install -y --no-install-recommends nosuchpkg: exit status 100:\n  Reading package lists...\n  E: Unable to locate package nosuchpkg"
	if err.Error() != want {
		t.Errorf("err = %q\nwant %q", err, want)
	}
}

func TestApplyWithoutSudo(t *testing.T) {
	t.Parallel()
	argv := []string{"sudo", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "--no-install-recommends", "curl"}
	f := newFake(t, call{run: true, argv: argv,
		err: fmt.Errorf("%s: %w", system.Quote(argv), &exec.Error{Name: "sudo", Err: exec.ErrNotFound})})
	r := New("tools", group("apt", "curl"), linux(false, "apt"))
	err := r.Apply(t.Context(), f, &State{Missing: []string{"curl"}})
	if err == nil || !strings.Contains(err.Error(), "run envup as root, or install sudo") {
		t.Errorf("err = %v", err)
	}
}

func TestChocoNeedsElevatedPrompt(t *testing.T) {
	t.Parallel()
	r := New("tools", group("choco", "git"), windows(false, `C:\Users\lab`, "choco"))
	for _, sys := range []system.System{newFake(t), system.NewDryRun(system.Absent{})} {
		err := r.Apply(t.Context(), sys, &State{Missing: []string{"git"}})
		if err == nil || !strings.Contains(err.Error(), "choco needs an elevated prompt to install git: run envup from an administrator") {
			t.Errorf("err = %v", err)
		}
	}
}

func TestGroupMergesIntoOneCallPerManager(t *testing.T) {
	t.Parallel()
	groups := map[string]*recipe.PackageGroup{
		"build-tools": {Managers: map[string][]string{
			"apt": {"build-essential", "libssl-dev"}, "dnf": {"gcc"}, "brew": {"openssl@3"},
		}},
		"redis-deps": {Managers: map[string][]string{"apt": {"libssl-dev", "tcl"}}},
		"mac-only":   {Managers: map[string][]string{"brew": {"coreutils"}}},
		"windows":    {Managers: map[string][]string{"choco": {"git"}, "apt": {}}},
	}
	tests := []struct {
		name     string
		managers []string
		ids      []string
		names    [][]string
		skips    []string
	}{
		{
			name: "debian", managers: []string{"apt"},
			ids:   []string{"packages/apt", "packages/mac-only", "packages/windows"},
			names: [][]string{{"build-essential", "libssl-dev", "tcl"}, nil, nil},
			skips: []string{"", "no names for apt on this host", "no names for apt on this host"},
		},
		{
			name: "debian with linuxbrew preferred", managers: []string{"brew", "apt"},
			ids:   []string{"packages/brew", "packages/apt", "packages/windows"},
			names: [][]string{{"openssl@3", "coreutils"}, {"libssl-dev", "tcl"}, nil},
			skips: []string{"", "", "no names for brew or apt on this host"},
		},
		{
			name: "unknown manager only", managers: []string{"emerge"},
			ids:   []string{"packages/build-tools", "packages/mac-only", "packages/redis-deps", "packages/windows"},
			names: [][]string{nil, nil, nil, nil},
			skips: []string{
				"no package manager envup can use on this host", "no package manager envup can use on this host",
				"no package manager envup can use on this host", "no package manager envup can use on this host",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rs := Group(groups, linux(true, tt.managers...))
			var ids, skips []string
			var names [][]string
			for _, p := range rs {
				ids = append(ids, p.ID().String())
				names = append(names, p.Names())
				skips = append(skips, p.Skip())
			}
			if !slices.Equal(ids, tt.ids) {
				t.Errorf("ids = %q, want %q", ids, tt.ids)
			}
			if !slices.EqualFunc(names, tt.names, slices.Equal) {
				t.Errorf("names = %q, want %q", names, tt.names)
			}
			if !slices.Equal(skips, tt.skips) {
				t.Errorf("skips = %q, want %q", skips, tt.skips)
			}
		})
	}
}

// Three groups on a Debian host are one apt-get install.
func TestGroupAppliesOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	debianRoot(t, dir, true)
	groups := map[string]*recipe.PackageGroup{
		"a": {Managers: map[string][]string{"apt": {"curl", "jq"}}},
		"b": {Managers: map[string][]string{"apt": {"jq", "make", "tcl"}}},
		"c": {Managers: map[string][]string{"apt": {"redis-tools"}}},
	}
	rs := Group(groups, linux(true, "apt"), WithRoot(dir))
	if len(rs) != 1 {
		t.Fatalf("%d resources, want 1", len(rs))
	}
	if got := rs[0].Groups(); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("groups = %q", got)
	}
	f := newFake(t, run("apt-get", "install", "-y", "--no-install-recommends", "jq", "tcl", "redis-tools"))
	o, err := rs[0].Observe(t.Context(), f)
	if err != nil {
		t.Fatal(err)
	}
	if err := rs[0].Apply(t.Context(), f, o); err != nil {
		t.Fatal(err)
	}
}

func TestNewSkips(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		g    *recipe.PackageGroup
		p    detect.Platform
		skip string
	}{
		{"no names for the host's manager", group("dnf", "gcc"), linux(true, "apt"), "no names for apt on this host"},
		{"no manager at all", group("apt", "gcc"), linux(true), "no package manager envup can use on this host"},
		{"an empty list is no names", group("apt"), linux(true, "apt"), "no names for apt on this host"},
		{"no group", nil, linux(true, "apt"), "no names for apt on this host"},
		{"windows choco or winget", group("scoop", "git"), windows(true, `C:\Users\lab`, "winget", "choco"), "no names for winget or choco on this host"},
		{"chosen", group("apt", "gcc"), linux(true, "apt"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := New("build-tools", tt.g, tt.p)
			if r.ID().String() != "packages/build-tools" {
				t.Errorf("id = %q", r.ID())
			}
			if r.Skip() != tt.skip {
				t.Errorf("skip = %q, want %q", r.Skip(), tt.skip)
			}
			if tt.skip == "" {
				return
			}
			// a skipped resource observes nothing and changes nothing
			f := newFake(t)
			o, err := r.Observe(t.Context(), f)
			if err != nil || len(r.Diff(o)) != 0 {
				t.Errorf("observe = %v, %v", o, err)
			}
			if err := r.Apply(t.Context(), f, o); err != nil {
				t.Error(err)
			}
		})
	}
}

// The first manager the group has names for wins, in the host's order.
func TestNewPrefersHostOrder(t *testing.T) {
	t.Parallel()
	g := &recipe.PackageGroup{Managers: map[string][]string{"winget": {"Git.Git"}, "choco": {"git"}, "scoop": {"git"}}}
	for _, tt := range []struct {
		managers []string
		want     string
	}{
		{[]string{"winget", "choco"}, "winget"},
		{[]string{"choco", "winget"}, "choco"},
		{[]string{"emerge", "scoop"}, "scoop"},
	} {
		if got := New("git", g, windows(true, `C:\Users\lab`, tt.managers...)).Manager(); got != tt.want {
			t.Errorf("managers %q: chose %q, want %q", tt.managers, got, tt.want)
		}
	}
}

func TestApplyOfflineHint(t *testing.T) {
	t.Parallel()
	// apt-get install's stderr when the lists are there but the archive
	// cannot be resolved (its "Err:" lines go to stdout).
	stderr := "E: Failed to fetch http://deb.debian.org/debian/pool/main/r/redis/redis-tools_7.0.15-1~deb12u1_amd64.deb  Temporary failure resolving 'deb.debian.org'\n" +
		"E: Failed to fetch http://deb.debian.org/debian/pool/main/r/redis/redis-server_7.0.15-1~deb12u1_amd64.deb  Temporary failure resolving 'deb.debian.org'\n" +
		"E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?"
	f := newFake(t, run("apt-get", "install", "-y", "--no-install-recommends", "redis-server").exit(100, stderr))
	r := New("tools", group("apt", "redis-server"), linux(true, "apt"))
	err := r.Apply(t.Context(), f, &State{Missing: []string{"redis-server"}})
	want := "apt-get install -y --no-install-recommends redis-server: exit status 100:\n" +
		"  E: Failed to fetch http://deb.debian.org/debian/pool/main/r/redis/redis-server_7.0.15-1~deb12u1_amd64.deb  Temporary failure resolving 'deb.debian.org'\n" +
		"  E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?\n" +
		"  hint: apt cannot reach its package servers (no network or no DNS here): connect this machine, or point apt at a mirror it can reach, and apply again"
	if err == nil || err.Error() != want {
		t.Errorf("err =\n%v\nwant\n%s", err, want)
	}
	var exitErr *system.ExitError
	if !errors.As(err, &exitErr) {
		t.Errorf("the ExitError is not kept: %v", err)
	}
}
