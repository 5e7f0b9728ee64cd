package editor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tailscale/hujson"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Seen is one editor's settings as found on a host, for snapshots.
type Seen struct {
	Path       string             `json:"path"`                 // settings file (vscode, sublime, vim) or config dir (JetBrains), absolute as found
	Flavor     string             `json:"flavor,omitempty"`     // vscode: code, insiders, vscodium
	Version    string             `json:"version,omitempty"`    // JetBrains: the newest config dir's version, "2024.3"
	Versions   []string           `json:"versions,omitempty"`   // JetBrains: every version found, newest first
	Settings   map[string]string  `json:"settings,omitempty"`   // vscode, sublime: top-level key → the value as compact JSON text (`"Akbar"`, `14`, `{"a":1}`)
	Extensions []string           `json:"extensions,omitempty"` // vscode: extension ids, lower case, sorted
	Font       *recipe.EditorFont `json:"font,omitempty"`       // JetBrains editor font (family, size, line_spacing, ligatures)
	Options    map[string]string  `json:"options,omitempty"`    // JetBrains: "file.xml/Component/option" → value
	Lines      []string           `json:"lines,omitempty"`      // vim, neovim: the lines inside envup's block
	Problem    string             `json:"problem,omitempty"`    // the file could not be read or parsed: path:line:col: what
	// held are Settings and Lines as the files hold them, kept by the
	// part's Tilde for Capture: a recipe captured here writes them back
	// byte for byte, where ~ would be a guess (a literal ~ in a vimrc, a
	// path in the middle of a setting).
	held *heldText
}

// heldText is what a Seen's files hold, before ~ stands for the home.
type heldText struct {
	settings map[string]string
	lines    []string
}

// seenVSCode is one VS Code build as Inspect keys it: the editors key,
// the flavor NewVSCode knows it by, and the folder under the home
// directory its extensions are installed in.
type seenVSCode struct {
	key, flavor, extensions string
}

var seenVSCodes = []seenVSCode{
	{"vscode", "code", ".vscode"},
	{"vscode-insiders", "insiders", ".vscode-insiders"},
	{"vscodium", "vscodium", ".vscode-oss"},
}

// jbSeenFiles are the options files whose <option> values Inspect
// records: the editor, its font, the look and the colour scheme. The
// other files under options/ are left out on purpose: most hold
// per-machine state (window.state.xml, recentProjects.xml, jdk.table.xml,
// updates.xml) that would make every two machines differ.
var jbSeenFiles = []string{"colors.scheme.xml", "editor-font.xml", "editor.xml", "laf.xml", "ui.lnf.xml"}

// Inspect reads every editor's settings envup knows on the host, keyed
// by the key a recipe would use: "vscode" (flavor code), "vscode-insiders",
// "vscodium", "sublime", "vim", "neovim", and JetBrains product keys
// ("pycharm", "pycharm-ce", "idea", ...). An editor with nothing on disk is absent.
//
// It only reads files, and never runs a program: VS Code's extensions come
// from extensions.json in its extensions folder (or the folder names when
// that file is missing), not from `code --list-extensions`. A file that
// cannot be read or parsed is that editor's Problem, and the others are
// still read; the error is for a directory JetBrains IDEs live in that
// cannot be listed, or ctx ending.
func Inspect(ctx context.Context, sys system.System, p detect.Platform) (map[string]Seen, error) {
	out := map[string]Seen{}
	add := func(key string, s Seen, ok bool) {
		if ok {
			out[key] = s
		}
	}
	for _, v := range seenVSCodes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s, ok := inspectVSCode(sys, p, v)
		add(v.key, s, ok)
	}
	s, ok := inspectSublime(sys, p)
	add("sublime", s, ok)
	for _, key := range []string{"vim", "neovim"} {
		s, ok := inspectVim(sys, p, key)
		add(key, s, ok)
	}
	for _, key := range slices.Sorted(maps.Keys(jbProducts)) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s, ok, err := inspectJetBrains(sys, p, jbProducts[key])
		if err != nil {
			return nil, fmt.Errorf("editor %s: %w", key, err)
		}
		add(key, s, ok)
	}
	return out, nil
}

// inspectVSCode reads one VS Code build's settings.json (where NewVSCode
// puts it) and its extensions. It is there when either is: Path is then
// where settings.json is or would be.
func inspectVSCode(sys system.System, p detect.Platform, v seenVSCode) (Seen, bool) {
	r, err := NewVSCode(&recipe.Editor{Flavor: v.flavor}, p)
	if err != nil {
		return Seen{}, false // no config directory known for this host
	}
	s := Seen{Path: r.Path(), Flavor: v.flavor}
	var problems []string
	settings, found, problem := inspectJSONC(sys, s.Path)
	s.Settings = settings
	problems = seenAppend(problems, problem)
	if p.Home != "" {
		ids, ok, problem := inspectExtensions(sys, p, p.Join(p.Home, v.extensions, "extensions"))
		s.Extensions = ids
		found = found || ok
		problems = seenAppend(problems, problem)
	}
	s.Problem = strings.Join(problems, "; ")
	return s, found
}

// inspectSublime reads Sublime Text's user preferences, where NewSublime
// puts them.
func inspectSublime(sys system.System, p detect.Platform) (Seen, bool) {
	r, err := NewSublime(&recipe.Editor{}, p)
	if err != nil {
		return Seen{}, false
	}
	s := Seen{Path: r.Path()}
	var found bool
	s.Settings, found, s.Problem = inspectJSONC(sys, s.Path)
	return s, found
}

// inspectJSONC reads a JSONC settings file's top-level keys, each value
// as compact standard JSON. found is false when the file is absent; a
// file that cannot be read or parsed is found, with problem saying why.
// A key given twice keeps its last value.
func inspectJSONC(sys system.System, path string) (settings map[string]string, found bool, problem string) {
	data, _, err := jsoncRead(sys, path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, false, ""
	case err != nil:
		return nil, true, err.Error()
	}
	doc, err := jsoncParse(path, data)
	if err != nil {
		return nil, true, err.Error()
	}
	obj := doc.obj()
	if len(obj.Members) == 0 {
		return nil, true, ""
	}
	settings = make(map[string]string, len(obj.Members))
	for i := range obj.Members {
		m := &obj.Members[i]
		v := m.Value.Clone()
		v.Minimize()
		settings[m.Name.Value.(hujson.Literal).String()] = string(v.Pack())
	}
	return settings, true, ""
}

// inspectExtensions lists the extensions installed in dir, lower case and
// sorted. found is false when dir is absent.
func inspectExtensions(sys system.System, p detect.Platform, dir string) (ids []string, found bool, problem string) {
	path := p.Join(dir, "extensions.json")
	data, err := sys.ReadFile(path)
	switch {
	case err == nil:
		ids, err := vscodeExtensionsJSON(path, data)
		if err != nil {
			return nil, true, err.Error()
		}
		return ids, true, ""
	case !errors.Is(err, fs.ErrNotExist):
		return nil, true, err.Error()
	}
	ids, err = vscodeExtensionDirs(sys, p, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, ""
	}
	if err != nil {
		return nil, true, err.Error()
	}
	return ids, true, ""
}

// vscodeExtensionsJSON reads the ids out of extensions.json, the list VS
// Code keeps of the extensions it installed (since 1.74; its
// extensionsProfileScannerService): an array of {"identifier": {"id":
// "publisher.name", "uuid"}, "version", "location", "relativeLocation",
// "metadata"}.
func vscodeExtensionsJSON(path string, data []byte) ([]string, error) {
	var list []struct {
		Identifier struct {
			ID string `json:"id"`
		} `json:"identifier"`
	}
	if err := json.Unmarshal(data, &list); err != nil {
		e := &JSONCSyntaxError{Path: path, Msg: err.Error()}
		if se, ok := errors.AsType[*json.SyntaxError](err); ok {
			e.Line, e.Column = seenLineCol(data, se.Offset)
		}
		return nil, e
	}
	ids := make([]string, 0, len(list))
	for _, e := range list {
		if e.Identifier.ID != "" {
			ids = append(ids, strings.ToLower(e.Identifier.ID)) // ids are case-insensitive
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// vscodeExtensionDir is an extension's folder name: publisher.name, its
// version, and for a platform-specific build the platform
// (ms-python.debugpy-2024.6.0-darwin-arm64).
var vscodeExtensionDir = regexp.MustCompile(`^([^.\s]+\.\S+?)-\d+\.\d+\.\d+(?:-\S+)?$`)

// vscodeExtensionDirs lists the extensions by their folders in dir, for a
// VS Code older than extensions.json. Folders named in .obsolete (a JSON
// object, folder → true) are uninstalled ones VS Code has yet to delete.
// An extension updated but not yet cleaned up has two folders: one id.
func vscodeExtensionDirs(sys system.System, p detect.Platform, dir string) ([]string, error) {
	entries, err := sys.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var obsolete map[string]bool
	if data, err := sys.ReadFile(p.Join(dir, ".obsolete")); err == nil {
		_ = json.Unmarshal(data, &obsolete) // unreadable: list every folder
	}
	var ids []string
	for _, e := range entries {
		name := e.Name()
		if (!e.IsDir() && e.Type()&fs.ModeSymlink == 0) || obsolete[name] {
			continue
		}
		if m := vscodeExtensionDir.FindStringSubmatch(name); m != nil {
			ids = append(ids, strings.ToLower(m[1]))
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// inspectVim reads the envup block of the init file NewVim's resource
// would write. The editor is absent when the file has no block. In
// Neovim's init.lua the block's vim.cmd([[ … ]]) wrapper is taken off,
// so Lines are Vim script, as a recipe gives them.
func inspectVim(sys system.System, p detect.Platform, key string) (Seen, bool) {
	r, err := NewVim(key, &recipe.Editor{}, p)
	if err != nil {
		return Seen{}, false
	}
	path, lua, err := r.target(sys)
	if err != nil {
		return Seen{Path: path, Problem: err.Error()}, true
	}
	data, err := sys.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Seen{}, false
	case err != nil:
		return Seen{Path: path, Problem: err.Error()}, true
	}
	// vimSplice finds the block as apply would, and says what is wrong
	// with a block that does not end.
	_, found, err := vimSplice(path, data, nil, lua)
	switch {
	case err != nil:
		return Seen{Path: path, Problem: err.Error()}, true
	case !found:
		return Seen{}, false
	}
	return Seen{Path: path, Lines: vimBlockLines(data, lua)}, true
}

// vimLuaWrap is the first and last line of the block's body in init.lua
// (vimBlock): vim.cmd([[ and ]]), with as many = as the lines needed.
var vimLuaWrap = [2]*regexp.Regexp{regexp.MustCompile(`^vim\.cmd\(\[=*\[$`), regexp.MustCompile(`^\]=*\]\)$`)}

// vimBlockLines is the lines between the first begin marker and the end
// marker after it, which vimSplice has found to be there.
func vimBlockLines(data []byte, lua bool) []string {
	begin, end := VimBegin, VimEnd
	if lua {
		begin, end = VimLuaBegin, VimLuaEnd
	}
	var lines []string
	in := false
	for l := range strings.Lines(string(data)) {
		l = strings.TrimRight(l, "\r\n")
		marker := strings.TrimRight(l, " \t")
		switch {
		case !in && marker == begin:
			in = true
		case in && marker == end:
			if n := len(lines); lua && n >= 2 && vimLuaWrap[0].MatchString(lines[0]) && vimLuaWrap[1].MatchString(lines[n-1]) {
				lines = lines[1 : n-1]
			}
			return slices.Clip(lines)
		case in:
			lines = append(lines, l)
		}
	}
	return lines
}

// inspectJetBrains reads a product's config dirs: every version, and from
// the newest the font and the options of jbSeenFiles. The error is for a
// directory that cannot be listed.
func inspectJetBrains(sys system.System, p detect.Platform, prod jbProduct) (Seen, bool, error) {
	dirs, err := jbConfigDirs(sys, p, prod.prefix)
	if err != nil {
		return Seen{}, false, err
	}
	if len(dirs) == 0 {
		return Seen{}, false, nil
	}
	s := Seen{Path: dirs[0].path, Version: dirs[0].version.String()}
	for _, d := range dirs {
		s.Versions = append(s.Versions, d.version.String())
	}
	roots := map[string]*jbElem{}
	var problems []string
	for _, name := range jbSeenFiles {
		path := p.Join(s.Path, "options", name)
		data, err := jbRead(sys, path)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if data == nil {
			continue
		}
		doc, err := jbParse(data)
		if err != nil {
			problems = append(problems, jbProblem(path, err))
			continue
		}
		roots[name] = doc.root
		for _, comp := range doc.root.kids {
			c, _ := comp.attrValue("name")
			if !comp.is("component") || c == "" {
				continue
			}
			for _, opt := range comp.kids {
				o, _ := opt.attrValue("name")
				v, ok := opt.attrValue("value")
				if !opt.is("option") || o == "" || !ok {
					continue // a structured value, or not an option
				}
				if s.Options == nil {
					s.Options = map[string]string{}
				}
				s.Options[name+"/"+c+"/"+o] = v
			}
		}
	}
	s.Font = jbSeenFont(roots)
	s.Problem = strings.Join(problems, "; ")
	return s, true, nil
}

// jbSeenFont is the editor font: DefaultFont in editor-font.xml, else in
// editor.xml, where releases before 2021 kept it (and where a later one
// still reads it until it migrates). An option left out reads as
// IntelliJ's default when jbAbsentMeans knows it (ligatures off).
// FONT_SIZE_2D, which newer releases read first, gives the size when it
// is whole; a fractional one (17.6) cannot be a recipe's size, and the
// rounded FONT_SIZE the IDE writes beside it is taken instead.
func jbSeenFont(roots map[string]*jbElem) *recipe.EditorFont {
	var comp *jbElem
	for _, name := range []string{"editor-font.xml", "editor.xml"} {
		if root := roots[name]; root != nil && comp == nil {
			comp = jbChild(root, "component", jbFontComponent)
		}
	}
	if comp == nil { // neither file, or no DefaultFont in either
		return nil
	}
	value := func(opt string) string {
		if v, ok := jbChild(comp, "option", opt).attrValue("value"); ok {
			return v
		}
		return jbAbsentMeans[[2]string{jbFontComponent, opt}]
	}
	f := &recipe.EditorFont{Family: value("FONT_FAMILY")}
	if x, err := strconv.ParseFloat(value("FONT_SIZE_2D"), 64); err == nil && x > 0 && x == math.Trunc(x) {
		f.Size = int(x)
	} else if n, err := strconv.Atoi(value("FONT_SIZE")); err == nil && n > 0 {
		f.Size = n
	}
	if x, err := strconv.ParseFloat(value("LINE_SPACING"), 64); err == nil && x > 0 {
		f.LineSpacing = x
	}
	if b, err := strconv.ParseBool(value("USE_LIGATURES")); err == nil {
		f.Ligatures = &b
	}
	return f
}

// jbProblem is an options file that does not parse, as path:line:col:
// what when the parser says where.
func jbProblem(path string, err error) string { return jbAt(path, err).Error() }

// seenLineCol is the line and column (from 1, in bytes) of offset in data.
// encoding/json's offset is just past the byte it stopped at.
func seenLineCol(data []byte, offset int64) (line, col int) {
	n := int(min(max(offset-1, 0), int64(len(data))))
	before := data[:n]
	line = 1 + strings.Count(string(before), "\n")
	col = n - strings.LastIndexByte(string(before), '\n')
	return line, col
}

// seenAppend adds problem to problems unless it is empty.
func seenAppend(problems []string, problem string) []string {
	if problem == "" {
		return problems
	}
	return append(problems, problem)
}
