// Package editor sets editors' settings the way a recipe wants them,
// changing only what the recipe owns: the keys it names in VS Code's and
// Sublime Text's JSONC settings, and in a language block ("[python]") the
// keys it names there (comments, order and every other key survive), a
// marked block in a Vim or Neovim init file, and JetBrains
// IDE options. Every settings file is written atomically, and the first
// time envup changes one the user's original is kept beside it as
// <file>.envup-backup; a file that does not parse is an error naming its
// line and column, and is left as it is.
package editor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// vscodeFlavor is one build of VS Code: its folder under the user's config
// directory, its command-line program and its macOS app bundle.
type vscodeFlavor struct {
	dir, cli, app string
}

var vscodeFlavors = map[string]vscodeFlavor{
	"code":     {dir: "Code", cli: "code", app: "Visual Studio Code.app"},
	"insiders": {dir: "Code - Insiders", cli: "code-insiders", app: "Visual Studio Code - Insiders.app"},
	"vscodium": {dir: "VSCodium", cli: "codium", app: "VSCodium.app"},
}

// VSCode is the resource for VS Code's user settings.json and extensions.
//
// Extensions are installed through the flavor's CLI (code, code-insiders,
// codium). When it cannot be found, the plan says so as a change on the
// subject "extensions" every time, since what the recipe wants is not
// there; Apply then changes the settings alone and returns no error for
// the extensions, so one missing CLI does not fail a whole apply.
type VSCode struct {
	needing    // the virtualenvs its settings name
	flavor     vscodeFlavor
	settings   *jsoncFile
	extensions []string
	os, home   string
}

var _ interface {
	install.Typed[*VSCodeState]
	install.Describer[*VSCodeState]
} = (*VSCode)(nil)

// NewVSCode returns the resource for spec on p: settings.json under the
// user's config directory in the flavor's folder (Code, Code - Insiders,
// VSCodium), and the extensions spec names.
func NewVSCode(spec *recipe.Editor, p detect.Platform) (*VSCode, error) {
	if spec == nil {
		spec = &recipe.Editor{}
	}
	name := spec.Flavor
	if name == "" {
		name = "code"
	}
	flavor, ok := vscodeFlavors[name]
	if !ok {
		return nil, fmt.Errorf("vscode: flavor %q: want code, insiders or vscodium", spec.Flavor)
	}
	if p.Dirs.Config == "" {
		return nil, errors.New("vscode: no config directory for this host")
	}
	wants, err := jsoncWants(spec.Settings)
	if err != nil {
		return nil, fmt.Errorf("vscode: %w", err)
	}
	return &VSCode{
		flavor:     flavor,
		settings:   &jsoncFile{path: p.Join(p.Dirs.Config, flavor.dir, "User", "settings.json"), wants: wants},
		extensions: spec.Extensions,
		os:         p.OS,
		home:       p.Home,
	}, nil
}

// ID is "editor/vscode".
func (r *VSCode) ID() install.ID { return install.ID{Kind: "editor", Name: "vscode"} }

// Path is where settings.json is on the host.
func (r *VSCode) Path() string { return r.settings.path }

// VSCodeState is what Observe saw: the settings, and the extensions when
// the recipe names any.
type VSCodeState struct {
	Settings *JSONCState `json:"settings"`
	CLI      string      `json:"cli,omitempty"`     // the CLI found; "" when not found or not needed
	Missing  []string    `json:"missing,omitempty"` // extensions the recipe names that are not installed
	NoCLI    bool        `json:"no_cli,omitempty"`  // the recipe names extensions but the CLI is not there
}

// Observe reads settings.json and, only when the recipe names extensions,
// lists the installed ones with `code --list-extensions`.
func (r *VSCode) Observe(ctx context.Context, sys system.System) (*VSCodeState, error) {
	settings, err := r.settings.observe(sys)
	if err != nil {
		return nil, err
	}
	st := &VSCodeState{Settings: settings}
	if len(r.extensions) == 0 {
		return st, nil
	}
	st.CLI = r.findCLI(sys)
	if st.CLI == "" {
		st.NoCLI = true
		return st, nil
	}
	argv := []string{st.CLI, "--list-extensions"}
	res, err := sys.Query(ctx, system.Cmd{Argv: argv})
	if err != nil {
		return nil, fmt.Errorf("list extensions: %w", err)
	}
	installed := map[string]bool{}
	for _, line := range strings.Split(string(res.Stdout), "\n") {
		if id := strings.TrimSpace(line); id != "" {
			installed[strings.ToLower(id)] = true // ids are case-insensitive
		}
	}
	for _, id := range r.extensions {
		if !installed[strings.ToLower(id)] {
			st.Missing = append(st.Missing, id)
		}
	}
	return st, nil
}

// findCLI is the flavor's CLI: on the PATH, or on macOS inside the app
// bundle, where it is until the user runs "Install 'code' command in PATH".
func (r *VSCode) findCLI(sys system.System) string {
	if path, err := sys.LookPath(r.flavor.cli); err == nil {
		return path
	}
	if r.os != "macos" {
		return ""
	}
	for _, apps := range []string{"/Applications", detect.PathOn(r.os, r.home).Join("Applications").String()} {
		path := detect.PathOn(r.os, apps).Join(r.flavor.app, "Contents", "Resources", "app", "bin", r.flavor.cli).String()
		if fi, err := sys.Stat(path); err == nil && !fi.IsDir() {
			return path
		}
	}
	return ""
}

// Diff is one change per owned key that differs, one per missing
// extension, and one saying the CLI is missing when it is.
func (r *VSCode) Diff(st *VSCodeState) []install.Change {
	if st == nil {
		return nil
	}
	changes := r.settings.diff(st.Settings)
	if st.NoCLI {
		changes = append(changes, install.Change{
			Action: install.Create, Subject: "extensions",
			Why: r.flavor.cli + " CLI not found: install VS Code or add it to PATH",
		})
	}
	for _, id := range st.Missing {
		changes = append(changes, install.Change{Action: install.Create, Subject: "extension " + id, Why: "not installed"})
	}
	return changes
}

// Apply merges the owned keys into settings.json and installs each
// missing extension with `code --install-extension ID`. Without the CLI
// it leaves the extensions alone (the plan said why).
func (r *VSCode) Apply(ctx context.Context, sys system.System, st *VSCodeState) error {
	if err := r.settings.apply(ctx, sys, st.Settings); err != nil {
		return err
	}
	for _, id := range st.Missing {
		if _, err := sys.Run(ctx, system.Cmd{Argv: []string{st.CLI, "--install-extension", id}}); err != nil {
			return fmt.Errorf("extension %s: %w", id, err)
		}
	}
	return nil
}

// Describe says where the settings are, for `plan -v`.
func (r *VSCode) Describe(st *VSCodeState) string {
	if st == nil {
		return r.settings.path
	}
	s := r.settings.path
	if st.NoCLI {
		s += "; " + r.flavor.cli + " CLI not found, extensions not checked"
	}
	return s
}

// vscodeExists reports whether name is there, a file or a directory.
func vscodeExists(sys system.System, name string) (bool, error) {
	_, err := sys.Stat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}
