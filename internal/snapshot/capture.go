package snapshot

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
)

// Capture is a recipe that reproduces what a snapshot records, and the
// font files it needs beside it.
type Capture struct {
	Recipe *recipe.Recipe
	// Fonts are the files to copy: from (the path on this machine, ~
	// expanded) → to (relative to the recipe's folder).
	Fonts map[string]string
	// Left says what the recipe could not hold, for the person who runs
	// capture.
	Left []string
}

// CaptureOptions choose what goes in.
type CaptureOptions struct {
	Name     string // the recipe's name
	Packages bool   // the OS packages the user installed, as one group
	Home     string // the home folder ~ stands for, where the fonts are read
}

// Capture writes s as a recipe: exact interpreter versions, venvs with
// pinned packages, the services with their version, port and config,
// fonts as files beside the recipe, and editor settings (what a settings
// file holds is what differs from the editor's defaults).
func (s *Snapshot) Capture(opts CaptureOptions) *Capture {
	c := &Capture{Fonts: map[string]string{}}
	r := &recipe.Recipe{Envup: 1, Name: opts.Name}
	r.Description = fmt.Sprintf("Captured from %s (%s) on %s by envup capture.",
		cmp.Or(s.Host, "a machine"), s.Platform.String(), s.Taken.Format("2006-01-02"))

	// Interpreters: each version once; the default one (else the newest)
	// of a tool is keyed by the tool, the others tool+X.Y.
	keyOf := map[string]string{} // tool+" "+version → key
	for _, tool := range []string{"python", "node"} {
		var ins []Interpreter
		for _, in := range s.Interpreters {
			if in.Tool == tool && keyOf[tool+" "+in.Version] == "" {
				keyOf[tool+" "+in.Version] = "?"
				ins = append(ins, in)
			}
		}
		if len(ins) == 0 {
			continue
		}
		main := 0 // the newest: inventory lists newest first
		for i, in := range ins {
			if in.Default {
				main = i
			}
		}
		for i, in := range ins {
			key := tool
			if i != main {
				key = tool + minor(in.Version)
				if _, taken := r.Interpreters[key]; taken {
					key = tool + in.Version
				}
			}
			if r.Interpreters == nil {
				r.Interpreters = map[string]*recipe.Interpreter{}
			}
			spec := &recipe.Interpreter{Version: in.Version}
			if key != tool {
				spec.Tool = tool
			}
			r.Interpreters[key] = spec
			keyOf[tool+" "+in.Version] = key
		}
	}

	for _, v := range s.Virtualenvs {
		if v.Python == "" {
			c.Left = append(c.Left, fmt.Sprintf("venv %s (%s): its pyvenv.cfg names no python version", v.Name, v.Path))
			continue
		}
		if r.Virtualenvs == nil {
			r.Virtualenvs = map[string]*recipe.Virtualenv{}
		}
		key := keyOf["python "+v.Python]
		if key == "" || key == "?" {
			// Its base is gone or not found: ask for that version.
			key = "python" + v.Python
			if r.Interpreters == nil {
				r.Interpreters = map[string]*recipe.Interpreter{}
			}
			r.Interpreters[key] = &recipe.Interpreter{Tool: "python", Version: v.Python}
			keyOf["python "+v.Python] = key
		}
		spec := &recipe.Virtualenv{Path: v.Path, Python: key, SystemSitePackages: v.SystemSitePackages}
		for _, name := range slices.Sorted(maps.Keys(v.Packages)) {
			if name == "pip" {
				spec.Pip = "==" + v.Packages[name]
				continue
			}
			spec.Packages = append(spec.Packages, name+"=="+v.Packages[name])
		}
		r.Virtualenvs[v.Name] = spec
	}

	for _, sv := range s.Services {
		switch {
		case sv.Version == "":
			c.Left = append(c.Left, fmt.Sprintf("service %s: no installed server was found for it", sv.Name))
			continue
		case sv.Port == 0:
			// Installed, but no service of envup's runs it: a recipe entry
			// would configure and run one, which this machine does not.
			c.Left = append(c.Left, fmt.Sprintf("%s %s (%s): installed, not run by envup", sv.Kind, sv.Version, sv.Path))
			continue
		}
		if r.Services == nil {
			r.Services = map[string]*recipe.Service{}
		}
		r.Services[sv.Name] = &recipe.Service{Kind: sv.Kind, Version: sv.Version, Port: sv.Port, Config: sv.Config, Start: sv.Running}
	}

	home := s.Platform.Path(opts.Home)
	for _, f := range s.Fonts {
		if r.Fonts == nil {
			r.Fonts = map[string]*recipe.Font{}
		}
		file := detect.Base(f.Path)
		key := f.Family
		if _, taken := r.Fonts[key]; taken {
			key = f.Family + " (" + file + ")"
		}
		if _, taken := r.Fonts[key]; taken {
			continue // the same file in two font folders
		}
		to := "fonts/" + file
		for n := 2; slices.Contains(slices.Collect(maps.Values(c.Fonts)), to); n++ {
			to = fmt.Sprintf("fonts/%d-%s", n, file)
		}
		r.Fonts[key] = &recipe.Font{Path: to}
		c.Fonts[home.Expand(f.Path)] = to
	}

	for _, key := range slices.Sorted(maps.Keys(s.Editors)) {
		ed := s.Editors[key]
		if ed.Problem != "" {
			c.Left = append(c.Left, fmt.Sprintf("%s: %s", key, ed.Problem))
			continue
		}
		name, spec := key, &recipe.Editor{}
		switch key {
		case "vscode-insiders", "vscodium":
			if _, taken := s.Editors["vscode"]; taken {
				c.Left = append(c.Left, fmt.Sprintf("%s: a recipe holds one VS Code; vscode was captured", key))
				continue
			}
			name, spec.Flavor = "vscode", strings.TrimPrefix(key, "vscode-")
		}
		if len(ed.Settings) > 0 {
			spec.Settings = map[string]any{}
			for k, text := range ed.Settings {
				if v, err := settingValue(text); err == nil {
					// A snapshot writes the home folder as ~; a settings
					// file needs the real path, which the editor reads.
					spec.Settings[k] = expandHome(v, home)
				}
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
		spec.Lines = ed.Lines
		if r.Editors == nil {
			r.Editors = map[string]*recipe.Editor{}
		}
		r.Editors[name] = spec
	}

	if opts.Packages && len(s.Packages) > 0 {
		g := &recipe.PackageGroup{Managers: map[string][]string{}}
		for mgr, pkgs := range s.Packages {
			g.Managers[mgr] = slices.Sorted(maps.Keys(pkgs))
		}
		r.Packages = map[string]*recipe.PackageGroup{"captured": g}
	}
	c.Recipe = r
	return c
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
