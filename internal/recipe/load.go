package recipe

import (
	"path/filepath"
	"reflect"
	"strings"

	"github.com/envup/envup/internal/detect"
)

// loader is the state of one Load.
type loader struct {
	e     *errs
	stack []string // absolute paths of the files being included, for cycles
	names []string // the same, as they are shown
	reads int      // files read, for maxFiles
	bytes int      // bytes read, for maxBytes
	full  bool     // one of the limits was passed, and reported
	// the values made from all the files, for the alias budget: a file
	// within it, included 100 times, is not
	aliases aliasBudget
}

// Load reads the recipe at path for platform p and returns what p should
// have: includes merged, the matching `platforms` overrides merged on
// top, vars expanded, ~ replaced by p.Home in paths, relative paths
// rebased on the recipe's folder, entries whose `when` does not match p
// left out, and defaults filled in (an interpreter's tool and sources, a
// service's kind, sources and port, a virtualenv's python, a check's
// timeout).
//
// Problems in the recipe come back as an ErrorList, one *Error each with
// its file:line:col, sorted. A stage runs only when the ones before it
// found nothing: syntax and shape (every file, every override), then
// vars, paths and the complete recipe, then what depends on p.
func Load(path string, p detect.Platform) (*Recipe, error) {
	return load(path, nil, p)
}

// load is Load with the recipe's own text, when src is not nil, taken
// from src instead of read from path (its includes and local files are
// still read beside path): the schema test loads some 50,000 recipes.
func load(path string, src []byte, p detect.Platform) (*Recipe, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	l := &loader{e: &errs{}, stack: []string{abs}, names: []string{path}}
	root, err := l.files(path, src)
	if err != nil {
		return nil, err
	}
	if err := l.e.err(); err != nil {
		return nil, err
	}
	eff, others := overrides(root, p)
	prune(eff)
	expandVars(eff, others, p, l.e)
	if err := l.e.err(); err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	localPaths(eff, recipeShape, "", dir, l.e)
	(&checker{e: l.e, complete: true}).check(eff, recipeShape, "")
	if err := l.e.err(); err != nil {
		return nil, err
	}
	crossCheck(eff, l.e)
	if err := l.e.err(); err != nil {
		return nil, err
	}
	dropped := filter(eff, p)
	r := &Recipe{Path: path, Dir: dir, builtins: Builtins(p)}
	decode(eff, reflect.ValueOf(r).Elem(), eff.pos)
	r.fillDefaults()
	platformCheck(r, dropped, l.e)
	if err := l.e.err(); err != nil {
		return nil, err
	}
	return r, nil
}

// fillDefaults writes down what the recipe left to its defaults, so the
// rest of envup reads one value and `envup render` shows it.
func (r *Recipe) fillDefaults() {
	for k, in := range r.Interpreters {
		if in.Tool == "" {
			in.Tool = k
		}
		if in.Sources == nil {
			in.Sources = append([]string(nil), InterpreterSources...)
		}
		if in.Archive != nil {
			in.Archive.SHA256 = strings.ToLower(in.Archive.SHA256)
		}
	}
	for _, v := range r.Virtualenvs {
		if v.Python == "" {
			v.Python = "python"
		}
		v.Pip = pipSpecifier(v.Pip)
	}
	for k, s := range r.Services {
		if s.Kind == "" {
			s.Kind = k
		}
		if s.Sources == nil {
			s.Sources = append([]string(nil), ServiceSources...)
		}
		if s.Port == 0 {
			s.Port = DefaultPort
		}
		if s.Source != nil {
			s.Source.SHA256 = strings.ToLower(s.Source.SHA256)
		}
	}
	if e := r.Editors["vscode"]; e != nil && e.Flavor == "" {
		e.Flavor = VSCodeFlavors[0]
	}
	for _, f := range r.Fonts {
		f.SHA256 = strings.ToLower(f.SHA256)
	}
	for _, c := range r.Checks {
		if c.Timeout == "" {
			c.Timeout = DefaultTimeout
		}
	}
}
