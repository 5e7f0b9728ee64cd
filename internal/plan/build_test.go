package plan

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
)

// Build takes the kinds in the registry's order; on a Windows host that
// is this machine the bin dir goes on the Path (path/bin) after the
// interpreters, and a plan for another host leaves the Path alone.
func TestBuildOrder(t *testing.T) {
	t.Parallel()
	content := "a\n"
	r := &recipe.Recipe{
		Interpreters: map[string]*recipe.Interpreter{"python": {Tool: "python", Version: "3.12"}},
		Virtualenvs:  map[string]*recipe.Virtualenv{"ci": {Path: `C:\envs\ci`, Python: "python"}},
		Files:        map[string]*recipe.File{`C:\lab\a.txt`: {Content: &content}},
	}
	for _, tc := range []struct {
		foreign bool
		want    []string
	}{
		{false, []string{"interpreter/python", "virtualenv/ci", "path/bin", `file/C:\lab\a.txt`}},
		{true, []string{"interpreter/python", "virtualenv/ci", `file/C:\lab\a.txt`}},
	} {
		p, err := detect.ParsePlatform("windows/10.0.19045/amd64")
		if err != nil {
			t.Fatal(err)
		}
		p.Foreign = tc.foreign
		pl, err := Build(r, p, install.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, res := range pl.Resources {
			ids = append(ids, res.ID().String())
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("foreign %v: %q, want %q", tc.foreign, ids, tc.want)
		}
	}
}

// What each resource needs: a venv its interpreter, a service the
// packages, settings that name a venv's path that venv (and not one whose
// path only starts the same).
func TestBuildNeeds(t *testing.T) {
	t.Parallel()
	p, err := detect.ParsePlatform("linux/debian/12/amd64")
	if err != nil {
		t.Fatal(err)
	}
	p.Home = "/home/ada"
	r := &recipe.Recipe{
		Packages:     map[string]*recipe.PackageGroup{"build": {Managers: map[string][]string{"apt": {"gcc"}}}},
		Interpreters: map[string]*recipe.Interpreter{"python": {Tool: "python", Version: "3.12"}},
		Virtualenvs: map[string]*recipe.Virtualenv{
			"lab":  {Path: "/home/ada/envs/lab", Python: "python"},
			"lab2": {Path: "/home/ada/envs/lab2x", Python: "python"},
		},
		Services: map[string]*recipe.Service{"redis": {Version: "7"}},
		Editors: map[string]*recipe.Editor{
			"vscode": {Settings: map[string]any{"python.defaultInterpreterPath": "/home/ada/envs/lab/bin/python"}},
			"vim":    {Lines: []string{"set number"}},
		},
	}
	pl, err := Build(r, p, install.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, res := range pl.Resources {
		if n, ok := install.As[install.Needer](res); ok {
			var ids []string
			for _, id := range n.Needs() {
				ids = append(ids, id.String())
			}
			got[res.ID().String()] = strings.Join(ids, " ")
		}
	}
	want := map[string]string{
		"virtualenv/lab":  "interpreter/python",
		"virtualenv/lab2": "interpreter/python",
		"service/redis":   "packages/apt",
		"editor/vscode":   "virtualenv/lab",
		"editor/vim":      "",
	}
	if !maps.Equal(got, want) {
		t.Errorf("needs = %q, want %q", got, want)
	}
}
