// Package userpath puts envup's bin dir on the user's PATH on Windows.
// A new console takes its PATH from the registry: the machine's Path, then
// the user's, HKCU\Environment "Path". envup adds its bin dir at the front
// of the user's value (as rustup does; uv and pipx add theirs too), so a
// terminal opened after apply runs the python envup installed, ahead of
// the Microsoft Store's python alias, which is a user Path entry as well.
// Nothing else in the value is touched, and its type (REG_EXPAND_SZ, as
// Windows makes it) is kept.
package userpath

import (
	"context"
	"errors"
	"io/fs"
	"regexp"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

// Key and Name are where Windows keeps the user's own PATH.
const (
	Key  = `HKCU\Environment`
	Name = "Path"
)

// Entry is the resource: the bin dir of p on the user's PATH.
type Entry struct {
	bin string
}

var _ install.Typed[*State] = (*Entry)(nil)

// New returns the resource for host p's bin dir.
func New(p detect.Platform) *Entry { return &Entry{bin: p.Dirs.Bin} }

// ID is "path/bin".
func (*Entry) ID() install.ID { return install.ID{Kind: "path", Name: "bin"} }

// State is the user's Path as Observe read it.
type State struct {
	Value  system.RegValue `json:"value"`
	Absent bool            `json:"absent,omitempty"` // no Path value at all
	Has    bool            `json:"has_bin"`
}

// Observe reads the user's Path and looks for the bin dir in it, each
// entry with its %VARIABLES% expanded, ignoring case and a trailing \.
func (e *Entry) Observe(_ context.Context, sys system.System) (*State, error) {
	v, err := sys.Registry(Key, Name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &State{Absent: true}, nil
	case err != nil:
		return nil, err
	}
	return &State{Value: v, Has: contains(sys, v.Data, e.bin)}, nil
}

// Diff says the bin dir is missing from the PATH.
func (e *Entry) Diff(st *State) []install.Change {
	if st == nil || st.Has {
		return nil
	}
	return []install.Change{{Action: install.Update, Subject: e.bin, Why: "not on your PATH (" + Key + `\` + Name + "): terminals opened after apply find envup's programs"}}
}

// Apply puts the bin dir first in the user's Path.
func (e *Entry) Apply(_ context.Context, sys system.System, st *State) error {
	v := system.RegValue{Data: e.bin, Expand: true}
	if !st.Absent {
		v.Expand = st.Value.Expand
		if rest := strings.Trim(st.Value.Data, ";"); rest != "" {
			v.Data += ";" + rest
		}
	}
	return sys.SetRegistry(Key, Name, v)
}

var envRef = regexp.MustCompile(`%([^%;]+)%`)

// contains says whether list, a ;-separated Path value, names dir.
func contains(sys system.System, list, dir string) bool {
	want := detect.PathOn("windows", dir)
	for _, entry := range strings.Split(list, ";") {
		entry = envRef.ReplaceAllStringFunc(entry, func(ref string) string {
			if v := sys.Getenv(strings.Trim(ref, "%")); v != "" {
				return v
			}
			return ref
		})
		// a Path entry may be quoted, and spaced after its ;
		if want.Equal(detect.PathOn("windows", strings.TrimSpace(strings.Trim(entry, `"`)))) {
			return true
		}
	}
	return false
}
