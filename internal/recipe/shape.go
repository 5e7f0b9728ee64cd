package recipe

import "regexp"

// A shape describes one value of the recipe format. The tree of shapes in
// format.go is the single source of truth for format 1: the loader checks
// every file against it, merges by it, expands vars and resolves paths
// where it says, and Schema() renders it as JSON Schema.
type shape struct {
	kind shapeKind
	doc  string // one sentence for the schema's description

	// objects
	name   string     // the schema's $defs name
	fields []field    // known keys, in rendering order
	what   string     // what an unknown key (objects) or value (enums) is called
	owner  string     // said in unknown-key messages: "unknown key for vim"
	groups [][]string // key groups of which exactly one is set: {url, sha256} or {path}
	maybe  bool       // at most one of the groups is set, not exactly one
	atomic bool       // merged as a whole (never deep-merged), so complete as written
	over   bool       // its fields are laid over the recipe, so their entries need not be whole

	// sequences and mappings with the user's keys
	elem     *shape
	elemFor  func(key string) *shape // per-key shapes (editors); nil for an unknown key
	keys     []string                // the keys elemFor knows
	keyWhat  string                  // what such a key is called: "editor"
	keyRe    *regexp.Regexp          // keys must match (also in the schema)
	keyPath  pathKind                // the keys are paths (files)
	reserved []string                // keys that may not be used (the built-in vars)
	unique   bool                    // sequences: no item twice
	nonEmpty bool                    // sequences: at least one item; strings: not ""
	program  bool                    // sequences: the first item names a program, so is not empty
	ordered  bool                    // vars: a value uses only the vars written above it

	// scalars
	enum     []string
	anyCase  bool                     // enum: in any case (os names)
	examples []string                 // good values: the schema's examples, the tests' samples
	pattern  string                   // for the schema only; check does the loader's work
	check    func(text string) string // "" when the value is fine
	min      int                      // integers
	positive bool                     // numbers: greater than 0
	max      int                      // integers; 0 for no bound
	path     pathKind
	noVars   bool    // ${...} is left as written (include, when)
	textAny  bool    // booleans are taken as written too
	numbers  numbers // whether a number is taken as written
	nul      bool    // may hold NUL bytes (a file's content)
}

// numbers says what a string value does with a YAML number, whose text
// another YAML reader would not keep: 3.10 is 3.1, 644 is not 0644.
type numbers int

const (
	numbersAsWritten numbers = iota // a number is taken as written: a name, a config value
	numbersIntegers                 // an integer as written (22); a float or 0x16 must be quoted (versions)
	numbersQuoted                   // every number must be quoted: no number is a good value (a URL, a sha256)
	numbersOctal                    // every number must be quoted, and is read as a file mode
)

type shapeKind int

const (
	strKind  shapeKind = iota // a string; a number is taken as written
	intKind                   // an integer
	numKind                   // a number, integer or not
	boolKind                  // true or false
	listKind                  // a sequence of elem
	objKind                   // a mapping with the keys in fields
	dictKind                  // a mapping with the user's keys, each an elem
	anyKind                   // any YAML value (editor settings)
	whenKind                  // a selector: string or object form
)

// pathKind says how a string is a path.
type pathKind int

const (
	notPath   pathKind = iota
	homePath           // "~" at the start is the user's home
	destPath           // a homePath on the target host: must be absolute or start with ~
	localPath          // a homePath; relative means beside the recipe, and must exist
)

// field is one known key of an object.
type field struct {
	name     string
	shape    *shape
	required bool
	why      string // said when a required key is missing
}

func (s *shape) field(name string) *field {
	for i := range s.fields {
		if s.fields[i].name == name {
			return &s.fields[i]
		}
	}
	return nil
}

func (s *shape) fieldNames() []string {
	out := make([]string, len(s.fields))
	for i, f := range s.fields {
		out[i] = f.name
	}
	return out
}

// elemShape is the shape of a mapping value under key.
func (s *shape) elemShape(key string) *shape {
	if s.elemFor != nil {
		return s.elemFor(key)
	}
	return s.elem
}

// groupOf tells which key group a key belongs to, or -1.
func (s *shape) groupOf(key string) int {
	for i, g := range s.groups {
		for _, k := range g {
			if k == key {
				return i
			}
		}
	}
	return -1
}
