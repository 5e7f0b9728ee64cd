package venv

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

func TestObserve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		spec  recipe.Virtualenv
		setup func(l *lab)
		want  []string // Diff, as "+ subject: why"
	}{
		{
			name:  "as the recipe wants",
			spec:  recipe.Virtualenv{Packages: []string{"requests>=2.31", "PyYAML", "tiny==1.0"}},
			setup: func(l *lab) { l.makeVenv("requests", "2.31.0", "pyyaml", "6.0.1", "tiny", "1.0", "other", "9") },
		},
		{
			name: "missing and wrong",
			spec: recipe.Virtualenv{Packages: []string{"requests>=2.31", "tiny>=2", "redis"}},
			setup: func(l *lab) {
				l.makeVenv("requests", "2.31.0", "tiny", "1.0")
			},
			want: []string{"+ redis: not installed", "~ tiny: 1.0 installed, want >=2"},
		},
		{
			name:  "not there",
			spec:  recipe.Virtualenv{Packages: []string{"tiny"}},
			setup: func(*lab) {},
			want:  []string{"+ venv: new, on python 3.11.2 (<base>)", "+ tiny: not installed"},
		},
		{
			name: "base moved",
			spec: recipe.Virtualenv{Packages: []string{"tiny"}},
			setup: func(l *lab) {
				l.makeVenvWith("home = /nowhere/bin\nversion = 3.11.2\n", "3.11", "tiny", "1.0")
			},
			want: []string{"+ venv: recreate: base python 3.11 at <basedir> moved: venv made with /nowhere/bin, which is gone", "+ tiny: not installed"},
		},
		{
			name: "base is another python",
			spec: recipe.Virtualenv{},
			setup: func(l *lab) {
				other := filepath.Join(l.root, "other", "bin")
				mustWrite(l.t, filepath.Join(other, "python3.11"), "another python\n")
				l.makeVenvWith("home = "+other+"\nversion = 3.11.4\n", "3.11")
			},
			want: []string{"+ venv: recreate: base python 3.11 at <basedir>: venv made with another python, at <root>/other/bin"},
		},
		{
			name: "home through a symlink is the same base",
			spec: recipe.Virtualenv{},
			setup: func(l *lab) {
				link := filepath.Join(l.root, "usr-bin")
				if err := os.Symlink(l.baseDir, link); err != nil {
					l.t.Fatal(err)
				}
				l.makeVenvWith("home = "+link+"\nversion = 3.11.2\n", "3.11")
			},
		},
		{
			name: "base is another minor",
			spec: recipe.Virtualenv{Packages: []string{"tiny"}},
			setup: func(l *lab) {
				l.makeVenvWith("home = "+l.baseDir+"\nversion = 3.10.13\n", "3.10", "tiny", "1.0")
			},
			want: []string{"+ venv: recreate: base is now 3.11, venv was made with 3.10", "+ tiny: not installed"},
		},
		{
			name: "a virtualenv-made venv of another minor",
			spec: recipe.Virtualenv{},
			setup: func(l *lab) {
				l.makeVenvWith("home = "+l.baseDir+"\nimplementation = CPython\nversion_info = 3.12.1.final.0\nvirtualenv = 20.25.0\n", "3.12")
			},
			want: []string{"+ venv: recreate: base is now 3.11, venv was made with 3.12"},
		},
		{
			name: "venv python missing",
			spec: recipe.Virtualenv{},
			setup: func(l *lab) {
				l.makeVenv()
				if err := os.Remove(l.py()); err != nil {
					l.t.Fatal(err)
				}
			},
			want: []string{"+ venv: recreate: venv python bin/python is missing"},
		},
		{
			name:  "system site packages changed",
			spec:  recipe.Virtualenv{SystemSitePackages: true},
			setup: func(l *lab) { l.makeVenv() },
			want:  []string{"+ venv: recreate: include-system-site-packages is false, recipe wants true"},
		},
		{
			name: "no pyvenv.cfg",
			spec: recipe.Virtualenv{},
			setup: func(l *lab) {
				l.makeVenv()
				if err := os.Remove(filepath.Join(l.venv, "pyvenv.cfg")); err != nil {
					l.t.Fatal(err)
				}
			},
			want: []string{"+ venv: recreate: no pyvenv.cfg"},
		},
		{
			name:  "an empty folder",
			spec:  recipe.Virtualenv{},
			setup: func(l *lab) { _ = os.MkdirAll(l.venv, 0o755) },
			want:  []string{"+ venv: new, on python 3.11.2 (<base>)"},
		},
		{
			name: "pip pinned",
			spec: recipe.Virtualenv{Pip: "<23", Packages: []string{"tiny"}},
			setup: func(l *lab) {
				l.makeVenv("tiny", "1.0")
			},
			want: []string{"~ pip: 23.0.1 installed, want <23"},
		},
		{
			name: "pip pin met",
			spec: recipe.Virtualenv{Pip: "23.0.1"},
			setup: func(l *lab) {
				l.makeVenv()
			},
		},
		{
			name: "a uv venv without pip",
			spec: recipe.Virtualenv{Packages: []string{"tiny", "six"}},
			setup: func(l *lab) {
				l.makeVenvWith("home = "+l.baseDir+"\nimplementation = CPython\nuv = 0.5.4\nversion_info = 3.11.2\ninclude-system-site-packages = false\n", "3.11", "six", "1.16.0")
				if err := os.RemoveAll(filepath.Join(l.site("3.11"), "pip-23.0.1.dist-info")); err != nil {
					l.t.Fatal(err)
				}
			},
			want: []string{"+ pip: not in the venv: python -m ensurepip", "+ tiny: not installed"},
		},
		{
			name: "markers",
			spec: recipe.Virtualenv{Packages: []string{
				"pywin32 ; sys_platform == 'win32'", "tomli ; python_version < '3.11'", "typing-extensions ; python_version >= '3.8'",
				"weird ; platform_release >= '99'",
			}},
			setup: func(l *lab) { l.makeVenv() },
			want:  []string{"+ typing-extensions: not installed", "+ weird: not installed"},
		},
		{
			name: "a name asked twice must satisfy both",
			spec: recipe.Virtualenv{Packages: []string{"tiny>=1", "Tiny<1.5", "tiny[extra]"}},
			setup: func(l *lab) {
				l.makeVenv("tiny", "1.7")
			},
			want: []string{"~ tiny: 1.7 installed, want >=1,<1.5"},
		},
		{
			name: "URLs and paths are met by name",
			spec: recipe.Virtualenv{Packages: []string{
				"tiny @ https://x.test/tiny-3.0-py3-none-any.whl", "./wheels/other-2.0-py3-none-any.whl", "./wheels/project",
			}},
			setup: func(l *lab) { l.makeVenv("tiny", "1.0", "other", "1.0") },
		},
		{
			name: "exact",
			spec: recipe.Virtualenv{Exact: true, Packages: []string{"requests[socks]"}},
			setup: func(l *lab) {
				l.makeVenv("certifi", "2024.2.2", "urllib3", "2.2.1", "pysocks", "1.7.1", "chardet", "5.2.0", "stray", "0.1", "wheel", "0.43.0")
				writeDist(l.t, l.site("3.11"), "requests", "2.31.0", "certifi>=2017.4.17", "urllib3<3,>=1.21.1",
					`PySocks!=1.5.7,>=1.5.6; extra == "socks"`, `chardet<6,>=3.0.2; extra == "use_chardet_on_py3"`)
			},
			want: []string{"~ chardet: not in the recipe: removed", "~ stray: not in the recipe: removed"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t)
			tt.setup(l)
			spec := tt.spec
			v := l.new(&spec)
			st, err := v.Observe(t.Context(), newNoSpawn(t))
			if err != nil {
				t.Fatal(err)
			}
			got := changes(v, st)
			var want []string
			for _, w := range tt.want {
				w = strings.ReplaceAll(w, "<basedir>", l.baseDir)
				w = strings.ReplaceAll(w, "<base>", l.base.path)
				want = append(want, strings.ReplaceAll(w, "<root>", l.root))
			}
			if !slices.Equal(got, want) {
				t.Errorf("Diff:\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestObserveFullSet(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenv("requests", "2.31.0", "PyYAML", "6.0.1", "zope.interface", "6.2")
	v := l.new(&recipe.Virtualenv{Packages: []string{"requests"}})
	st, err := v.Observe(t.Context(), newNoSpawn(t))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"pip": "23.0.1", "setuptools": "66.1.1", "requests": "2.31.0", "pyyaml": "6.0.1", "zope-interface": "6.2"}
	if !mapsEqual(st.Packages, want) {
		t.Errorf("Packages = %v, want %v", st.Packages, want)
	}
	if st.Config == nil || st.Config.Version != "3.11.2" || st.Base.Path != l.base.path || !st.Exists {
		t.Errorf("state: %+v", st)
	}
	if d := v.Describe(st); d != "venv at "+l.venv+" on python 3.11.2, 5 packages" {
		t.Errorf("Describe = %q", d)
	}
}

func TestObserveWaitsForBase(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenv("tiny", "1.0")
	l.base = fakeBase{}
	v := l.new(&recipe.Virtualenv{Packages: []string{"tiny>=2"}})
	st, err := v.Observe(t.Context(), newNoSpawn(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := changes(v, st); !slices.Equal(got, []string{"+ venv: after interpreter/python is installed"}) {
		t.Errorf("Diff = %q", got)
	}
	if st.Packages["tiny"] != "1.0" {
		t.Errorf("the snapshot still wants what is there: %v", st.Packages)
	}
}

func TestObserveErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		spec  recipe.Virtualenv
		setup func(l *lab)
		base  *fakeBase
		want  string
	}{
		{
			name:  "not a venv",
			setup: func(l *lab) { mustWrite(l.t, filepath.Join(l.venv, "notes.txt"), "mine\n") },
			want:  "is not a virtualenv (no pyvenv.cfg, has notes.txt): envup will not replace it",
		},
		{
			name: "base fails",
			base: &fakeBase{err: errors.New("boom")},
			want: "interpreter/python: boom",
		},
		{
			name: "requirements file missing",
			spec: recipe.Virtualenv{Requirements: []string{"requirements.txt"}},
			want: "no such file",
		},
		{
			name:  "exact with a requirement without a name",
			spec:  recipe.Virtualenv{Exact: true, Packages: []string{"./wheels"}},
			setup: func(l *lab) { l.makeVenv() },
			want:  "exact: true needs every requirement's package name",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t)
			if tt.setup != nil {
				tt.setup(l)
			}
			if tt.base != nil {
				l.base = *tt.base
			}
			spec := tt.spec
			v := l.new(&spec)
			_, err := v.Observe(t.Context(), newNoSpawn(t))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestObserveRequirementsFiles(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenv("tiny", "1.0", "numpy", "1.26.4", "six", "1.16.0")
	mustWrite(t, filepath.Join(l.recipe, "requirements.txt"), "-r base.txt\n-c constraints.txt\nnumpy==1.26.4 --hash=sha256:abc\n")
	mustWrite(t, filepath.Join(l.recipe, "base.txt"), "tiny\nsix\n")
	mustWrite(t, filepath.Join(l.recipe, "constraints.txt"), "tiny>=2\n")
	v := l.new(&recipe.Virtualenv{Requirements: []string{"requirements.txt"}})
	// The recipe's files are read through Options.Recipe: the host itself
	// may be another platform's, where they are not.
	v.opts.Recipe = system.NewReadOnly(system.NewReal())
	o, err := v.Observe(t.Context(), newNoSpawn(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := changes(v, o); !slices.Equal(got, []string{"~ tiny: 1.0 installed, want >=2"}) {
		t.Errorf("Diff = %q", got)
	}
}

func TestObserveSystemSitePackages(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	cfg := "home = " + l.baseDir + "\ninclude-system-site-packages = true\nversion = 3.11.2\n"
	l.makeVenvWith(cfg, "3.11", "tiny", "1.0")
	// the base's own site-packages: <prefix>/lib/python3.11/site-packages
	writeDist(t, filepath.Join(l.root, "py311", "lib", "python3.11", "site-packages"), "numpy", "1.26.4")
	v := l.new(&recipe.Virtualenv{SystemSitePackages: true, Packages: []string{"tiny", "numpy>=1.20", "scipy"}})
	st, err := v.Observe(t.Context(), newNoSpawn(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := changes(v, st); !slices.Equal(got, []string{"+ scipy: not installed"}) {
		t.Errorf("Diff = %q", got)
	}
	if st.System["numpy"] != "1.26.4" || st.Packages["numpy"] != "" {
		t.Errorf("system %v, own %v", st.System, st.Packages)
	}
}

func TestObserveWindowsLayout(t *testing.T) {
	t.Parallel()
	// a Windows host: C:\x\y is <root>/C/x/y; no command may run
	ws := systemtest.NewWindows(t)
	root := ws.Root()
	base := `C:\Python311\python.exe`
	mustWrite(t, ws.Local(base), "MZ")
	venv := `C:\Users\ana\lab\venv`
	mustWrite(t, ws.Local(venv+`\pyvenv.cfg`), readTestdata(t, "pyvenv/venv-3.11-windows.cfg"))
	mustWrite(t, ws.Local(venv+`\Scripts\python.exe`), "MZ")
	site := ws.Local(venv + `\Lib\site-packages`)
	writeDist(t, site, "pip", "23.2.1")
	writeDist(t, site, "pywin32", "306")
	mustWrite(t, ws.Local(venv+`\`+completeName), completeHeader+"\nwants sha256:0\n")
	p := detect.Platform{OS: "windows", Arch: "amd64", Home: `C:\Users\ana`}
	v, err := New("win", &recipe.Virtualenv{Path: `~\lab\venv`, Packages: []string{"pywin32 ; sys_platform == 'win32'", "tiny"}},
		root, fakeBase{path: base, version: "3.11.5", ok: true}, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v.Path() != venv || v.Python() != venv+`\Scripts\python.exe` {
		t.Errorf("path %q python %q", v.Path(), v.Python())
	}
	st, err := v.Observe(t.Context(), ws)
	if err != nil {
		t.Fatal(err)
	}
	if got := changes(v, st); !slices.Equal(got, []string{"+ tiny: not installed"}) {
		t.Errorf("Diff = %q", got)
	}
	if st.Packages["pywin32"] != "306" {
		t.Errorf("packages %v", st.Packages)
	}
	// the base moved to another folder on the same drive
	v2, _ := New("win", &recipe.Virtualenv{Path: venv}, root, fakeBase{path: `C:\Py\python.exe`, version: "3.11.9", ok: true}, p, Options{})
	mustWrite(t, ws.Local(`C:\Py\python.exe`), "MZ too")
	st, err = v2.Observe(t.Context(), ws)
	if err != nil {
		t.Fatal(err)
	}
	want := `+ venv: recreate: base python 3.11 at C:\Py: venv made with another python, at C:\Python311`
	if got := changes(v2, st); !slices.Equal(got, []string{want}) {
		t.Errorf("Diff = %q", got)
	}
}

func TestNeededFollowsEggRequires(t *testing.T) {
	t.Parallel()
	site := t.TempDir()
	egg := filepath.Join(site, "lazr.restfulclient-0.14.5.egg-info")
	mustWrite(t, filepath.Join(egg, "PKG-INFO"), "Metadata-Version: 2.1\nName: lazr.restfulclient\nVersion: 0.14.5\n")
	mustWrite(t, filepath.Join(egg, "requires.txt"), readTestdata(t, "metadata/lazr.restfulclient-0.14.5.requires.txt"))
	for _, n := range []string{"httplib2", "Sphinx", "mock", "fixtures", "unrelated"} {
		writeDist(t, site, n, "1.0")
	}
	have := map[string]*Dist{}
	readSite(system.NewReal(), site, joiner{}, have)
	tests := []struct {
		req, version string
		want         []string
	}{
		{"lazr.restfulclient", "3.11.2", []string{"lazr-restfulclient"}},
		{"lazr.restfulclient", "2.7.18", []string{"httplib2", "lazr-restfulclient"}},
		{"lazr.restfulclient[docs]", "3.11.2", []string{"lazr-restfulclient", "sphinx"}},
		{"lazr.restfulclient[test]", "2.7.18", []string{"fixtures", "httplib2", "lazr-restfulclient", "mock"}},
	}
	for _, tt := range tests {
		r, err := ParseRequirement(tt.req, "")
		if err != nil {
			t.Fatal(err)
		}
		env := newMarkerEnv(detect.Platform{OS: "linux"}, tt.version, "").withExtra("")
		keep := needed(system.NewReal(), joiner{}, have, []*Requirement{r}, env)
		if got := sortedKeys(keep); !slices.Equal(got, tt.want) {
			t.Errorf("%s on %s: got %q, want %q", tt.req, tt.version, got, tt.want)
		}
	}
}
