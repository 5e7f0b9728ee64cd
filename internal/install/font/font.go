// Package font installs a font file for the user: from a download (with
// its sha256) or a file beside the recipe, into the per-user fonts folder
// of the host's OS, registered where the OS needs it (fontconfig's cache
// on Linux, an HKCU value on Windows). The recipe's key is the family
// name editors are told to use, so a file whose own family differs is
// said so.
package font

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path"
	"path/filepath"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// mode is an installed font's mode.
const mode fs.FileMode = 0o644

// Options are what every font resource of a run shares.
type Options = install.Options

// Font is one recipe fonts entry.
type Font struct {
	family string // the recipe's key
	url    string
	sha256 string // lowercase hex; from the recipe, "" for a path without one
	source string // a path on this machine, absolute or relative to the working dir
	file   string // the installed file's name
	p      detect.Platform
	opts   Options
}

var _ install.Typed[*State] = (*Font)(nil)

// New returns the resource for the fonts entry family. A path is relative
// to recipeDir.
func New(family string, spec *recipe.Font, recipeDir string, p detect.Platform, opts Options) (*Font, error) {
	if spec == nil || (spec.URL == "") == (spec.Path == "") {
		return nil, fmt.Errorf("font %q: give url or path, not both or neither", family)
	}
	r := &Font{family: family, url: spec.URL, sha256: strings.ToLower(spec.SHA256), p: p, opts: opts}
	if r.opts.Log == nil {
		r.opts.Log = io.Discard
	}
	if r.sha256 != "" && !isSHA256(r.sha256) {
		return nil, fmt.Errorf("font %q: sha256 %q is not 64 hex digits", family, spec.SHA256)
	}
	if spec.URL != "" {
		if r.sha256 == "" {
			return nil, fmt.Errorf("font %q: a url needs its sha256", family)
		}
		u, err := url.Parse(spec.URL)
		if err != nil {
			return nil, fmt.Errorf("font %q: url: %w", family, err)
		}
		r.file = path.Base(u.Path)
	} else {
		r.source = spec.Path
		if !filepath.IsAbs(r.source) {
			r.source = filepath.Join(recipeDir, filepath.FromSlash(spec.Path))
		}
		r.file = filepath.Base(r.source)
	}
	switch strings.ToLower(r.ext()) {
	case ".ttf", ".otf", ".ttc", ".otc":
	default:
		return nil, fmt.Errorf("font %q: %s is not a .ttf, .otf, .ttc or .otc file", family, r.from())
	}
	if p.Home == "" && (p.OS != "windows" || perUser(p.Version)) {
		return nil, fmt.Errorf("font %q: the host has no home folder to install into", family)
	}
	return r, nil
}

// ID is "font/" and the family.
func (r *Font) ID() install.ID { return install.ID{Kind: "font", Name: r.family} }

func (r *Font) ext() string { return path.Ext(r.file) }

// from is where the font comes from, for messages.
func (r *Font) from() string {
	if r.url != "" {
		return r.url
	}
	return r.source
}

// State is what Observe saw where the font goes.
type State struct {
	Path    string `json:"path"`
	Exists  bool   `json:"exists"`
	Differs bool   `json:"differs,omitempty"` // a file is there with other content
	SHA256  string `json:"sha256"`            // of the font the recipe wants
	Admin   bool   `json:"needs_admin,omitempty"`
	// Windows: whether the registry value that installs the font names
	// its file (a file without its value is no font to Windows), and
	// what the value holds when it names another.
	Registered bool   `json:"registered,omitempty"`
	RegData    string `json:"registry_data,omitempty"`

	place    place
	regFound bool   // the value is there, naming the file or not
	data     []byte // the font, when it is read from a path
}

// Observe hashes the installed file, if any, and compares it with the
// recipe's font; on Windows it reads the registry value that installs
// it. It spawns nothing.
func (r *Font) Observe(_ context.Context, sys system.System) (*State, error) {
	pl := r.where(sys)
	st := &State{Path: pl.path, SHA256: r.sha256, Admin: pl.admin && !r.p.Admin, place: pl}
	if r.source != "" {
		data, err := r.read(sys)
		if err != nil {
			return nil, err
		}
		st.data, st.SHA256 = data, sum(data)
	}
	if pl.regKey != "" {
		v, err := sys.Registry(pl.regKey, pl.regName)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return nil, fmt.Errorf("read the font's registry value: %w", err)
		default:
			st.regFound = true
			// Windows paths ignore case
			st.Registered = strings.EqualFold(v.Data, pl.regData)
			if !st.Registered {
				st.RegData = v.Data
			}
		}
	}
	have, err := sys.ReadFile(pl.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return st, nil
	case err != nil:
		return nil, err
	}
	st.Exists = true
	st.Differs = sum(have) != st.SHA256
	return st, nil
}

// read reads the font given by path, on this machine.
func (r *Font) read(sys system.System) ([]byte, error) {
	if r.opts.Recipe != nil {
		sys = r.opts.Recipe
	}
	data, err := sys.ReadFile(r.source)
	if err != nil {
		return nil, fmt.Errorf("path: %w", err)
	}
	if r.sha256 != "" && sum(data) != r.sha256 {
		return nil, fmt.Errorf("path %s: sha256 is %s, the recipe says %s", r.source, sum(data), r.sha256)
	}
	return data, nil
}

// Diff says whether the font is absent, another file is in its place,
// or (on Windows) the file is right but its registry value is missing or
// names another file. Only the first of these is said: apply mends all.
func (r *Font) Diff(st *State) []install.Change {
	if st == nil {
		return nil
	}
	var c install.Change
	switch {
	case !st.Exists:
		c = install.Change{Action: install.Create, Subject: st.Path, Why: "absent"}
	case st.Differs:
		c = install.Change{Action: install.Update, Subject: st.Path, Why: "differs"}
	case r.unregistered(st):
		key, name := st.place.regKey, st.place.regName
		why := fmt.Sprintf("not registered (%s %q missing)", key, name)
		if st.regFound {
			why = fmt.Sprintf(`registered as another file (%s %q is "%s")`, key, name, st.RegData)
		}
		c = install.Change{Action: install.Update, Subject: st.Path, Why: why}
	default:
		return nil
	}
	if st.Admin {
		c.Why += "; " + r.adminNote()
	}
	return []install.Change{c}
}

// unregistered says whether the font's place has a registry value that
// does not name its file.
func (r *Font) unregistered(st *State) bool {
	return st.place.regKey != "" && !st.Registered
}

func (r *Font) adminNote() string {
	return fmt.Sprintf("needs an administrator: Windows %s installs fonts only for all users (per-user fonts came with 10 1809)", r.p.Version)
}

// Apply writes what is missing: the font, atomically, unless the right
// file is there already, then its registration (fc-cache on Linux after
// a write, the registry value on Windows unless it names the file). A plan
// records the same steps; only a real apply on Windows before 10 1809
// without admin rights fails, since the plan has said so already.
func (r *Font) Apply(ctx context.Context, sys system.System, st *State) error {
	if st.Admin {
		// Only an elevated envup writes %WINDIR%\Fonts: a proof, which a
		// plan records and an apply runs.
		err := sys.Prove(ctx, "envup runs as an administrator", func(context.Context) error {
			return fmt.Errorf("%s; run envup elevated", r.adminNote())
		})
		if err != nil {
			return err
		}
	}
	if !st.Exists || st.Differs {
		if err := r.write(ctx, sys, st); err != nil {
			return err
		}
	} else if !r.unregistered(st) {
		return nil
	}
	return r.register(ctx, sys, st)
}

// write puts the font's file in its place: once it is there, the font is
// done (Intent.Done).
func (r *Font) write(ctx context.Context, sys system.System, st *State) error {
	data, err := r.fetch(ctx, sys, st)
	if err != nil {
		return err
	}
	if data != nil {
		if err := r.checkFamily(data); err != nil {
			return err
		}
	}
	in := system.Intent{Done: st.place.path}
	if st.place.admin {
		in.Admin = "it writes into the Windows folder"
	}
	return system.Intend(sys, in).WriteFile(st.place.path, data, mode)
}

// fetch returns the font's bytes. A plan does not download, so for a url
// it has none: its System does not see the download's bytes.
func (r *Font) fetch(ctx context.Context, sys system.System, st *State) ([]byte, error) {
	if r.url == "" {
		return st.data, nil
	}
	name, err := sys.Download(ctx, r.url, r.sha256)
	if err != nil {
		return nil, err
	}
	data, err := sys.ReadFile(name)
	if errors.Is(err, system.ErrNotObserved) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the download: %w", err)
	}
	return data, nil
}

// checkFamily fails when data is not a font, and says so when the
// font's family is not the recipe's key: editors are told the key.
func (r *Font) checkFamily(data []byte) error {
	names, err := families(data)
	if err != nil {
		return fmt.Errorf("%s: %w", r.from(), err)
	}
	for _, n := range names {
		if strings.EqualFold(n, r.family) {
			return nil
		}
	}
	fmt.Fprintf(r.opts.Log, "font %q: the file's family is %q; editors need the family name\n", r.family, names[0])
	return nil
}

// register makes the OS see the font: on Windows the registry value
// (REG_SZ), written through the System, never by a reg process, which
// could be any reg on the PATH; on Linux fontconfig's cache.
func (r *Font) register(ctx context.Context, sys system.System, st *State) error {
	pl := st.place
	if pl.regKey != "" {
		if st.Registered {
			return nil
		}
		set := sys
		if pl.admin {
			set = system.Intend(sys, system.Intent{Admin: "it writes to HKEY_LOCAL_MACHINE"})
		}
		if err := set.SetRegistry(pl.regKey, pl.regName, system.RegValue{Data: pl.regData}); err != nil {
			return fmt.Errorf("register the font: %w", err)
		}
		return nil
	}
	if !pl.fcCache {
		return nil
	}
	if _, err := sys.LookPath("fc-cache"); err != nil && !errors.Is(err, system.ErrNotObserved) {
		fmt.Fprintf(r.opts.Log, "font %q: fc-cache is not on the PATH; programs see the font once fontconfig's cache is rebuilt\n", r.family)
		return nil
	}
	if _, err := sys.Run(ctx, system.Cmd{Argv: []string{"fc-cache", "-f", pl.dir}}); err != nil {
		return fmt.Errorf("refresh the font cache: %w", err)
	}
	return nil
}

func sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

func isSHA256(s string) bool {
	if len(s) != sha256.Size*2 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
