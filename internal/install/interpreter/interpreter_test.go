package interpreter

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install/source"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

// healthy is a stand-in python: it answers the version question and the
// health check (nothing missing).
const healthy = "#!/bin/sh\ncase \"$*\" in *version_info*) echo %s ;; *) echo 'missing:' ;; esac\n"

type fixture struct {
	t    *testing.T
	p    detect.Platform
	path string             // the PATH's one folder
	sys  *systemtest.System // its Root holds the host's files
	log  bytes.Buffer
	cat  *catalog.Catalog
	memo *state.Memo
}

func newFixture(t *testing.T, releases ...catalog.Release) *fixture {
	t.Helper()
	sys := systemtest.New(t).Confine() // not this machine's /usr/bin pythons
	root := sys.Root()
	p := detect.Platform{OS: "linux", Arch: "amd64", Version: "12", Name: "debian 12",
		Libc: detect.Libc{Name: "glibc", Version: "2.36"}, Distro: detect.Distro{ID: "debian", Version: "12"},
		Home: filepath.Join(root, "home"), Admin: true,
		Dirs: detect.Dirs{Data: filepath.Join(root, "data"), Cache: filepath.Join(root, "cache"), State: filepath.Join(root, "state"), Bin: filepath.Join(root, "bin")}}
	f := &fixture{t: t, p: p, path: filepath.Join(root, "path"), sys: sys, memo: state.NewMemo(nil)}
	sys.WithEnv("PATH", f.path)
	// A URL at unreachable.example.org cannot be had.
	sys.Hook(func(v systemtest.Verb, name string) error {
		if v == systemtest.Download && strings.HasPrefix(name, "https://unreachable.example.org/") {
			return errors.New(name + ": unreachable")
		}
		return nil
	})
	cat, err := catalog.New(releases...)
	if err != nil {
		t.Fatal(err)
	}
	f.cat = cat
	return f
}

// standIn lets the python at path, a stand-in the test wrote or
// unpacked, run for real whatever it is asked.
func (f *fixture) standIn(path string) {
	f.sys.AllowPrefix(systemtest.Query, path).Func(systemtest.Exec)
}

func (f *fixture) resource(spec *recipe.Interpreter, strict bool) *Interpreter {
	f.t.Helper()
	r, err := New("python", spec, f.p, Options{Catalog: f.cat, Memo: f.memo, SourceStrict: strict, Log: &f.log})
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

// apply observes, applies when there is something to do, and observes
// again, returning the second state.
func (f *fixture) apply(r *Interpreter) (*State, error) {
	f.t.Helper()
	ctx := f.t.Context()
	o, err := r.Observe(ctx, f.sys)
	if err != nil {
		return nil, err
	}
	if len(r.Diff(o)) > 0 {
		if err := r.Apply(ctx, f.sys, o); err != nil {
			return nil, err
		}
	}
	again, err := r.Observe(ctx, f.sys)
	if err != nil {
		return nil, err
	}
	return again, nil
}

func pbsRelease(t *testing.T, f *fixture, version, script string) catalog.Release {
	t.Helper()
	mm := minorOf(version)
	path, sum := systemtest.TarGz(t, f.sys.Root(), "cpython-"+version+".tar.gz", map[string]string{
		"python/":                "",
		"python/bin/":            "",
		"python/bin/python" + mm: script,
	})
	url := "https://example.org/cpython-" + version + ".tar.gz"
	f.sys.WithDownload(url, path)
	f.standIn(filepath.Join(f.p.Dirs.Data, "python", version, "bin", "python"+mm))
	return catalog.Release{Tool: "python", Version: version, Artifacts: []catalog.Artifact{{
		Kind: catalog.KindArchive, URL: url, SHA256: sum, Filename: "cpython-" + version + ".tar.gz", OS: "linux", Arch: "amd64", Libc: "glibc",
	}}}
}

func TestArchiveInstallLinksThenNothingToDo(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rel := pbsRelease(t, f, "3.12.1", strings.ReplaceAll(healthy, "%s", "3.12.1"))
	f.cat, _ = catalog.New(rel)
	r := f.resource(&recipe.Interpreter{Version: "3.12", Sources: []string{"existing", "archive"}, Default: true}, false)

	o, err := r.Observe(t.Context(), f.sys)
	if err != nil {
		t.Fatal(err)
	}
	changes := r.Diff(o)
	if len(changes) != 1 || changes[0].Subject != "python 3.12.1" ||
		changes[0].Why != "from archive cpython-3.12.1.tar.gz (existing: no python 3.12 on this machine)" {
		t.Fatalf("changes = %+v", changes)
	}
	st, err := f.apply(r)
	if err != nil {
		t.Fatal(err)
	}
	if st.Have == nil || st.Have.Origin != "envup" || st.Have.Version != "3.12.1" || len(st.Unlink) != 0 {
		t.Fatalf("after apply: %+v", st)
	}
	if d := r.Diff(st); len(d) != 0 {
		t.Errorf("second diff = %+v", d)
	}
	for _, name := range []string{"python3.12", "python3", "python"} {
		got, err := os.Readlink(filepath.Join(f.p.Dirs.Bin, name))
		want := filepath.Join(f.p.Dirs.Data, "python", "3.12.1", "bin", "python3.12")
		if err != nil || got != want {
			t.Errorf("bin/%s -> %q (%v), want %q", name, got, err, want)
		}
	}
	// A lost link is an update, not a reinstall.
	if err := os.Remove(filepath.Join(f.p.Dirs.Bin, "python3")); err != nil {
		t.Fatal(err)
	}
	o, _ = r.Observe(t.Context(), f.sys)
	if d := r.Diff(o); len(d) != 1 || d[0].Subject != filepath.Join(f.p.Dirs.Bin, "python3") {
		t.Errorf("diff after losing a link = %+v", d)
	}
	if got := f.sys.Log(systemtest.Download); len(got) != 1 {
		t.Errorf("downloads = %v, want one", got)
	}
}

func TestExistingInterpreterSatisfiesAndRunsOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	pathDir := f.path
	if err := os.MkdirAll(pathDir, 0o755); err != nil {
		t.Fatal(err)
	}
	py := filepath.Join(pathDir, "python3.11")
	if err := os.WriteFile(py, []byte("#!/bin/sh\necho run >> "+filepath.Join(pathDir, "runs")+"\necho 3.11.9\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	f.standIn(py)
	r := f.resource(&recipe.Interpreter{Version: ">= 3.10, < 3.13"}, false)
	for range 3 {
		st, err := r.Observe(t.Context(), f.sys)
		if err != nil {
			t.Fatal(err)
		}
		if st.Have == nil || st.Have.Path != py || st.Have.Version != "3.11.9" || len(r.Diff(st)) != 0 {
			t.Fatalf("state = %+v", st)
		}
	}
	runs, _ := os.ReadFile(filepath.Join(pathDir, "runs"))
	if n := strings.Count(string(runs), "run"); n != 1 {
		t.Errorf("the interpreter ran %d times; its version should be remembered after the first", n)
	}
}

func TestFallbackToBuildIsSaidAndStrictRefuses(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	f := newFixture(t)
	// A source tree whose configure and Makefile install a stand-in
	// python: enough to drive the configure, make, make altinstall path.
	src, sum := systemtest.TarGz(t, f.sys.Root(), "Python-3.12.1.tgz", map[string]string{
		"Python-3.12.1/":          "",
		"Python-3.12.1/configure": "#!/bin/sh\nprefix=${1#--prefix=}\nprintf 'all:\\n\\ttrue\\naltinstall:\\n\\tmkdir -p $(DESTDIR)%s/bin && cp python $(DESTDIR)%s/bin/python3.12\\n' \"$prefix\" \"$prefix\" > Makefile\n",
		"Python-3.12.1/python":    strings.ReplaceAll(healthy, "%s", "3.12.1"),
	})
	srcURL := "https://example.org/Python-3.12.1.tgz"
	f.sys.WithDownload(srcURL, src)
	f.sys.AllowPrefix(systemtest.Run, "./configure").Func(systemtest.Exec)
	f.sys.AllowPrefix(systemtest.Run, "make").Func(systemtest.Exec)
	f.standIn(filepath.Join(f.p.Dirs.Data, "python", "3.12.1", "bin", "python3.12"))
	rel := catalog.Release{Tool: "python", Version: "3.12.1", Artifacts: []catalog.Artifact{
		{Kind: catalog.KindArchive, URL: "https://unreachable.example.org/cpython-3.12.1.tar.gz", SHA256: strings.Repeat("a", 64), Filename: "cpython-3.12.1.tar.gz", OS: "linux", Arch: "amd64", Libc: "glibc"},
		{Kind: catalog.KindSource, URL: srcURL, SHA256: sum, Filename: "Python-3.12.1.tgz"},
	}}
	f.cat, _ = catalog.New(rel)

	strict := f.resource(&recipe.Interpreter{Version: "3.12", Sources: []string{"archive", "build"}}, true)
	o, err := strict.Observe(t.Context(), f.sys)
	if err != nil {
		t.Fatal(err)
	}
	if err := strict.Apply(t.Context(), f.sys, o); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("strict apply err = %v, want the archive's failure", err)
	}
	if _, err := os.Stat(filepath.Join(f.p.Dirs.Data, "python", "3.12.1")); err == nil {
		t.Fatal("strict apply built from source")
	}

	st, err := f.apply(f.resource(&recipe.Interpreter{Version: "3.12", Sources: []string{"archive", "build"}}, false))
	if err != nil {
		t.Fatal(err)
	}
	if st.Have == nil || st.Have.Version != "3.12.1" {
		t.Fatalf("after fallback: %+v", st)
	}
	if !strings.Contains(f.log.String(), "interpreter/python: archive failed: ") || !strings.Contains(f.log.String(), "falling back to built from source Python-3.12.1.tgz") {
		t.Errorf("the fallback was not said: %q", f.log.String())
	}
	for _, left := range []string{filepath.Join(f.p.Dirs.Data, "build"), filepath.Join(f.p.Dirs.Data, "python", "3.12.1.envup-stage")} {
		if entries, _ := os.ReadDir(left); len(entries) > 0 {
			t.Errorf("%s left behind: %v", left, entries)
		}
	}
}

func TestUnhealthyInstallIsNotKept(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.p.Managers = []string{"apt"}
	sick := "#!/bin/sh\ncase \"$*\" in *version_info*) echo 3.12.1 ;; *) echo 'missing: ssl lzma' ;; esac\n"
	rel := pbsRelease(t, f, "3.12.1", sick)
	f.cat, _ = catalog.New(rel)
	r := f.resource(&recipe.Interpreter{Version: "3.12", Sources: []string{"archive"}}, false)
	_, err := f.apply(r)
	if err == nil || !strings.Contains(err.Error(), "ssl") || !strings.Contains(err.Error(), "libssl-dev") {
		t.Fatalf("err = %v, want the missing modules and their packages", err)
	}
	if _, err := os.Stat(source.MarkerPath(f.p, filepath.Join(f.p.Dirs.Data, "python", "3.12.1"))); err == nil {
		t.Error("the unhealthy install still has its marker")
	}
	o, _ := r.Observe(t.Context(), f.sys)
	if o.Have != nil {
		t.Error("the unhealthy install is taken for a good one")
	}
}

func TestForeignFileInBinIsLeftAlone(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rel := pbsRelease(t, f, "3.12.1", strings.ReplaceAll(healthy, "%s", "3.12.1"))
	f.cat, _ = catalog.New(rel)
	if err := os.MkdirAll(f.p.Dirs.Bin, 0o755); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(f.p.Dirs.Bin, "python3")
	if err := os.WriteFile(mine, []byte("mine"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := f.apply(f.resource(&recipe.Interpreter{Version: "3.12", Sources: []string{"archive"}, Default: true}, false))
	if err == nil || !strings.Contains(err.Error(), "exists and envup did not make it") {
		t.Fatalf("err = %v", err)
	}
	if data, _ := os.ReadFile(mine); string(data) != "mine" {
		t.Error("envup overwrote a file it does not own")
	}
}

func TestNoSourceSaysWhatThePlatformCanHave(t *testing.T) {
	t.Parallel()
	p, err := detect.ParsePlatform("windows/6.1.7601/amd64")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New("python", &recipe.Interpreter{Version: ">= 3.10", Sources: []string{"existing", "archive"}}, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Observe(t.Context(), system.Absent{})
	if err == nil || !strings.Contains(err.Error(), "the newest python for windows 7 (6.1) is 3.8.10") {
		t.Fatalf("err = %v", err)
	}
}

func TestPlanForWindowsXPUsesTheMSI(t *testing.T) {
	t.Parallel()
	p, err := detect.ParsePlatform("windows/5.1/386")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New("python", &recipe.Interpreter{Version: "3.4.4", Default: true}, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dry := system.NewDryRun(system.Absent{})
	o, err := r.Observe(t.Context(), dry)
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Diff(o); len(d) != 1 || !strings.HasPrefix(d[0].Why, "from installer python-3.4.4.msi") {
		t.Fatalf("diff = %+v", d)
	}
	if err := r.Apply(t.Context(), dry, o); err != nil {
		t.Fatal(err)
	}
	steps := dry.String()
	for _, want := range []string{
		"download https://www.python.org/ftp/python/3.4.4/python-3.4.4.msi",
		"run msiexec /i '<download cache>/",
		"/qn ALLUSERS=0 'TARGETDIR=~/Local Settings/Application Data/envup/python/3.4.4'",
		"write ~/Local Settings/Application Data/envup/bin/python.cmd",
	} {
		if !strings.Contains(steps, want) {
			t.Errorf("steps lack %q:\n%s", want, steps)
		}
	}
}
