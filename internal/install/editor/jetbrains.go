package editor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/file"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// JetBrains is the settings of one JetBrains IDE (PyCharm, IDEA, GoLand,
// …): the editor font and option values in the XML files under the
// config directory's options/ folder, merged so that everything the
// recipe does not own stays as it is.
//
// The IDE keeps these settings in memory and writes them back when it
// exits (PLATFORMS.md §7.1, [U]), so a change made while it runs can be
// overwritten: close the IDE before `envup apply`.
//
// When the product has no config directory and the recipe names no
// version, there is nothing to merge into: the IDE has never run, and
// writing a directory for a guessed version would be read by nothing.
// The plan cannot know this before observing (Skip is asked first), so
// Observe returns a state with no directory, Diff is empty (the resource
// is unchanged and apply touches nothing), and Describe says why.
type JetBrains struct {
	needing // the virtualenvs its settings name
	key     string
	product jbProduct
	version jbVersion // the recipe's version:; zero for the newest found
	font    []jbSetting
	options map[string][]jbSetting // file name under options/ → settings
	p       detect.Platform
}

var _ interface {
	install.Typed[*JetBrainsState]
	install.Describer[*JetBrainsState]
	install.Nothinger[*JetBrainsState]
} = (*JetBrains)(nil)

// jbFontComponent is the component IntelliJ keeps the editor font in
// (AppEditorFontOptions, @State(name = "DefaultFont")).
const jbFontComponent = "DefaultFont"

// jbFontFileSwitch is the first release certain to keep DefaultFont in
// options/editor-font.xml. IntelliJ's sources show the move during 2021
// (AppEditorFontOptions storages {editor-font.xml, editor.xml deprecated});
// before, it lived in editor.xml. A release with the new storage still
// reads the deprecated one when the new file is absent.
var jbFontFileSwitch = jbVersion{2022, 1}

// NewJetBrains returns the resource for editors.<key>, a JetBrains IDE
// such as pycharm, pycharm-ce, idea, idea-ce or goland.
func NewJetBrains(key string, spec *recipe.Editor, p detect.Platform) (*JetBrains, error) {
	prod, ok := jbProducts[key]
	if !ok {
		return nil, fmt.Errorf("editor %s: not a JetBrains IDE (%s)", key, strings.Join(slices.Sorted(maps.Keys(jbProducts)), ", "))
	}
	if spec == nil {
		return nil, fmt.Errorf("editor %s: no settings", key)
	}
	r := &JetBrains{key: key, product: prod, options: map[string][]jbSetting{}, p: p}
	if spec.Version != "" {
		v, ok := jbParseVersion(spec.Version)
		if !ok {
			return nil, fmt.Errorf("editor %s: version %q: want year.release, as in 2024.3", key, spec.Version)
		}
		r.version = v
	}
	font, err := jbFontSettings(spec.Font)
	if err != nil {
		return nil, fmt.Errorf("editor %s: font: %w", key, err)
	}
	r.font = font
	for name, comps := range spec.Options {
		if err := jbCheckFileName(name); err != nil {
			return nil, fmt.Errorf("editor %s: options: %w", key, err)
		}
		for comp, opts := range comps {
			for opt, val := range opts {
				if comp == "" || opt == "" {
					return nil, fmt.Errorf("editor %s: options: %s: a component or option name is empty", key, name)
				}
				for _, t := range []string{comp, opt, val} {
					if err := jbCheckText(t); err != nil {
						return nil, fmt.Errorf("editor %s: options: %s %s.%s: %w", key, name, comp, opt, err)
					}
				}
				if (name == "editor-font.xml" || name == "editor.xml") && comp == jbFontComponent {
					if i := slices.IndexFunc(font, func(s jbSetting) bool { return s.option == opt }); i >= 0 && font[i].value != val {
						return nil, fmt.Errorf("editor %s: options: %s %s.%s is %q, but font sets it to %q", key, name, comp, opt, val, font[i].value)
					}
				}
				r.options[name] = append(r.options[name], jbSetting{comp, opt, val})
			}
		}
	}
	for _, s := range r.options {
		slices.SortFunc(s, func(a, b jbSetting) int {
			return strings.Compare(a.component+"\x00"+a.option, b.component+"\x00"+b.option)
		})
	}
	if len(r.font) == 0 && len(r.options) == 0 {
		return nil, fmt.Errorf("editor %s: nothing to set: give font or options", key)
	}
	return r, nil
}

// jbFontSettings are the DefaultFont options a recipe's font sets, written
// as IntelliJ writes them (Java's int, float and boolean toString) and in
// the order of AppEditorFontOptions.PersistentFontPreferences' fields, the
// order the IDE writes them in. FONT_SIZE_2D is the fractional size newer
// releases read first (a corpus file has FONT_SIZE 18 beside FONT_SIZE_2D
// 17.6), so it follows size; older releases ignore it. Ligatures are
// USE_LIGATURES, the field's name. A new family also drops the weights
// (sub-families) of the old one: see jbSubFamilies.
func jbFontSettings(f *recipe.EditorFont) ([]jbSetting, error) {
	if f == nil {
		return nil, nil
	}
	var s []jbSetting
	add := func(opt, val string) { s = append(s, jbSetting{jbFontComponent, opt, val}) }
	switch {
	case f.Size < 0:
		return nil, fmt.Errorf("size %d: want a positive number", f.Size)
	case f.Size > 0:
		add("FONT_SIZE", strconv.Itoa(f.Size))
		add("FONT_SIZE_2D", strconv.Itoa(f.Size)+".0")
	}
	if f.Family != "" {
		if err := jbCheckText(f.Family); err != nil {
			return nil, fmt.Errorf("family: %w", err)
		}
		add("FONT_FAMILY", f.Family)
	}
	switch {
	case f.LineSpacing < 0:
		return nil, fmt.Errorf("line_spacing %g: want a positive number", f.LineSpacing)
	case f.LineSpacing > 0:
		add("LINE_SPACING", jbFloat(f.LineSpacing))
	}
	if f.Ligatures != nil {
		add("USE_LIGATURES", strconv.FormatBool(*f.Ligatures))
	}
	if len(s) == 0 {
		return nil, errors.New("give family, size, line_spacing or ligatures")
	}
	return s, nil
}

// jbFloat writes x as Java's Float.toString does for everyday values:
// 1.2 stays "1.2", 1 is "1.0".
func jbFloat(x float64) string {
	s := strconv.FormatFloat(float64(float32(x)), 'f', -1, 32)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// jbCheckFileName accepts a plain file name under options/: "other.xml".
func jbCheckFileName(name string) error {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." || !strings.HasSuffix(name, ".xml") {
		return fmt.Errorf("%q: want a file name under options/, such as \"editor.xml\"", name)
	}
	return nil
}

// ID is "editor/" and the recipe's key: editor/pycharm.
func (r *JetBrains) ID() install.ID { return install.ID{Kind: "editor", Name: r.key} }

// JetBrainsState is what Observe saw: the config directory chosen and,
// per options file, what differs from the recipe.
type JetBrainsState struct {
	Product string   `json:"product"`           // "PyCharm"
	Version string   `json:"version,omitempty"` // "2024.3"
	Dir     string   `json:"dir,omitempty"`     // empty: no settings found and no version given
	Found   []string `json:"found,omitempty"`   // every config dir of the product, newest first
	files   []jbFile
}

// jbFile is one options file and what the recipe wants in it.
type jbFile struct {
	name, path string
	settings   []jbSetting
	edits      []jbEdit
}

// Observe finds the config directory (the recipe's version, else the
// newest found) and reads each options file the recipe sets values in.
// A file that does not parse fails the observation, naming the file and
// line, so nothing is written to it.
func (r *JetBrains) Observe(_ context.Context, sys system.System) (*JetBrainsState, error) {
	st := &JetBrainsState{Product: r.product.name}
	dirs, err := jbConfigDirs(sys, r.p, r.product.prefix)
	if err != nil {
		return nil, err
	}
	for _, d := range dirs {
		st.Found = append(st.Found, d.path)
	}
	v := r.version
	switch {
	case v != jbVersion{}:
		st.Dir = jbDirFor(r.p, r.product.prefix, v)
		if st.Dir == "" {
			return nil, fmt.Errorf("no home or config directory known for this host, so no place for %s %s settings", r.product.name, v)
		}
	case len(dirs) > 0:
		v, st.Dir = dirs[0].version, dirs[0].path
	default:
		return st, nil
	}
	st.Version = v.String()
	fontFile, err := r.fontFile(sys, st.Dir, v)
	if err != nil {
		return nil, err
	}
	want := maps.Clone(r.options)
	if len(r.font) > 0 {
		want[fontFile] = append(slices.Clone(r.font), want[fontFile]...)
	}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		f := jbFile{name: name, path: r.p.Join(st.Dir, "options", name), settings: want[name]}
		data, err := jbRead(sys, f.path)
		if err != nil {
			return nil, err
		}
		if _, f.edits, err = jbMerge(data, f.settings); err != nil {
			return nil, jbAt(f.path, err)
		}
		st.files = append(st.files, f)
	}
	return st, nil
}

// fontFile is the options file DefaultFont goes in: editor-font.xml when
// it is there, editor.xml when that already holds DefaultFont (an older
// IDE, or a newer one yet to migrate it), else by version.
func (r *JetBrains) fontFile(sys system.System, dir string, v jbVersion) (string, error) {
	if _, err := sys.Stat(r.p.Join(dir, "options", "editor-font.xml")); err == nil {
		return "editor-font.xml", nil
	}
	legacy := r.p.Join(dir, "options", "editor.xml")
	data, err := jbRead(sys, legacy)
	if err != nil {
		return "", err
	}
	if data != nil {
		doc, err := jbParse(data)
		if err != nil {
			return "", jbAt(legacy, err)
		}
		if jbChild(doc.root, "component", jbFontComponent) != nil {
			return "editor.xml", nil
		}
	}
	if v.compare(jbFontFileSwitch) < 0 {
		return "editor.xml", nil
	}
	return "editor-font.xml", nil
}

// jbRead reads a file; nil data (no error) when it is absent.
func jbRead(sys system.System, path string) ([]byte, error) {
	data, err := sys.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// Diff is one change per option whose value differs:
// "editor-font.xml DefaultFont.FONT_SIZE: 12 → 14".
func (r *JetBrains) Diff(st *JetBrainsState) []install.Change {
	if st == nil {
		return nil
	}
	var out []install.Change
	for _, f := range st.files {
		for _, e := range f.edits {
			ch := install.Change{Action: install.Create, Subject: f.name + " " + e.component + "." + e.option, Why: "unset → " + e.new}
			switch {
			case e.dropped:
				ch.Action, ch.Why = install.Update, e.old+" → unset ("+e.why+")"
			case e.had:
				ch.Action, ch.Why = install.Update, e.old+" → "+e.new
			}
			out = append(out, ch)
		}
	}
	return out
}

// Apply merges the recipe's values into each options file that differs,
// reading it again so the merge starts from what is there now, and
// writes it atomically. The first time envup changes a file it keeps the
// original as <file>.envup-backup; a backup already there is the user's
// original and is never overwritten.
func (r *JetBrains) Apply(_ context.Context, sys system.System, st *JetBrainsState) error {
	for _, f := range st.files {
		if len(f.edits) == 0 {
			continue
		}
		if err := jbWrite(sys, f); err != nil {
			return jbAt(f.path, err)
		}
	}
	return nil
}

// jbWrite merges f's settings into the file and writes it.
func jbWrite(sys system.System, f jbFile) error {
	data, err := jbRead(sys, f.path)
	if err != nil {
		return err
	}
	out, _, err := jbMerge(data, f.settings)
	if err != nil || out == nil {
		return err
	}
	mode := fs.FileMode(0o644)
	if data != nil {
		if fi, err := sys.Stat(f.path); err == nil {
			mode = fi.Mode().Perm()
		}
		backup := f.path + file.BackupSuffix
		if _, err := sys.Lstat(backup); errors.Is(err, fs.ErrNotExist) {
			if err := sys.WriteFile(backup, data, mode); err != nil {
				return fmt.Errorf("backup: %w", err)
			}
		} else if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	return sys.WriteFile(f.path, out, mode)
}

// Describe says which settings envup works on, or that there are none.
func (r *JetBrains) Describe(st *JetBrainsState) string {
	if st == nil {
		return ""
	}
	if st.Dir == "" {
		return fmt.Sprintf("no %s settings found: start %s once, or set version:", st.Product, st.Product)
	}
	return fmt.Sprintf("%s %s settings in %s (close %s before apply: it rewrites them on exit)", st.Product, st.Version, st.Dir, st.Product)
}

// Nothing says why there is nothing to do here: no settings of the
// product on this machine and no version: in the recipe. The plan shows
// it as skipped rather than as already right.
func (r *JetBrains) Nothing(st *JetBrainsState) string {
	if st != nil && st.Dir == "" {
		return r.Describe(st)
	}
	return ""
}
