// Package file puts files the recipe owns in place: content written in
// the recipe or a source file beside it (with ${vars} expanded when asked),
// with a mode. A file envup did not write is kept as <dest>.envup-backup
// the first time envup replaces it.
package file

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// BackupSuffix names the copy kept of a file envup replaced.
const BackupSuffix = ".envup-backup"

// defaultMode is a file's mode when the recipe gives none.
const defaultMode fs.FileMode = 0o644

// File is a resource for one file the recipe owns.
type File struct {
	dest    string // as the recipe wrote it: "~/lab/seats.py"
	path    string // on the host: "/home/lab/lab/seats.py"
	content *string
	source  string // on this machine, absolute
	srcName string // as the recipe wrote it, for messages
	vars    map[string]string
	expand  bool
	mode    fs.FileMode
	noMode  bool   // Windows: modes are not compared
	ledger  string // where envup notes what it wrote; "" keeps no notes
	srcSys  system.System
}

var _ install.Typed[*State] = (*File)(nil)

// Option changes how a File works.
type Option func(*File)

// ReadSourcesFrom makes Observe read the recipe's source files through
// sys rather than through the System it observes the host with. A plan
// for another platform observes system.Absent, where no file exists, but
// the recipe's files are on this machine: the planner passes a System for
// this machine (system.NewReadOnly(system.NewReal())).
func ReadSourcesFrom(sys system.System) Option {
	return func(f *File) { f.srcSys = sys }
}

// New returns the resource that puts f at dest. dest is a files key:
// absolute, or starting with ~ for p.Home. A source is relative to
// recipeDir. vars are the recipe's, expanded in the source when f.Vars.
func New(dest string, f *recipe.File, recipeDir string, vars map[string]string, p detect.Platform, opts ...Option) (*File, error) {
	if f == nil {
		return nil, fmt.Errorf("file %s: no content or source", dest)
	}
	if (f.Content == nil) == (f.Source == "") {
		return nil, fmt.Errorf("file %s: give content or source, not both or neither", dest)
	}
	path := expandHome(dest, p)
	// A --platform host's home is the placeholder "~": its paths stay so.
	if !isAbs(path) && !(p.Home == "~" && strings.HasPrefix(path, "~")) {
		return nil, fmt.Errorf("file %s: the destination must be an absolute path or start with ~", dest)
	}
	mode, err := parseMode(f.Mode)
	if err != nil {
		return nil, fmt.Errorf("file %s: %w", dest, err)
	}
	r := &File{
		dest: dest, path: path, content: f.Content, vars: vars, expand: f.Vars, mode: mode,
		noMode: p.OS == "windows",
	}
	if f.Source != "" {
		r.srcName = f.Source
		r.source = f.Source
		if !filepath.IsAbs(r.source) {
			r.source = filepath.Join(recipeDir, filepath.FromSlash(f.Source))
		}
	}
	if p.Dirs.State != "" {
		r.ledger = p.Join(p.Dirs.State, ledgerName)
	}
	for _, o := range opts {
		o(r)
	}
	return r, nil
}

// ID is "file/" and the destination as the recipe wrote it.
func (r *File) ID() install.ID { return install.ID{Kind: "file", Name: r.path} }

// Path is the destination on the host.
func (r *File) Path() string { return r.path }

// State is what Observe saw at the destination, and what belongs there.
type State struct {
	Path     string      `json:"path"`
	Exists   bool        `json:"exists"`
	Mode     fs.FileMode `json:"mode,omitempty"`    // the permission bits there
	Differs  bool        `json:"differs,omitempty"` // content differs
	Lines    int         `json:"lines,omitempty"`   // how many lines differ
	WantMode fs.FileMode `json:"want_mode"`         // the mode the recipe wants
	Ours     bool        `json:"ours,omitempty"`    // envup wrote what is there
	Backup   bool        `json:"backup,omitempty"`  // a backup is already kept
	ModeOnly bool        `json:"-"`                 // only the mode differs
	Want     []byte      `json:"-"`                 // the content that belongs there
	noMode   bool
}

// Observe reads the destination and the content the recipe wants there.
func (r *File) Observe(_ context.Context, sys system.System) (*State, error) {
	want, err := r.want(sys)
	if err != nil {
		return nil, err
	}
	st := &State{Path: r.path, WantMode: r.mode, Want: want, noMode: r.noMode}
	fi, err := sys.Stat(r.path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory", r.path)
	}
	have, err := sys.ReadFile(r.path)
	if err != nil {
		return nil, err
	}
	st.Exists, st.Mode = true, fi.Mode().Perm()
	if string(have) != string(want) {
		st.Differs, st.Lines = true, linesDiffering(have, want)
		st.Ours = r.wrote(sys, have)
		if _, err := sys.Lstat(r.path + BackupSuffix); err == nil {
			st.Backup = true
		}
	}
	st.ModeOnly = !st.Differs && st.modeDiffers()
	return st, nil
}

func (st *State) modeDiffers() bool { return !st.noMode && st.Exists && st.Mode != st.WantMode }

// want is the content that belongs at the destination.
func (r *File) want(sys system.System) ([]byte, error) {
	if r.content != nil {
		return []byte(*r.content), nil
	}
	if r.srcSys != nil {
		sys = r.srcSys
	}
	data, err := sys.ReadFile(r.source)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	if !r.expand {
		return data, nil
	}
	return expandVars(data, r.vars, r.srcName)
}

// Diff says whether the file is absent, differs, or has another mode.
func (r *File) Diff(st *State) []install.Change {
	if st == nil {
		return nil
	}
	var why []string
	switch {
	case !st.Exists:
		return []install.Change{{Action: install.Create, Subject: r.dest, Why: "absent"}}
	case st.Differs && st.Lines == 1:
		why = append(why, "content differs (1 line)")
	case st.Differs:
		why = append(why, fmt.Sprintf("content differs (%d lines)", st.Lines))
	}
	if st.modeDiffers() {
		why = append(why, fmt.Sprintf("mode %04o, want %04o", st.Mode, st.WantMode))
	}
	if len(why) == 0 {
		return nil
	}
	return []install.Change{{Action: install.Update, Subject: r.dest, Why: strings.Join(why, "; ")}}
}

// Apply writes the file atomically, or only changes its mode when the
// content is already right. Replacing a file envup did not write keeps it
// as <dest>.envup-backup first, unless a backup is already there: the
// first backup is the user's original and is never overwritten.
func (r *File) Apply(_ context.Context, sys system.System, st *State) error {
	if st.ModeOnly {
		if err := sys.Chmod(r.path, r.mode); err != nil {
			return fmt.Errorf("chmod: %w", err)
		}
		return nil
	}
	if st.Exists && !st.Differs {
		return nil
	}
	if st.Differs && !st.Ours && !st.Backup {
		old, err := sys.ReadFile(r.path)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		if err := sys.WriteFile(r.path+BackupSuffix, old, st.Mode); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	if err := sys.WriteFile(r.path, st.Want, r.mode); err != nil {
		return err
	}
	if err := r.note(sys, st.Want); err != nil {
		return fmt.Errorf("note what was written: %w", err)
	}
	return nil
}

// parseMode reads an octal mode, "0644", "644" or "0o644"; empty is 0644.
func parseMode(s string) (fs.FileMode, error) {
	if s == "" {
		return defaultMode, nil
	}
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "0o"), "0O")
	n, err := strconv.ParseUint(digits, 8, 32)
	if err != nil || n > 0o777 {
		return 0, fmt.Errorf("mode %q: want an octal permission such as \"0644\"", s)
	}
	return fs.FileMode(n), nil
}

// sum is the hex sha256 of data.
func sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}
