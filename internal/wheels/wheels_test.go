package wheels

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/venv"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

// base is a virtualenv's interpreter, installed or not.
type base struct {
	path string
	ok   bool
}

func (base) ID() install.ID { return install.ID{Kind: "interpreter", Name: "python"} }

func (b base) Current(context.Context, system.System) (string, string, bool, error) {
	return b.path, "3.12.4", b.ok, nil
}

// other is a resource that is not a virtualenv: Download passes it by.
type other struct{}

func (other) ID() install.ID { return install.ID{Kind: "file", Name: "~/x"} }
func (other) Observe(context.Context, system.System) (struct{}, error) {
	return struct{}{}, nil
}
func (other) Diff(struct{}) []install.Change                       { return nil }
func (other) Apply(context.Context, system.System, struct{}) error { return nil }

func newVenv(t *testing.T, key string, b base, packages ...string) install.Resource {
	t.Helper()
	p, err := detect.ParsePlatform("linux/debian/12/amd64")
	if err != nil {
		t.Fatal(err)
	}
	p.Home = t.TempDir()
	v, err := venv.New(key, &recipe.Virtualenv{Path: filepath.Join(p.Home, key), Packages: packages}, p.Home, b, p, venv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return install.Erase(v)
}

// TestDownload checks one pip download a virtualenv, in order, into the
// folder it makes, each said first.
func TestDownload(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "wheels")
	sys := systemtest.New(t)
	sys.Expect(systemtest.Query, "/py/bin/python3", "-m", "pip", "--version") // once for both
	sys.Expect(systemtest.Run, "/py/bin/python3", "-m", "pip", "download", "-d", dir, "requests==2.32.3")
	sys.Expect(systemtest.Run, "/py/bin/python3", "-m", "pip", "download", "-d", dir, "flask")
	installed := base{path: "/py/bin/python3", ok: true}
	resources := []install.Resource{newVenv(t, "web", installed, "requests==2.32.3"), install.Erase(other{}), newVenv(t, "api", installed, "flask")}
	var log strings.Builder
	n, err := Download(t.Context(), sys, resources, dir, Options{Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("Download() = %d, want 2", n)
	}
	want := "downloading the wheels of virtualenv/web into " + dir + "\ndownloading the wheels of virtualenv/api into " + dir + "\n"
	if log.String() != want {
		t.Errorf("log = %q\nwant %q", log.String(), want)
	}
}

// TestDownloadPip checks the python pip runs with: the venv's own when
// it exists and has pip, else its interpreter when that has pip, else an
// error saying what to install (issue 15: a system python without pip
// failed with no hint).
func TestDownloadPip(t *testing.T) {
	t.Parallel()
	installed := base{path: "/py/bin/python3", ok: true}
	pipVersion := []string{"-m", "pip", "--version"}
	t.Run("the venv's own", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		res := newVenv(t, "web", installed, "flask")
		v, _ := install.As[*venv.Venv](res)
		if err := os.MkdirAll(filepath.Dir(v.Python()), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(v.Python(), nil, 0o755); err != nil {
			t.Fatal(err)
		}
		sys := systemtest.New(t)
		sys.Expect(systemtest.Query, append([]string{v.Python()}, pipVersion...)...)
		sys.Expect(systemtest.Run, v.Python(), "-m", "pip", "download", "-d", dir, "flask")
		if _, err := Download(t.Context(), sys, []install.Resource{res}, dir, Options{}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("none has pip", func(t *testing.T) {
		t.Parallel()
		sys := systemtest.New(t)
		sys.Expect(systemtest.Query, append([]string{"/py/bin/python3"}, pipVersion...)...).Exit(1, "/py/bin/python3: No module named pip")
		_, err := Download(t.Context(), sys, []install.Resource{newVenv(t, "web", installed, "flask")}, t.TempDir(), Options{Managers: []string{"apt"}})
		want := "virtualenv/web: no python with pip: /py/bin/python3 has none: run envup apply first (the virtualenv gets its own pip), or install pip for it (apt install python3-pip)"
		if !errors.Is(err, ErrNoPip) || err.Error() != want {
			t.Errorf("Download() error = %v\nwant %s", err, want)
		}
	})
	t.Run("interrupted while asking", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		sys := systemtest.New(t)
		sys.Expect(systemtest.Query, append([]string{"/py/bin/python3"}, pipVersion...)...).Func(
			func(context.Context, system.Cmd) (*system.Result, error) { cancel(); return nil, context.Canceled })
		_, err := Download(ctx, sys, []install.Resource{newVenv(t, "web", installed, "flask")}, t.TempDir(), Options{Managers: []string{"apt"}})
		if !errors.Is(err, context.Canceled) || errors.Is(err, ErrNoPip) {
			t.Errorf("Download() error = %v, want the interruption, not %v", err, ErrNoPip)
		}
	})
}

// TestDownloadBeforeApply checks a virtualenv whose interpreter is not
// installed yet stops the download, naming both, and starts no pip.
func TestDownloadBeforeApply(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	_, err := Download(t.Context(), sys, []install.Resource{newVenv(t, "web", base{}, "flask")}, t.TempDir(), Options{})
	want := "virtualenv/web: interpreter/python is not installed yet: run envup apply first"
	if err == nil || err.Error() != want {
		t.Errorf("Download() error = %v, want %s", err, want)
	}
}

// TestDownloadNone checks a plan without virtualenvs downloads nothing.
func TestDownloadNone(t *testing.T) {
	t.Parallel()
	n, err := Download(t.Context(), systemtest.New(t), []install.Resource{install.Erase(other{})}, t.TempDir(), Options{})
	if err != nil || n != 0 {
		t.Errorf("Download() = %d, %v; want 0, nil", n, err)
	}
}
