package snapshot

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
)

// An entry is one comparable fact of a side, at a path such as
// virtualenvs/ci/packages/pytest.
type entry struct {
	value string // what is compared
	show  string // what is shown; "" shows value
	// group is an entry that stands for what is under it: when the other
	// side lacks it, it is the one difference reported; when both have
	// it, only a recipe's match compares it, and the entries under it
	// tell the rest.
	group bool
	// match is a recipe's want: whether a value satisfies it. nil
	// compares values.
	match func(have string) bool
}

func (e *entry) shown() string {
	if e.show != "" {
		return e.show
	}
	return e.value
}

// entries are a side's facts by path.
type entries map[string]*entry

func (es entries) put(path, value string) *entry {
	e := &entry{value: value}
	es[path] = e
	return e
}

func (es entries) group(path, show string) *entry {
	e := &entry{group: true, show: show}
	es[path] = e
	return e
}

// seg escapes a path segment: a "/" inside a name would read as a level.
func seg(s string) string { return strings.ReplaceAll(s, "/", "%2F") }

func unseg(s string) string { return strings.ReplaceAll(s, "%2F", "/") }

// minor is the X.Y of a version: the series an interpreter belongs to.
func minor(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return v
	}
	return parts[0] + "." + parts[1]
}

// canonicalJSON writes a JSON text with sorted keys and no spaces, so two
// ways of writing one value compare equal.
func canonicalJSON(text string) string {
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return text
	}
	out, err := json.Marshal(v)
	if err != nil {
		return text
	}
	return string(out)
}

// flatten lists a snapshot's facts.
func (s *Snapshot) flatten() entries {
	es := entries{}
	p := s.Platform
	for k, v := range map[string]string{
		"os": p.OS, "version": p.Version, "name": p.Name, "arch": p.Arch,
		"edition": p.Edition, "build": p.Build, "container": p.Container,
	} {
		if v != "" {
			es.put("platform/"+k, v)
		}
	}
	if p.Libc.Name != "" {
		es.put("platform/libc", strings.TrimSpace(p.Libc.Name+" "+p.Libc.Version))
	}
	if p.WSL != 0 {
		es.put("platform/wsl", strconv.Itoa(p.WSL))
	}
	if p.Rosetta {
		es.put("platform/rosetta", "true")
	}
	if p.Server {
		es.put("platform/server", "true")
	}

	// An interpreter series compares by versions: where it lives and
	// where it came from are shown, not compared (envup's python 3.11.2
	// and the system's are the same python).
	bySeries := map[string][]Interpreter{}
	for _, in := range s.Interpreters {
		k := "interpreters/" + seg(in.Tool)
		sk := k + "/" + seg(minor(in.Version))
		bySeries[sk] = append(bySeries[sk], in)
		if es[k] == nil {
			es.group(k, "")
		}
		g := es[k]
		g.value = strings.TrimSpace(g.value + " " + in.Version)
		if in.Default {
			es.put(k+"/default", in.Version).show = in.Version + " " + in.Path
		}
	}
	for k, ins := range bySeries {
		var versions, shown []string
		for _, in := range ins {
			if !slices.Contains(versions, in.Version) {
				versions = append(versions, in.Version)
			}
			shown = append(shown, fmt.Sprintf("%s %s (%s)", in.Version, in.Path, in.Origin))
		}
		slices.Sort(versions)
		slices.Sort(shown)
		es.put(k, strings.Join(versions, " ")).show = strings.Join(shown, "; ")
	}
	for k, g := range es {
		if strings.Count(k, "/") == 1 && strings.HasPrefix(k, "interpreters/") {
			g.show = strings.ReplaceAll(g.value, " ", ", ")
		}
	}

	for _, v := range s.Virtualenvs {
		k := "virtualenvs/" + seg(v.Name)
		es.group(k, fmt.Sprintf("(%s, python %s, %s)", v.Path, v.Python, plural(len(v.Packages), "package")))
		es.put(k+"/path", v.Path)
		es.put(k+"/python", v.Python)
		if v.SystemSitePackages {
			es.put(k+"/system_site_packages", "true")
		}
		es.group(k+"/packages", plural(len(v.Packages), "package"))
		for name, ver := range v.Packages {
			es.put(k+"/packages/"+seg(name), ver)
		}
	}

	for _, sv := range s.Services {
		k := "services/" + seg(sv.Name)
		es.group(k, strings.TrimSpace(fmt.Sprintf("(%s %s %s)", sv.Kind, sv.Version, sv.Path)))
		es.put(k+"/kind", sv.Kind)
		if sv.Version != "" {
			es.put(k+"/version", sv.Version).show = strings.TrimSpace(sv.Version + " (" + sv.Origin + ")")
		}
		if sv.Port != 0 {
			es.put(k+"/port", strconv.Itoa(sv.Port))
		}
		es.put(k+"/running", strconv.FormatBool(sv.Running))
		for d, v := range sv.Config {
			es.put(k+"/config/"+seg(d), v)
		}
	}

	for _, f := range s.Fonts {
		e := es.put("fonts/"+seg(detect.Base(f.Path)), f.SHA256)
		e.show = fmt.Sprintf("%s (%s, sha256 %s)", f.Family, f.Path, short(f.SHA256))
	}

	for _, key := range slices.Sorted(maps.Keys(s.Editors)) {
		ed := s.Editors[key]
		k := "editors/" + seg(key)
		es.group(k, "("+ed.Path+")")
		if ed.Problem != "" {
			es.put(k+"/problem", ed.Problem)
		}
		if ed.Version != "" {
			es.put(k+"/version", ed.Version)
		}
		for name, v := range ed.Settings {
			es.put(k+"/settings/"+seg(name), canonicalJSON(v))
		}
		for _, id := range ed.Extensions {
			es.put(k+"/extensions/"+seg(id), "installed")
		}
		es.font(k, ed.Font)
		for name, v := range ed.Options {
			es.put(k+"/options/"+name, v) // file.xml/Component/option: the slashes are levels
		}
		if len(ed.Lines) > 0 {
			es.put(k+"/lines", strings.Join(ed.Lines, "\n")).show = plural(len(ed.Lines), "line")
		}
	}

	for mgr, pkgs := range s.Packages {
		k := "packages/" + seg(mgr)
		es.group(k, plural(len(pkgs), "package"))
		for name, ver := range pkgs {
			es.put(k+"/"+seg(name), ver)
		}
	}
	return es
}

// font lists a JetBrains editor font's fields under k/font: the same
// paths for a snapshot and a recipe.
func (es entries) font(k string, f *recipe.EditorFont) {
	if f == nil {
		return
	}
	es.put(k+"/font/family", f.Family)
	if f.Size != 0 {
		es.put(k+"/font/size", strconv.Itoa(f.Size))
	}
	if f.LineSpacing != 0 {
		es.put(k+"/font/line_spacing", strconv.FormatFloat(f.LineSpacing, 'g', -1, 64))
	}
	if f.Ligatures != nil {
		es.put(k+"/font/ligatures", strconv.FormatBool(*f.Ligatures))
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12] + "…"
	}
	return sum
}
