package editor

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// jbProduct is one JetBrains IDE: the recipe key, the selector prefix its
// config directories are named with, and the name people call it.
type jbProduct struct {
	key, prefix, name string
}

// jbProducts are the IDEs envup knows, by recipe key. The prefixes are
// IntelliJ's PathManager selectors without the version (PLATFORMS.md §7.1).
var jbProducts = map[string]jbProduct{
	"pycharm":    {"pycharm", "PyCharm", "PyCharm"},
	"pycharm-ce": {"pycharm-ce", "PyCharmCE", "PyCharm CE"},
	"idea":       {"idea", "IntelliJIdea", "IntelliJ IDEA"},
	"idea-ce":    {"idea-ce", "IdeaIC", "IntelliJ IDEA CE"},
	"goland":     {"goland", "GoLand", "GoLand"},
	"webstorm":   {"webstorm", "WebStorm", "WebStorm"},
	"clion":      {"clion", "CLion", "CLion"},
	"phpstorm":   {"phpstorm", "PhpStorm", "PhpStorm"},
	"rubymine":   {"rubymine", "RubyMine", "RubyMine"},
	"rider":      {"rider", "Rider", "Rider"},
	"datagrip":   {"datagrip", "DataGrip", "DataGrip"},
	"rustrover":  {"rustrover", "RustRover", "RustRover"},
	"dataspell":  {"dataspell", "DataSpell", "DataSpell"},
}

// IsJetBrains says whether an editors key names a JetBrains IDE.
func IsJetBrains(key string) bool {
	_, ok := jbProducts[key]
	return ok
}

// jbVersion is a JetBrains release, year.release: 2024.3.
type jbVersion struct{ year, release int }

// jbLayoutSwitch is the first release that keeps its settings under the OS
// config dir (JetBrains/<sel>); older ones used ~/.<sel>/config.
var jbLayoutSwitch = jbVersion{2020, 1}

func (v jbVersion) String() string { return fmt.Sprintf("%d.%d", v.year, v.release) }

func (v jbVersion) compare(w jbVersion) int {
	if v.year != w.year {
		return v.year - w.year
	}
	return v.release - w.release
}

// legacy says whether v keeps its settings in the pre-2020.1 layout.
func (v jbVersion) legacy() bool { return v.compare(jbLayoutSwitch) < 0 }

// jbParseVersion reads "2024.3". Selectors carry no patch number, and the
// year-based numbering started with 2016.1: the older "IntelliJIdea15"
// dirs are not recognised.
func jbParseVersion(s string) (jbVersion, bool) {
	y, r, ok := strings.Cut(s, ".")
	if !ok || len(y) != 4 || r == "" || len(r) > 2 {
		return jbVersion{}, false
	}
	year, err1 := strconv.Atoi(y)
	rel, err2 := strconv.Atoi(r)
	if err1 != nil || err2 != nil || year < 2016 || rel < 1 || strings.ContainsAny(y+r, "+-") {
		return jbVersion{}, false
	}
	return jbVersion{year, rel}, true
}

// jbConfigDir is one config directory of a product.
type jbConfigDir struct {
	version jbVersion
	path    string
}

// jbDirFor is where version v of the product keeps its config on p
// (PLATFORMS.md §7.1): from 2020.1 <Dirs.Config>/JetBrains/<sel>; before,
// ~/Library/Preferences/<sel> on macOS and ~/.<sel>/config elsewhere.
// It is "" when p lacks the directory the layout starts from.
func jbDirFor(p detect.Platform, prefix string, v jbVersion) string {
	sel := prefix + v.String()
	switch {
	case !v.legacy():
		if p.Dirs.Config == "" {
			return ""
		}
		return p.Join(p.Dirs.Config, "JetBrains", sel)
	case p.Home == "":
		return ""
	case p.OS == "macos":
		return p.Join(p.Home, "Library", "Preferences", sel)
	default:
		return p.Join(p.Home, "."+sel, "config")
	}
}

// jbConfigDirs lists the product's existing config directories in both
// layouts, newest first. A directory whose version does not belong to the
// layout it is found in (a 2019.3 under JetBrains/) is not one the IDE
// reads, so it is left out.
func jbConfigDirs(sys system.System, p detect.Platform, prefix string) ([]jbConfigDir, error) {
	var found []jbConfigDir
	scan := func(parent, namePrefix string, legacy bool) error {
		if parent == "" {
			return nil
		}
		entries, err := sys.ReadDir(parent)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		for _, e := range entries {
			rest, ok := strings.CutPrefix(e.Name(), namePrefix)
			if !ok || !e.IsDir() {
				continue
			}
			v, ok := jbParseVersion(rest)
			if !ok || v.legacy() != legacy {
				continue
			}
			dir := jbDirFor(p, prefix, v)
			if legacy && p.OS != "macos" {
				// ~/.PyCharm2019.3 is there, but is its config/ too?
				if fi, err := sys.Stat(dir); err != nil || !fi.IsDir() {
					continue
				}
			}
			found = append(found, jbConfigDir{v, dir})
		}
		return nil
	}
	if p.Dirs.Config != "" {
		if err := scan(p.Join(p.Dirs.Config, "JetBrains"), prefix, false); err != nil {
			return nil, err
		}
	}
	if p.Home != "" {
		parent, namePrefix := p.Home, "."+prefix
		if p.OS == "macos" {
			parent, namePrefix = p.Join(p.Home, "Library", "Preferences"), prefix
		}
		if err := scan(parent, namePrefix, true); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(found, func(a, b jbConfigDir) int { return b.version.compare(a.version) })
	return found, nil
}
