package editor

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Part records each editor's settings as the editors' own files hold
// them (Inspect), read by the same parsers the resources observe with.
var Part = install.Record[map[string]Seen]("editors", func() map[string]Seen { return map[string]Seen{} }, part{})

type part struct{}

func (part) Inspect(ctx context.Context, sys system.System, look install.Look) (map[string]Seen, error) {
	return Inspect(ctx, sys, look.Platform)
}

func (part) Count(seen map[string]Seen) int { return len(seen) }

// Tilde writes the settings file's path as ~/…, and so too a setting or
// a vim line naming a file in the home folder, so two users' settings
// compare; Capture writes what the files held.
func (part) Tilde(seen map[string]Seen, home detect.Path) {
	for k, e := range seen {
		if e.held == nil {
			e.held = &heldText{settings: maps.Clone(e.Settings), lines: slices.Clone(e.Lines)}
		}
		e.Path = home.Collapse(e.Path)
		for name, v := range e.Settings {
			e.Settings[name] = home.Tilde(v)
		}
		for i, line := range e.Lines {
			e.Lines[i] = home.Tilde(line)
		}
		seen[k] = e
	}
}

func (part) Facts(seen map[string]Seen, fs install.Facts) {
	for _, key := range slices.Sorted(maps.Keys(seen)) {
		ed := seen[key]
		k := "editors/" + install.Seg(key)
		fs.Group(k, "("+ed.Path+")")
		if ed.Problem != "" {
			fs.Put(k+"/problem", ed.Problem)
		}
		if ed.Version != "" {
			fs.Put(k+"/version", ed.Version)
		}
		for name, v := range ed.Settings {
			fs.Put(k+"/settings/"+install.Seg(name), install.CanonicalJSON(v))
		}
		for _, id := range ed.Extensions {
			fs.Put(k+"/extensions/"+install.Seg(id), "installed")
		}
		fontFacts(fs, k, ed.Font)
		for name, v := range ed.Options {
			fs.Put(k+"/options/"+name, v) // file.xml/Component/option: the slashes are levels
		}
		if len(ed.Lines) > 0 {
			fs.Put(k+"/lines", strings.Join(ed.Lines, "\n")).Show = install.Plural(len(ed.Lines), "line")
		}
	}
}

// fontFacts lists a JetBrains editor font's fields under k/font: the
// same paths for a snapshot and a recipe.
func fontFacts(fs install.Facts, k string, f *recipe.EditorFont) {
	if f == nil {
		return
	}
	fs.Put(k+"/font/family", f.Family)
	if f.Size != 0 {
		fs.Put(k+"/font/size", strconv.Itoa(f.Size))
	}
	if f.LineSpacing != 0 {
		fs.Put(k+"/font/line_spacing", strconv.FormatFloat(f.LineSpacing, 'g', -1, 64))
	}
	if f.Ligatures != nil {
		fs.Put(k+"/font/ligatures", strconv.FormatBool(*f.Ligatures))
	}
}

// Wants are the settings, extensions, font, options and lines a recipe
// gives each editor, under the name a snapshot knows it by; options only
// in the files a snapshot reads.
func (part) Wants(r *recipe.Recipe, p detect.Platform, fs install.Facts) error {
	home := p.HomePath() // as a snapshot's Tilde has it
	for _, key := range slices.Sorted(maps.Keys(r.Editors)) {
		ed := r.Editors[key]
		name := key
		if key == "vscode" {
			switch ed.Flavor {
			case "insiders":
				name = "vscode-insiders"
			case "vscodium":
				name = "vscodium"
			}
		}
		k := "editors/" + install.Seg(name)
		fs.Group(k, "")
		// As the resource writes them, then as a snapshot records them:
		// the home folder as ~ (Tilde), numbers and keys canonical.
		wants, err := jsoncWants(ed.Settings)
		if err != nil {
			return fmt.Errorf("editors.%s: %w", key, err)
		}
		for _, w := range wants {
			f := fs.Put(k+"/settings/"+install.Seg(w.key), install.CanonicalJSON(home.Tilde(w.text)))
			if w.block != nil { // the keys it names in the user's block, as the merge has it
				f.Match = func(have string) bool { return jsoncBlockMatch(f.Value, have) }
			}
		}
		for _, id := range ed.Extensions {
			fs.Put(k+"/extensions/"+install.Seg(strings.ToLower(id)), "installed")
		}
		if IsJetBrains(key) {
			if ed.Version != "" {
				fs.Put(k+"/version", ed.Version)
			}
			fontFacts(fs, k, ed.Font)
			for file, comps := range ed.Options {
				if !slices.Contains(jbSeenFiles, file) {
					continue // a snapshot does not read that file: nothing to compare with
				}
				for comp, opts := range comps {
					for opt, val := range opts {
						fs.Put(k+"/options/"+install.Seg(file)+"/"+install.Seg(comp)+"/"+install.Seg(opt), val)
					}
				}
			}
		}
		if len(ed.Lines) > 0 {
			lines := make([]string, len(ed.Lines))
			for i, line := range ed.Lines {
				lines[i] = home.Tilde(line)
			}
			fs.Put(k+"/lines", strings.Join(lines, "\n")).Show = install.Plural(len(lines), "line")
		}
	}
	return nil
}

// Capture writes each editor's settings (what a settings file holds is
// what differs from the editor's defaults), extensions, font, options
// and lines; one VS Code of the flavours, an editor whose files could not
// be read is said, not written.
func (part) Capture(seen map[string]Seen, c *install.Captured) {
	r := c.Recipe
	for _, key := range slices.Sorted(maps.Keys(seen)) {
		ed := seen[key]
		if ed.Problem != "" {
			c.Left = append(c.Left, fmt.Sprintf("%s: %s", key, ed.Problem))
			continue
		}
		name, spec := key, &recipe.Editor{}
		switch key {
		case "vscode-insiders", "vscodium":
			if _, taken := seen["vscode"]; taken {
				c.Left = append(c.Left, fmt.Sprintf("%s: a recipe holds one VS Code; vscode was captured", key))
				continue
			}
			name, spec.Flavor = "vscode", strings.TrimPrefix(key, "vscode-")
		}
		settings, lines, held := ed.Settings, ed.Lines, ed.held != nil
		if held {
			settings, lines = ed.held.settings, ed.held.lines
		}
		if len(settings) > 0 {
			spec.Settings = map[string]any{}
			for k, text := range settings {
				v, err := settingValue(text)
				if err != nil {
					continue
				}
				if !held {
					// A snapshot writes the home folder as ~; a settings
					// file needs the real path, which the editor reads.
					v = expandHome(v, c.Home)
				}
				spec.Settings[k] = v
			}
		}
		spec.Extensions = ed.Extensions
		spec.Version = ed.Version
		spec.Font = ed.Font
		for k, v := range ed.Options {
			parts := strings.SplitN(k, "/", 3)
			if len(parts) != 3 || (ed.Font != nil && parts[1] == "DefaultFont") {
				continue // font: says it, and two sayings could disagree
			}
			if spec.Options == nil {
				spec.Options = map[string]map[string]map[string]string{}
			}
			if spec.Options[parts[0]] == nil {
				spec.Options[parts[0]] = map[string]map[string]string{}
			}
			if spec.Options[parts[0]][parts[1]] == nil {
				spec.Options[parts[0]][parts[1]] = map[string]string{}
			}
			spec.Options[parts[0]][parts[1]][parts[2]] = v
		}
		spec.Lines = lines
		if r.Editors == nil {
			r.Editors = map[string]*recipe.Editor{}
		}
		r.Editors[name] = spec
	}
}

// Words: "vscode editor.fontFamily", "vscode extension ms-python.python".
func (part) Words(path []string) (string, string, string) {
	if len(path) == 2 {
		return "", path[1], ""
	}
	rest := strings.Join(path[3:], "/")
	switch path[2] {
	case "settings", "options":
		return path[1], rest, " "
	case "extensions":
		return path[1], "extension " + rest, " "
	}
	return path[1], strings.Join(path[2:], " "), " "
}

// settingValue decodes a setting's JSON text with whole numbers as
// int64: encoding/json makes every number a float64, which the recipe
// writes as a float ("editor.fontSize": 14.0) where the file says 14.
func settingValue(text string) (any, error) {
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return wholeNumbers(v)
}

// wholeNumbers turns each json.Number in v into an int64 when it is a
// whole number int64 holds (14, 14.0, 1e3), else a float64. A number
// out of float64's range is an error, as encoding/json has it.
func wholeNumbers(v any) (any, error) {
	var err error
	switch v := v.(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n, nil
		}
		f, err := v.Float64()
		if err != nil {
			return nil, err
		}
		// -2^63 and 2^63 are whole, the second out of int64's range
		if f == math.Trunc(f) && f >= -(1<<63) && f < 1<<63 {
			return int64(f), nil
		}
		return f, nil
	case map[string]any:
		for k, e := range v {
			if v[k], err = wholeNumbers(e); err != nil {
				return nil, err
			}
		}
	case []any:
		for i, e := range v {
			if v[i], err = wholeNumbers(e); err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

// expandHome writes each string in a setting's value that starts with ~
// as the path under home it stands for (detect.Path.Expand).
func expandHome(v any, home detect.Path) any {
	switch v := v.(type) {
	case string:
		return home.Expand(v)
	case map[string]any:
		for k, e := range v {
			v[k] = expandHome(e, home)
		}
	case []any:
		for i, e := range v {
			v[i] = expandHome(e, home)
		}
	}
	return v
}
