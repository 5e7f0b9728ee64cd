package editor

import (
	"context"
	"errors"
	"fmt"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Sublime is the resource for Sublime Text's user preferences,
// Packages/User/Preferences.sublime-settings, merged like VS Code's
// settings.json. It is Sublime Text 4's data directory ("sublime-text" on
// Linux, "Sublime Text" elsewhere); Sublime Text 3 kept its own
// ("sublime-text-3", "Sublime Text 3") and is not written.
type Sublime struct {
	needing  // the virtualenvs its settings name
	settings *jsoncFile
}

var _ install.Typed[*JSONCState] = (*Sublime)(nil)

// NewSublime returns the resource for spec's settings on p.
func NewSublime(spec *recipe.Editor, p detect.Platform) (*Sublime, error) {
	if spec == nil {
		spec = &recipe.Editor{}
	}
	if p.Dirs.Config == "" {
		return nil, errors.New("sublime: no config directory for this host")
	}
	dir := "Sublime Text"
	if p.OS == "linux" {
		dir = "sublime-text"
	}
	wants, err := jsoncWants(spec.Settings)
	if err != nil {
		return nil, fmt.Errorf("sublime: %w", err)
	}
	path := p.Join(p.Dirs.Config, dir, "Packages", "User", "Preferences.sublime-settings")
	return &Sublime{settings: &jsoncFile{path: path, wants: wants}}, nil
}

// ID is "editor/sublime".
func (r *Sublime) ID() install.ID { return install.ID{Kind: "editor", Name: "sublime"} }

// Path is where the preferences file is on the host.
func (r *Sublime) Path() string { return r.settings.path }

// Observe reads the preferences; an absent file is an empty object.
func (r *Sublime) Observe(_ context.Context, sys system.System) (*JSONCState, error) {
	return r.settings.observe(sys)
}

// Diff is one change per owned key that differs.
func (r *Sublime) Diff(st *JSONCState) []install.Change {
	if st == nil {
		return nil
	}
	return r.settings.diff(st)
}

// Apply merges the owned keys in, keeping a one-time backup.
func (r *Sublime) Apply(ctx context.Context, sys system.System, st *JSONCState) error {
	return r.settings.apply(ctx, sys, st)
}
