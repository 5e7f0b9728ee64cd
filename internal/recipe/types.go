// Package recipe reads envup recipes (format 1, docs/recipe.md): typed
// values with the file, line and column each came from, includes, vars,
// platform overrides and `when:` selectors, and the JSON Schema.
package recipe

// Pos is where a value was written: file:line:col.
type Pos struct {
	File string `json:"-" yaml:"-"`
	Line int    `json:"-" yaml:"-"`
	Col  int    `json:"-" yaml:"-"`
}

// Recipe is one loaded recipe: after include, vars, `platforms` overrides
// and `when` filtering, what this platform should have. Maps are keyed as
// in the YAML; code that needs a stable order sorts the keys.
type Recipe struct {
	Envup       int    `yaml:"envup" json:"envup"`
	Name        string `yaml:"name,omitempty" json:"name,omitempty"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	Mirror      string `yaml:"mirror,omitempty" json:"mirror,omitempty"`

	Vars    map[string]string `yaml:"vars,omitempty" json:"vars,omitempty"`       // resolved: vars expanded, ~ replaced
	Include []string          `yaml:"include,omitempty" json:"include,omitempty"` // empty after Load: the files are merged in

	Packages     map[string]*PackageGroup `yaml:"packages,omitempty" json:"packages,omitempty"`
	Interpreters map[string]*Interpreter  `yaml:"interpreters,omitempty" json:"interpreters,omitempty"`
	Virtualenvs  map[string]*Virtualenv   `yaml:"virtualenvs,omitempty" json:"virtualenvs,omitempty"`
	Services     map[string]*Service      `yaml:"services,omitempty" json:"services,omitempty"`
	Fonts        map[string]*Font         `yaml:"fonts,omitempty" json:"fonts,omitempty"`
	Editors      map[string]*Editor       `yaml:"editors,omitempty" json:"editors,omitempty"`
	Files        map[string]*File         `yaml:"files,omitempty" json:"files,omitempty"`
	Checks       []*Check                 `yaml:"checks,omitempty" json:"checks,omitempty"`

	// Platforms is empty after Load: the matching overrides are merged in.
	Platforms []*Override `yaml:"platforms,omitempty" json:"platforms,omitempty"`

	Path string `yaml:"-" json:"-"` // the file Load was given
	Dir  string `yaml:"-" json:"-"` // its directory: relative paths start here

	builtins map[string]string // ${home}, ${os}, ${arch} of the platform Load was given
}

// Override is one `platforms` item: sections merged on top of the recipe
// where When matches.
type Override struct {
	When *Selector `yaml:"when" json:"when"`
	// The rest of the item, in the shape of a recipe's sections.
	Packages     map[string]*PackageGroup `yaml:"packages,omitempty" json:"packages,omitempty"`
	Interpreters map[string]*Interpreter  `yaml:"interpreters,omitempty" json:"interpreters,omitempty"`
	Virtualenvs  map[string]*Virtualenv   `yaml:"virtualenvs,omitempty" json:"virtualenvs,omitempty"`
	Services     map[string]*Service      `yaml:"services,omitempty" json:"services,omitempty"`
	Fonts        map[string]*Font         `yaml:"fonts,omitempty" json:"fonts,omitempty"`
	Editors      map[string]*Editor       `yaml:"editors,omitempty" json:"editors,omitempty"`
	Files        map[string]*File         `yaml:"files,omitempty" json:"files,omitempty"`
	Checks       []*Check                 `yaml:"checks,omitempty" json:"checks,omitempty"`
	Vars         map[string]string        `yaml:"vars,omitempty" json:"vars,omitempty"`
	Pos          Pos                      `yaml:"-" json:"-"`
}

// PackageGroup is a logical name for OS packages: per package manager
// (apt, dnf, yum, zypper, pacman, apk, brew, port, choco, scoop, winget),
// the names to install there.
type PackageGroup struct {
	Managers map[string][]string `yaml:",inline" json:"managers"`
	When     *Selector           `yaml:"when,omitempty" json:"when,omitempty"`
	Pos      Pos                 `yaml:"-" json:"-"`
}

// Download is a file envup fetches, pinned by its sha256.
type Download struct {
	URL    string `yaml:"url" json:"url"`
	SHA256 string `yaml:"sha256" json:"sha256"`
	Pos    Pos    `yaml:"-" json:"-"`
}

// Interpreter asks for a language runtime from the catalog (python, node).
type Interpreter struct {
	Tool    string    `yaml:"tool,omitempty" json:"tool,omitempty"` // defaults to the key
	Version string    `yaml:"version" json:"version"`               // a go-version constraint
	Sources []string  `yaml:"sources,omitempty" json:"sources,omitempty"`
	Default bool      `yaml:"default,omitempty" json:"default,omitempty"`
	Archive *Download `yaml:"archive,omitempty" json:"archive,omitempty"`
	When    *Selector `yaml:"when,omitempty" json:"when,omitempty"`
	Pos     Pos       `yaml:"-" json:"-"`
	// Unpinned is the recipe's own version when a lock pinned Version
	// (lock.Pin): what the recipe's other sources are tried for when the
	// pinned files cannot be fetched. Empty when no lock pinned it.
	Unpinned string `yaml:"-" json:"-"`
}

// Virtualenv is a Python environment bound to an interpreter.
type Virtualenv struct {
	Path         string   `yaml:"path" json:"path"`
	Python       string   `yaml:"python,omitempty" json:"python,omitempty"` // an interpreters key; default "python"
	Packages     []string `yaml:"packages,omitempty" json:"packages,omitempty"`
	Requirements []string `yaml:"requirements,omitempty" json:"requirements,omitempty"`
	FindLinks    []string `yaml:"find_links,omitempty" json:"find_links,omitempty"`
	Offline      bool     `yaml:"offline,omitempty" json:"offline,omitempty"`

	IndexURL           string    `yaml:"index_url,omitempty" json:"index_url,omitempty"`                       // pip --index-url
	ExtraIndexURLs     []string  `yaml:"extra_index_urls,omitempty" json:"extra_index_urls,omitempty"`         // pip --extra-index-url
	Exact              bool      `yaml:"exact,omitempty" json:"exact,omitempty"`                               // remove packages the recipe does not name
	SystemSitePackages bool      `yaml:"system_site_packages,omitempty" json:"system_site_packages,omitempty"` // venv --system-site-packages
	Prompt             string    `yaml:"prompt,omitempty" json:"prompt,omitempty"`                             // venv --prompt
	Pip                string    `yaml:"pip,omitempty" json:"pip,omitempty"`                                   // a PEP 440 specifier for pip itself: "==23.2.1", "<24"
	When               *Selector `yaml:"when,omitempty" json:"when,omitempty"`
	Pos                Pos       `yaml:"-" json:"-"`
}

// Service is a server envup builds or fetches, configures and starts.
type Service struct {
	Kind    string            `yaml:"kind,omitempty" json:"kind,omitempty"` // redis or valkey; defaults to the key
	Version string            `yaml:"version" json:"version"`
	Sources []string          `yaml:"sources,omitempty" json:"sources,omitempty"`
	Port    int               `yaml:"port,omitempty" json:"port,omitempty"`
	Config  map[string]string `yaml:"config,omitempty" json:"config,omitempty"`
	Start   bool              `yaml:"start,omitempty" json:"start,omitempty"`
	Archive *Download         `yaml:"archive,omitempty" json:"archive,omitempty"` // a prebuilt server (a Windows zip) of the recipe's own
	Source  *Download         `yaml:"source,omitempty" json:"source,omitempty"`
	When    *Selector         `yaml:"when,omitempty" json:"when,omitempty"`
	Pos     Pos               `yaml:"-" json:"-"`
	// Unpinned is the recipe's own version when a lock pinned Version,
	// as Interpreter.Unpinned.
	Unpinned string `yaml:"-" json:"-"`
}

// Font is a font family to install for the user, from a URL or a file
// beside the recipe.
type Font struct {
	URL    string    `yaml:"url,omitempty" json:"url,omitempty"`
	SHA256 string    `yaml:"sha256,omitempty" json:"sha256,omitempty"`
	Path   string    `yaml:"path,omitempty" json:"path,omitempty"`
	When   *Selector `yaml:"when,omitempty" json:"when,omitempty"`
	Pos    Pos       `yaml:"-" json:"-"`
}

// Editor is the settings for one editor. The key says which: vscode
// (Settings, Flavor, Extensions), sublime (Settings), vim and neovim
// (Lines), or a JetBrains product such as pycharm, pycharm-ce, idea,
// idea-ce, goland (Font, Options, Version).
type Editor struct {
	Settings   map[string]any                          `yaml:"settings,omitempty" json:"settings,omitempty"`
	Flavor     string                                  `yaml:"flavor,omitempty" json:"flavor,omitempty"`         // vscode: code (default), insiders, vscodium
	Extensions []string                                `yaml:"extensions,omitempty" json:"extensions,omitempty"` // vscode: extension ids, installed through the CLI
	Version    string                                  `yaml:"version,omitempty" json:"version,omitempty"`       // JetBrains: "2024.3"; default the newest installed
	Font       *EditorFont                             `yaml:"font,omitempty" json:"font,omitempty"`
	Options    map[string]map[string]map[string]string `yaml:"options,omitempty" json:"options,omitempty"` // file -> component -> option -> value
	Lines      []string                                `yaml:"lines,omitempty" json:"lines,omitempty"`
	When       *Selector                               `yaml:"when,omitempty" json:"when,omitempty"`
	Pos        Pos                                     `yaml:"-" json:"-"`
}

// EditorFont is a JetBrains editor font.
type EditorFont struct {
	Family      string  `yaml:"family" json:"family"`
	Size        int     `yaml:"size,omitempty" json:"size,omitempty"`
	LineSpacing float64 `yaml:"line_spacing,omitempty" json:"line_spacing,omitempty"`
	Ligatures   *bool   `yaml:"ligatures,omitempty" json:"ligatures,omitempty"`
}

// File is a file the recipe owns, keyed by its destination path.
type File struct {
	Content *string   `yaml:"content,omitempty" json:"content,omitempty"`
	Source  string    `yaml:"source,omitempty" json:"source,omitempty"` // relative to the recipe
	Mode    string    `yaml:"mode,omitempty" json:"mode,omitempty"`     // octal, "0644"
	Vars    bool      `yaml:"vars,omitempty" json:"vars,omitempty"`     // expand ${vars} inside Source's text
	When    *Selector `yaml:"when,omitempty" json:"when,omitempty"`
	Pos     Pos       `yaml:"-" json:"-"`
}

// Check is a command run after apply and by `envup check`.
type Check struct {
	Name     string    `yaml:"name" json:"name"`
	Run      []string  `yaml:"run" json:"run"`
	Expect   string    `yaml:"expect,omitempty" json:"expect,omitempty"`       // a substring of stdout
	ExpectRe string    `yaml:"expect_re,omitempty" json:"expect_re,omitempty"` // a regexp stdout must match
	Timeout  string    `yaml:"timeout,omitempty" json:"timeout,omitempty"`     // a Go duration, "30s"; default 60s
	When     *Selector `yaml:"when,omitempty" json:"when,omitempty"`
	Pos      Pos       `yaml:"-" json:"-"`
}

// Selector is a `when:` condition on the platform. The string form
// "linux ubuntu >= 22.04" and the object form decode to the same value.
type Selector struct {
	OS      string `yaml:"os,omitempty" json:"os,omitempty"`           // linux, macos, windows
	Distro  string `yaml:"distro,omitempty" json:"distro,omitempty"`   // matched against ID and ID_LIKE
	Name    string `yaml:"name,omitempty" json:"name,omitempty"`       // xp, 7, lion, ...
	Version string `yaml:"version,omitempty" json:"version,omitempty"` // a go-version constraint on the OS version
	Arch    string `yaml:"arch,omitempty" json:"arch,omitempty"`
	Libc    string `yaml:"libc,omitempty" json:"libc,omitempty"`
	Text    string `yaml:"-" json:"-"` // the string form as written, for messages
	Pos     Pos    `yaml:"-" json:"-"`
}
