package venv

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// observe is Observe, failing the test on an error.
func observe(t *testing.T, v *Venv, sys system.System) *State {
	t.Helper()
	o, err := v.Observe(t.Context(), sys)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func pipInstall(py string, args ...string) []string {
	return append([]string{py, "-m", "pip", "install"}, args...)
}

func TestApplyInstallsOnlyWhatDiffers(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenv("tiny", "1.0", "requests", "2.31.0", "six", "1.16.0")
	v := l.new(&recipe.Virtualenv{
		Offline: true, FindLinks: []string{"wheels"}, IndexURL: "https://never.test/simple",
		Packages: []string{"requests>=2.31", "tiny>=2", "six", "redis[hiredis]>=5"},
	})
	st := observe(t, v, newNoSpawn(t))
	fake := newFake(t, run(pipInstall(l.py(), "--no-index", "--find-links", filepath.Join(l.recipe, "wheels"), "tiny>=2", "redis[hiredis]>=5")...))
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
	env := fake.Cmds()[0].Env
	if !slices.Contains(env, "PIP_DISABLE_PIP_VERSION_CHECK=1") || !slices.Contains(env, "PIP_NO_INPUT=1") {
		t.Errorf("pip's environment: %q", env)
	}
}

func TestApplyNothingToDo(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenv("tiny", "1.0")
	v := l.new(&recipe.Virtualenv{Packages: []string{"tiny"}})
	st := observe(t, v, newNoSpawn(t))
	if err := v.Apply(t.Context(), newFake(t), st); err != nil {
		t.Fatal(err)
	}
}

func TestApplyIndexOptions(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenv()
	mustWrite(t, filepath.Join(l.recipe, "requirements.txt"), "--extra-index-url https://file-extra.test/simple\n--trusted-host file-extra.test\ntiny\n")
	v := l.new(&recipe.Virtualenv{
		IndexURL: "https://idx.test/simple", ExtraIndexURLs: []string{"https://extra.test/simple"},
		FindLinks: []string{"https://links.test/wheels/", "/abs/wheels"}, Requirements: []string{"requirements.txt"},
		Pip: "<23",
	})
	st := observe(t, v, newNoSpawn(t))
	fake := newFake(t, run(pipInstall(l.py(),
		"--find-links", "https://links.test/wheels/", "--find-links", "/abs/wheels",
		"--index-url", "https://idx.test/simple", "--extra-index-url", "https://extra.test/simple",
		"--extra-index-url", "https://file-extra.test/simple", "--trusted-host", "file-extra.test",
		"pip<23", "tiny")...))
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
}

func TestApplyCreates(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	v := l.new(&recipe.Virtualenv{SystemSitePackages: true, Prompt: "study hall", Packages: []string{"tiny"}, Pip: "==24.0"})
	st := observe(t, v, newNoSpawn(t))
	want := []string{"+ venv: new, on python 3.11.2 (" + l.base.path + ")", "~ pip: want ==24.0", "+ tiny: not installed"}
	if got := changes(v, st); !slices.Equal(got, want) {
		t.Errorf("Diff = %q", got)
	}
	fake := newFake(t,
		run(l.base.path, "-m", "venv", "--system-site-packages", "--prompt", "study hall", l.venv).then(func() { l.makeVenv() }),
		run(pipInstall(l.py(), "pip==24.0", "tiny")...),
	)
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(l.venv + oldSuffix); !os.IsNotExist(err) {
		t.Errorf("%s: %v", oldSuffix, err)
	}
}

func TestApplyRecreates(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenvWith("home = /gone/bin\nversion = 3.11.1\n", "3.11", "tiny", "1.0")
	mustWrite(t, filepath.Join(l.venv, "marker-of-the-old-one"), "")
	var log bytes.Buffer
	v := l.new(&recipe.Virtualenv{Packages: []string{"tiny"}})
	v.opts.Log = &log
	st := observe(t, v, newNoSpawn(t))
	fake := newFake(t,
		run(l.base.path, "-m", "venv", l.venv).then(func() {
			if _, err := os.Stat(l.venv + oldSuffix + "/marker-of-the-old-one"); err != nil {
				t.Errorf("the old venv is not aside while the new one is made: %v", err)
			}
			l.makeVenv()
		}),
		run(pipInstall(l.py(), "tiny")...),
	)
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(l.venv + oldSuffix); !os.IsNotExist(err) {
		t.Errorf("the old venv stays: %v", err)
	}
	if _, err := os.Stat(filepath.Join(l.venv, "marker-of-the-old-one")); !os.IsNotExist(err) {
		t.Errorf("the new venv is not new: %v", err)
	}
	if !strings.Contains(log.String(), "moved: venv made with /gone/bin, which is gone") {
		t.Errorf("log: %q", log.String())
	}
}

func TestApplyRecreateFailsKeepsOld(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		calls func(l *lab) []call
		want  string
	}{
		{
			name: "venv fails",
			calls: func(l *lab) []call {
				return []call{run(l.base.path, "-m", "venv", l.venv).then(func() {
					mustWrite(l.t, filepath.Join(l.venv, "half"), "")
				}).fails(1, "Error: Command '['"+l.venv+"/bin/python3.11', '-m', 'ensurepip']' returned non-zero exit status 1.\nThe virtual environment was not created successfully because ensurepip is not\navailable.")}
			},
			want: "create: " + "<base>" + " -m venv <venv>: exit status 1:\n  Error: Command",
		},
		{
			name: "pip fails",
			calls: func(l *lab) []call {
				return []call{
					run(l.base.path, "-m", "venv", l.venv).then(func() { l.makeVenv() }),
					run(pipInstall(l.py(), "tiny")...).fails(1, "Looking in links: /w\nERROR: Could not find a version that satisfies the requirement tiny (from versions: none)\nERROR: No matching distribution found for tiny"),
				}
			},
			want: "pip install: <py> -m pip install tiny: exit status 1:\n  Looking in links: /w\n  ERROR: Could not find a version that satisfies the requirement tiny (from versions: none)\n  ERROR: No matching distribution found for tiny\n  hint: the package index is not reachable",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t)
			l.makeVenvWith("home = "+l.baseDir+"\nversion = 3.10.4\n", "3.10", "tiny", "0.9")
			v := l.new(&recipe.Virtualenv{Packages: []string{"tiny"}})
			st := observe(t, v, newNoSpawn(t))
			err := v.Apply(t.Context(), newFake(t, tt.calls(l)...), st)
			want := strings.NewReplacer("<base>", l.base.path, "<venv>", l.venv, "<py>", l.py()).Replace(tt.want)
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("err = %v\nwant %s…", err, want)
			}
			var exit *system.ExitError
			if !errors.As(err, &exit) {
				t.Errorf("the ExitError is not kept: %v", err)
			}
			// the old venv is back, whole
			if _, err := os.Stat(filepath.Join(l.site("3.10"), "tiny-0.9.dist-info", "METADATA")); err != nil {
				t.Errorf("old venv not back: %v", err)
			}
			if _, err := os.Stat(l.venv + oldSuffix); !os.IsNotExist(err) {
				t.Errorf("%s left: %v", oldSuffix, err)
			}
		})
	}
}

func TestApplyExact(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenv("tiny", "1.0", "stray", "0.1", "wheel", "0.43.0", "old-dep", "2.0")
	v := l.new(&recipe.Virtualenv{Exact: true, Packages: []string{"tiny>=2"}})
	st := observe(t, v, newNoSpawn(t))
	want := []string{"~ tiny: 1.0 installed, want >=2", "~ old-dep: not in the recipe: removed", "~ stray: not in the recipe: removed"}
	if got := changes(v, st); !slices.Equal(got, want) {
		t.Errorf("Diff = %q", got)
	}
	fake := newFake(t,
		run(l.py(), "-m", "pip", "uninstall", "-y", "old-dep", "stray"),
		run(pipInstall(l.py(), "tiny>=2")...),
	)
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
}

func TestApplyHashes(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenv("tiny", "1.0")
	mustWrite(t, filepath.Join(l.recipe, "requirements.txt"),
		"tiny==2.0 \\\n    --hash=sha256:1111\nsix==1.16.0 --hash=sha256:2222\n-c constraints.txt\n")
	mustWrite(t, filepath.Join(l.recipe, "constraints.txt"), "six<2\n")
	v := l.new(&recipe.Virtualenv{Requirements: []string{"requirements.txt"}, Pip: "<23"})
	st := observe(t, v, newNoSpawn(t))
	tmp := filepath.Join(l.venv, reqFileName)
	fake := newFake(t,
		run(pipInstall(l.py(), "pip<23")...),
		run(pipInstall(l.py(), "--require-hashes", "-c", filepath.Join(l.recipe, "constraints.txt"), "-r", tmp)...).then(func() {
			data, err := os.ReadFile(tmp)
			if err != nil {
				t.Fatal(err)
			}
			want := "tiny==2.0 --hash=sha256:1111\nsix==1.16.0 --hash=sha256:2222\n"
			if string(data) != want {
				t.Errorf("temp requirements:\n%s\nwant\n%s", data, want)
			}
		}),
	)
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("the temp requirements file stays: %v", err)
	}
}

func TestApplyEnsurepip(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenvWith("home = "+l.baseDir+"\nuv = 0.5.4\nversion_info = 3.11.2\n", "3.11")
	_ = os.RemoveAll(filepath.Join(l.site("3.11"), "pip-23.0.1.dist-info"))
	v := l.new(&recipe.Virtualenv{Packages: []string{"tiny"}})
	st := observe(t, v, newNoSpawn(t))
	fake := newFake(t,
		run(l.py(), "-m", "ensurepip", "--upgrade", "--default-pip"),
		run(pipInstall(l.py(), "tiny")...),
	)
	if err := v.Apply(t.Context(), fake, st); err != nil {
		t.Fatal(err)
	}
}

func TestApplyVirtualenvForOldPythons(t *testing.T) {
	t.Parallel()
	tests := []struct {
		version string
		want    string // in the error when the module is missing
	}{
		{"2.7.18", "python 2.7.18 has no virtualenv module: install virtualenv<=20.15.1"},
		{"3.2.5", "python 3.2.5 has no virtualenv module: install virtualenv<=13.1.2"},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			t.Parallel()
			l := newLab(t)
			l.base.version = tt.version
			v := l.new(&recipe.Virtualenv{Prompt: "old"})
			st := observe(t, v, newNoSpawn(t))
			fake := newFake(t, run(l.base.path, "-m", "virtualenv", "--prompt", "old", l.venv).fails(1, "/x/python: No module named virtualenv"))
			err := v.Apply(t.Context(), fake, st)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant %q", err, tt.want)
			}
		})
	}
	l := newLab(t)
	l.base.version = "3.1.5"
	v := l.new(&recipe.Virtualenv{})
	st := observe(t, v, newNoSpawn(t))
	if err := v.Apply(t.Context(), newFake(t), st); err == nil || !strings.Contains(err.Error(), "cannot make a virtualenv for python 3.1.5") {
		t.Errorf("3.1: err = %v", err)
	}
}

func TestPlan(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenvWith("home = "+l.baseDir+"\nversion = 3.10.4\n", "3.10", "tiny", "1.0")
	v := l.new(&recipe.Virtualenv{Offline: true, FindLinks: []string{"wheels"}, Packages: []string{"tiny>=2"}})
	ns := newNoSpawn(t)
	st := observe(t, v, ns)
	dry := system.NewDryRun(ns)
	if err := v.Apply(t.Context(), dry, st); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"rename " + l.venv + " (to " + l.venv + oldSuffix + ")",
		"write " + l.marker() + " (21 bytes, mode 0644)",
		"run " + l.base.path + " -m venv " + l.venv,
		"run " + l.py() + " -m pip install --no-index --find-links " + filepath.Join(l.recipe, "wheels") + " 'tiny>=2'",
		"write " + l.marker() + " (91 bytes, mode 0644)",
		"remove " + l.venv + oldSuffix,
	}
	var got []string
	for _, s := range dry.Steps() {
		got = append(got, s.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("plan:\n got %q\nwant %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(l.site("3.10"), "tiny-1.0.dist-info")); err != nil {
		t.Errorf("a plan changed the host: %v", err)
	}
}

func TestPlanWaitingForBase(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.base = fakeBase{}
	v := l.new(&recipe.Virtualenv{Packages: []string{"tiny"}})
	ns := newNoSpawn(t)
	st := observe(t, v, ns)
	dry := system.NewDryRun(ns)
	if err := v.Apply(t.Context(), dry, st); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"check interpreter/python is installed",
		"write " + l.marker() + " (21 bytes, mode 0644)",
		"run '<interpreter/python>' -m venv " + l.venv,
		"run " + l.py() + " -m pip install tiny",
		"write " + l.marker() + " (91 bytes, mode 0644)",
	}
	var got []string
	for _, s := range dry.Steps() {
		got = append(got, s.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("plan:\n got %q\nwant %q", got, want)
	}
	// apply for real: the engine observes again once the base is there;
	// if it still is not, the venv cannot be made.
	if err := v.Apply(t.Context(), newFake(t), st); err == nil || !strings.Contains(err.Error(), "interpreter/python is not installed") {
		t.Errorf("err = %v", err)
	}
}

func TestDownloadCmd(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	v := l.new(&recipe.Virtualenv{
		Offline: true, FindLinks: []string{"wheels"}, IndexURL: "https://idx.test/simple", Pip: "<24",
		Packages: []string{"tiny>=2", "requests[socks]"}, Requirements: []string{"requirements.txt", "https://x.test/req.txt"},
	})
	cmd, err := v.DownloadCmd("/usr/bin/python3.11", "/srv/wheelhouse")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/usr/bin/python3.11", "-m", "pip", "download", "-d", "/srv/wheelhouse",
		"--find-links", filepath.Join(l.recipe, "wheels"), "--index-url", "https://idx.test/simple",
		"pip<24", "tiny>=2", "requests[socks]", "-r", filepath.Join(l.recipe, "requirements.txt"), "-r", "https://x.test/req.txt",
	}
	if !slices.Equal(cmd.Argv, want) {
		t.Errorf("argv:\n got %q\nwant %q", cmd.Argv, want)
	}
	if _, err := v.DownloadCmd("", "/x"); err == nil {
		t.Error("no python: no error")
	}
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]*recipe.Virtualenv{
		"no path":     {},
		"bad package": {Path: "/v", Packages: []string{"requests >="}},
		"bad pip":     {Path: "/v", Pip: ">=x"},
	}
	for name, spec := range tests {
		if _, err := New("k", spec, "/r", fakeBase{}, l0.p, Options{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := New("k", &recipe.Virtualenv{Path: "/v"}, "/r", nil, l0.p, Options{}); err == nil {
		t.Error("no base: no error")
	}
	v, err := New("k", &recipe.Virtualenv{Path: "~/lab/venv", Pip: "23.2.1"}, "/r", fakeBase{}, l0.p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v.ID().String() != "virtualenv/k" || v.Path() != "/home/ana/lab/venv" || v.pip.String() != "==23.2.1" || v.Base().ID().String() != "interpreter/python" {
		t.Errorf("id %q path %q pip %q", v.ID(), v.Path(), v.pip)
	}
	var _ install.Typed[*State] = v
}

var l0 = struct{ p detect.Platform }{p: detect.Platform{OS: "linux", Home: "/home/ana"}}
