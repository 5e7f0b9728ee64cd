package userpath

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// regSys is a registry and an environment in maps; a write is kept.
type regSys struct {
	system.System
	reg  map[string]system.RegValue
	env  map[string]string
	fail error
}

func (s *regSys) Registry(key, name string) (system.RegValue, error) {
	v, ok := s.reg[key+`\`+name]
	if !ok {
		return v, &fs.PathError{Op: "registry", Path: key, Err: fs.ErrNotExist}
	}
	return v, nil
}

func (s *regSys) SetRegistry(key, name string, v system.RegValue) error {
	if s.fail != nil {
		return s.fail
	}
	s.reg[key+`\`+name] = v
	return nil
}

func (s *regSys) Getenv(k string) string { return s.env[k] }

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
		sys := &regSys{reg: map[string]system.RegValue{}, env: env}
		if c.have != nil {
			sys.reg[Key+`\`+Name] = *c.have
		}
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
		if got := sys.reg[Key+`\`+Name]; got != c.want {
			t.Errorf("%s: Path = %+v, want %+v", c.name, got, c.want)
		}
		if o, _ := e.Observe(t.Context(), sys); len(e.Diff(o)) != 0 {
			t.Errorf("%s: a second plan still changes the Path", c.name)
		}
	}
}

func TestAFailedWriteIsSaid(t *testing.T) {
	t.Parallel()
	denied := errors.New(`registry HKCU\Environment\Path: Access is denied.`)
	sys := &regSys{reg: map[string]system.RegValue{}, fail: denied}
	e := New(detect.Platform{OS: "windows", Dirs: detect.Dirs{Bin: `C:\e\bin`}})
	o, _ := e.Observe(t.Context(), sys)
	if err := e.Apply(t.Context(), sys, o); !errors.Is(err, denied) {
		t.Errorf("apply = %v", err)
	}
}
