package userpath

import (
	"errors"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
	"github.com/envup/envup/internal/systemtest"
)

// regSys is a host with the environment env and the Path value have
// (when given) in its registry.
func regSys(t *testing.T, env map[string]string, have *system.RegValue) *systemtest.System {
	sys := systemtest.New(t)
	for k, v := range env {
		sys.WithEnv(k, v)
	}
	if have != nil {
		sys.WithRegistry(Key, Name, *have)
	}
	return sys
}

// issue 13, bug 1: the bin dir was never on the PATH, so a terminal
// opened after apply did not find the python envup installed.
func TestBinDirGoesFirstOnTheUserPath(t *testing.T) {
	t.Parallel()
	bin := `C:\Users\Zoë Ådams\AppData\Local\envup\bin`
	env := map[string]string{"LOCALAPPDATA": `C:\Users\Zoë Ådams\AppData\Local`}
	store := `%USERPROFILE%\AppData\Local\Microsoft\WindowsApps`
	for _, c := range []struct {
		name    string
		have    *system.RegValue
		changes int
		want    system.RegValue
	}{
		{"no Path value", nil, 1, system.RegValue{Data: bin, Expand: true}},
		{"the Store's alias only", &system.RegValue{Data: store + ";", Expand: true}, 1, system.RegValue{Data: bin + ";" + store, Expand: true}},
		{"a REG_SZ value stays one", &system.RegValue{Data: `C:\tools`}, 1, system.RegValue{Data: bin + `;C:\tools`}},
		{"there already", &system.RegValue{Data: `C:\tools;` + strings.ToUpper(bin) + `\`}, 0, system.RegValue{}},
		{"there as %LOCALAPPDATA%", &system.RegValue{Data: `%LOCALAPPDATA%\envup\bin;C:\tools`, Expand: true}, 0, system.RegValue{}},
	} {
		sys := regSys(t, env, c.have)
		e := New(detect.Platform{OS: "windows", Dirs: detect.Dirs{Bin: bin}})
		o, err := e.Observe(t.Context(), sys)
		if err != nil {
			t.Fatal(err)
		}
		changes := e.Diff(o)
		if len(changes) != c.changes {
			t.Errorf("%s: changes %v", c.name, changes)
			continue
		}
		if c.changes == 0 {
			continue
		}
		if err := e.Apply(t.Context(), sys, o); err != nil {
			t.Fatal(err)
		}
		if got, _ := sys.Registry(Key, Name); got != c.want {
			t.Errorf("%s: Path = %+v, want %+v", c.name, got, c.want)
		}
		if o, _ := e.Observe(t.Context(), sys); len(e.Diff(o)) != 0 {
			t.Errorf("%s: a second plan still changes the Path", c.name)
		}
		if set := sys.Log(systemtest.SetRegistry); len(set) != 1 {
			t.Errorf("%s: wrote %q, want one value", c.name, set)
		}
	}
}

func TestAFailedWriteIsSaid(t *testing.T) {
	t.Parallel()
	denied := errors.New(`registry HKCU\Environment\Path: Access is denied.`)
	sys := regSys(t, nil, nil).Hook(func(v systemtest.Verb, _ string) error {
		if v == systemtest.SetRegistry {
			return denied
		}
		return nil
	})
	e := New(detect.Platform{OS: "windows", Dirs: detect.Dirs{Bin: `C:\e\bin`}})
	o, _ := e.Observe(t.Context(), sys)
	if err := e.Apply(t.Context(), sys, o); !errors.Is(err, denied) {
		t.Errorf("apply = %v", err)
	}
}
