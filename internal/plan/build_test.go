package plan

import (
	"slices"
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
