package export

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// The study-hall plan's steps say what they mean (system.Intent), where
// the resources know it: the step that finishes an install says it is
// done and what it gives, the venv's creation which interpreter it runs
// and that pyvenv.cfg means done, Chocolatey and a font for all users
// that they need an administrator. Export reads only these.
func TestStudyHallIntent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		platform string
		want     []string
	}{
		{"windows/5.1/386", []string{
			`interpreter/python: write done ~/Local Settings/Application Data/envup/python/3.4.4/.envup-install.json; produces interpreter/python at ~/Local Settings/Application Data/envup/python/3.4.4/python.exe`,
			`virtualenv/study-hall: run done ~\envs\study-hall\pyvenv.cfg; argv[0] is interpreter/python`,
			`service/redis: run admin Chocolatey installs for all users`,
			`service/redis: run admin it installs a Windows service`,
			`service/redis: run admin it installs a Windows service`,
			`font/DejaVu Sans Mono: write done C:\Windows\Fonts\DejaVuSansMono.ttf; admin it writes into the Windows folder`,
			`font/DejaVu Sans Mono: registry admin it writes to HKEY_LOCAL_MACHINE`,
		}},
		{"linux/debian/7/amd64", []string{
			// built: the stage renamed into place finishes the install
			`interpreter/python: rename done ~/.local/share/envup/python/3.12.13/.envup-install.json; produces interpreter/python at ~/.local/share/envup/python/3.12.13/bin/python3.12`,
			`virtualenv/study-hall: run done ~/envs/study-hall/pyvenv.cfg; argv[0] is interpreter/python`,
			`service/redis: rename done ~/.local/share/envup/redis/7.2.15/.envup-install.json; produces service/redis at ~/.local/share/envup/redis/7.2.15/bin/redis-server`,
			`font/DejaVu Sans Mono: write done ~/.local/share/fonts/envup/DejaVuSansMono.ttf`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.platform, func(t *testing.T) {
			t.Parallel()
			cat, _ := testCatalog(t, t.TempDir())
			p, err := detect.ParsePlatform(tt.platform)
			if err != nil {
				t.Fatal(err)
			}
			r, err := recipe.Load("../../recipes/study-hall.yml", p)
			if err != nil {
				t.Fatal(err)
			}
			p.Foreign, p.Admin = true, true // as Build plans
			pl, err := plan.Build(r, p, install.Options{Catalog: cat})
			if err != nil {
				t.Fatal(err)
			}
			outcomes := plan.Observe(t.Context(), system.Absent{}, pl.Resources)
			if err := plan.Preview(t.Context(), system.Absent{}, outcomes); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range outcomes {
				for _, st := range o.Steps {
					if st.Intent != (system.Intent{}) {
						got = append(got, o.Resource.ID().String()+": "+st.Verb+" "+intentString(st.Intent))
					}
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("intents:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// Export writes a section from its steps' intent alone: no file name,
// program name or registry root is read for what it means.
func TestExportReadsIntent(t *testing.T) {
	t.Parallel()
	b := &builder{
		ctx: t.Context(), opts: Options{Format: "sh"},
		names: map[string]bool{}, downloads: map[string]string{}, produced: map[string]string{},
		ex: &Export{Script: &Script{}},
	}
	installPy := &plan.Outcome{Resource: install.Erase(named("interpreter/py")), Steps: []system.Step{
		{Verb: "run", Target: "installer", Argv: []string{"installer", "--to", "~/py"}, Intent: system.Intent{Admin: "it says so"}},
		{Verb: "write", Target: "~/py/done", Data: []byte("x"), Intent: system.Intent{
			Done: "~/py/done", Produces: system.Product{Resource: "interpreter/py", Path: "~/py/bin/py"},
		}},
	}}
	// sc, HKLM and a plan's stand-in: words that meant something to the
	// guesses, and mean nothing without an intent.
	use := &plan.Outcome{Resource: install.Erase(named("virtualenv/v")), Steps: []system.Step{
		{Verb: "run", Target: "sc", Argv: []string{"sc", `HKLM\SOFTWARE`}},
		{Verb: "run", Target: "<interpreter/py>", Argv: []string{"<interpreter/py>", "-m", "venv", "~/v"}},
		{Verb: "run", Target: "stand-in", Argv: []string{"stand-in", "-V"}, Intent: system.Intent{Interpreter: "interpreter/py", Done: "~/v/ok"}},
	}}
	for _, o := range []*plan.Outcome{installPy, use} {
		if err := b.resource(o); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, op := range b.ex.Script.Ops {
		got = append(got, fmt.Sprintf("%d %s|%s|%s", op.Kind, op.Title, op.Path, strings.Join(op.Argv, " ")))
	}
	want := []string{
		fmt.Sprintf("%d |~/py/done|", Section),
		fmt.Sprintf("%d interpreter/py needs an administrator: it says so||", Admin),
		fmt.Sprintf("%d ||installer --to ~/py", Run),
		fmt.Sprintf("%d |~/py/done|", Copy),
		fmt.Sprintf("%d |~/v/ok|", Section),
		fmt.Sprintf("%d ||sc HKLM\\SOFTWARE", Run),
		fmt.Sprintf("%d ||<interpreter/py> -m venv ~/v", Run),
		fmt.Sprintf("%d ||~/py/bin/py -V", Run),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ops:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// named is a resource that only has an ID: export reads its steps.
type named string

func (n named) ID() install.ID { return install.ParseID(string(n)) }
func (named) Observe(context.Context, system.System) (struct{}, error) {
	return struct{}{}, nil
}
func (named) Diff(struct{}) []install.Change                       { return nil }
func (named) Apply(context.Context, system.System, struct{}) error { return nil }

func intentString(in system.Intent) string {
	var parts []string
	if in.Done != "" {
		parts = append(parts, "done "+in.Done)
	}
	if in.Admin != "" {
		parts = append(parts, "admin "+in.Admin)
	}
	if in.Produces != (system.Product{}) {
		parts = append(parts, fmt.Sprintf("produces %s at %s", in.Produces.Resource, in.Produces.Path))
	}
	if in.Interpreter != "" {
		parts = append(parts, "argv[0] is "+in.Interpreter)
	}
	return strings.Join(parts, "; ")
}
