package snapshot

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install/editor"
	"github.com/envup/envup/internal/install/venv"
	"github.com/envup/envup/internal/recipe"
)

// wants lists what a recipe, loaded for platform p, says a machine has:
// the same paths a snapshot's facts have, each with a match where the
// recipe gives a constraint rather than a value. What the recipe does not
// name it does not list: a recipe side is partial.
func wants(r *recipe.Recipe, p detect.Platform) (entries, error) {
	es := entries{}
	home := p.Home

	constraints := map[string][]string{} // tool → the recipe's constraints
	for _, key := range slices.Sorted(maps.Keys(r.Interpreters)) {
		in := r.Interpreters[key]
		constraints[in.Tool] = append(constraints[in.Tool], in.Version)
	}
	for tool, cs := range constraints {
		checks := make([]catalog.Constraint, len(cs))
		for i, c := range cs {
			var err error
			if checks[i], err = catalog.ParseConstraint(c); err != nil {
				return nil, fmt.Errorf("interpreters: %s: %w", tool, err)
			}
		}
		e := es.group("interpreters/"+seg(tool), strings.Join(cs, ", "))
		e.value = e.show
		e.match = func(have string) bool {
			versions := strings.Fields(have)
			for _, c := range checks {
				if !slices.ContainsFunc(versions, c.Check) {
					return false
				}
			}
			return true
		}
	}

	for _, key := range slices.Sorted(maps.Keys(r.Virtualenvs)) {
		v := r.Virtualenvs[key]
		k := "virtualenvs/" + seg(key)
		where := tilde(v.Path, home)
		es.group(k, "("+where+")")
		es.put(k+"/path", where)
		if in := r.Interpreters[v.Python]; in != nil {
			c, err := catalog.ParseConstraint(in.Version)
			if err != nil {
				return nil, fmt.Errorf("virtualenvs.%s: %w", key, err)
			}
			e := es.put(k+"/python", in.Version)
			e.match = c.Check
		}
		if v.SystemSitePackages {
			es.put(k+"/system_site_packages", "true")
		}
		es.group(k+"/packages", "")
		python := ""
		if in := r.Interpreters[v.Python]; in != nil && bareVersion(in.Version) {
			python = in.Version
		}
		reqs, err := venv.Wants(key, v, r.Dir, p, python)
		if err != nil {
			return nil, fmt.Errorf("virtualenvs.%s: %w", key, err)
		}
		for name, spec := range reqs {
			want := spec.String()
			e := es.put(k+"/packages/"+seg(name), want)
			if want == "" {
				e.show = "any version"
			}
			e.match = spec.Allows
		}
	}

	for _, key := range slices.Sorted(maps.Keys(r.Services)) {
		sv := r.Services[key]
		k := "services/" + seg(key)
		es.group(k, fmt.Sprintf("(%s %s)", sv.Kind, sv.Version))
		es.put(k+"/kind", sv.Kind)
		c, err := catalog.ParseConstraint(sv.Version)
		if err != nil {
			return nil, fmt.Errorf("services.%s: %w", key, err)
		}
		es.put(k+"/version", sv.Version).match = c.Check
		es.put(k+"/port", strconv.Itoa(sv.Port))
		if sv.Start {
			es.put(k+"/running", "true")
		}
		for d, val := range sv.Config {
			if strings.EqualFold(d, "bind") && (val == "127.0.0.1" || val == "127.0.0.1 -::1") {
				continue // what envup writes itself: a snapshot does not tell it apart
			}
			es.put(k+"/config/"+seg(strings.ToLower(d)), val)
		}
	}

	for _, family := range slices.Sorted(maps.Keys(r.Fonts)) {
		f := r.Fonts[family]
		file, sum := "", f.SHA256
		if f.URL != "" {
			if u, err := url.Parse(f.URL); err == nil {
				file = path.Base(u.Path)
			}
		} else {
			// The font file is on this machine, whatever home the
			// recipe was read for.
			src := f.Path
			if detect.UnderHome(src) {
				if home, err := os.UserHomeDir(); err == nil {
					src = detect.LocalPath(home).Expand(src)
				}
			} else if !filepath.IsAbs(src) {
				src = filepath.Join(r.Dir, filepath.FromSlash(src))
			}
			file = filepath.Base(src)
			data, err := os.ReadFile(src)
			if err != nil {
				return nil, fmt.Errorf("fonts.%s: %w", family, err)
			}
			h := sha256.Sum256(data)
			sum = hex.EncodeToString(h[:])
		}
		want := strings.ToLower(sum)
		e := es.put("fonts/"+seg(file), want)
		e.show = fmt.Sprintf("%s (sha256 %s)", family, short(want))
	}

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
		k := "editors/" + seg(name)
		es.group(k, "")
		for s, v := range ed.Settings {
			data, err := json.Marshal(v)
			if err != nil {
				return nil, fmt.Errorf("editors.%s.settings.%s: %w", key, s, err)
			}
			es.put(k+"/settings/"+seg(s), canonicalJSON(string(data)))
		}
		for _, id := range ed.Extensions {
			es.put(k+"/extensions/"+seg(strings.ToLower(id)), "installed")
		}
		if editor.IsJetBrains(key) {
			if ed.Version != "" {
				es.put(k+"/version", ed.Version)
			}
			es.font(k, ed.Font)
			for file, comps := range ed.Options {
				if !slices.Contains(editor.InspectedOptionFiles(), file) {
					continue // a snapshot does not read that file: nothing to compare with
				}
				for comp, opts := range comps {
					for opt, val := range opts {
						es.put(k+"/options/"+seg(file)+"/"+seg(comp)+"/"+seg(opt), val)
					}
				}
			}
		}
		if len(ed.Lines) > 0 {
			es.put(k+"/lines", strings.Join(ed.Lines, "\n")).show = plural(len(ed.Lines), "line")
		}
	}

	for _, group := range slices.Sorted(maps.Keys(r.Packages)) {
		g := r.Packages[group]
		for _, mgr := range p.Managers {
			names, ok := g.Managers[mgr]
			if !ok {
				continue
			}
			k := "packages/" + seg(mgr)
			if es[k] == nil {
				es.group(k, "")
			}
			for _, n := range names {
				e := es.put(k+"/"+seg(n), "")
				e.show = "installed"
				e.match = func(string) bool { return true }
			}
			break
		}
	}
	summarize(es)
	return es, nil
}

// bareVersion says whether a constraint is a plain version ("3.11"),
// which markers can be evaluated with.
func bareVersion(c string) bool {
	if c == "" {
		return false
	}
	for _, r := range c {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	return true
}

// summarize gives the recipe's groups that say nothing themselves a
// count of what is under them: "the recipe wants 2 settings".
func summarize(es entries) {
	for p, e := range es {
		if !e.group || e.show != "" {
			continue
		}
		n := 0
		for q, c := range es {
			if !c.group && strings.HasPrefix(q, p+"/") {
				n++
			}
		}
		what := "setting"
		if strings.HasPrefix(p, "packages/") || strings.HasSuffix(p, "/packages") {
			what = "package"
		}
		e.show = plural(n, what)
	}
}
