package venv

// State is what Observe saw of a venv: the base it is built on, its
// pyvenv.cfg, every installed distribution (the snapshot's package set),
// and how that differs from the recipe.
type State struct {
	Path string `json:"path"`
	// WaitsFor is the base interpreter's resource ID when it is not
	// installed yet: apply makes the venv once the engine, having
	// installed it, observes again.
	WaitsFor string    `json:"waits_for,omitempty"`
	Base     *BaseInfo `json:"base,omitempty"`
	Exists   bool      `json:"exists"`
	Config   *Config   `json:"pyvenv_cfg,omitempty"`
	// Recreate says why the venv must be made (again); "" when it stays.
	Recreate string `json:"recreate,omitempty"`
	// Marked says the venv holds envup's marker: the last apply that
	// changed it finished. An unmarked venv that stays was probed.
	Marked bool `json:"marked,omitempty"`

	// Packages is every distribution installed in the venv itself:
	// normalised name (PEP 503) → version.
	Packages map[string]string `json:"packages"`
	// System is what the base's own site-packages hold, when the venv
	// sees them (system_site_packages).
	System map[string]string `json:"system_packages,omitempty"`

	Missing    []Want     `json:"missing,omitempty"`
	Wrong      []Mismatch `json:"wrong,omitempty"`
	Extra      []string   `json:"extra,omitempty"`     // exact: installed, not asked for
	Unchecked  []string   `json:"unchecked,omitempty"` // requirements envup cannot check (no name, a file at a URL)
	PipMissing bool       `json:"pip_missing,omitempty"`
	PipPin     string     `json:"pip_pin,omitempty"` // pip must be installed at this specifier
	PipHave    string     `json:"pip_have,omitempty"`

	dists map[string]*Dist
	plan  plan
}

// plan is what Apply needs beyond the exported state.
type plan struct {
	wanted    *wanted
	install   []*Requirement // missing or wrong, in the recipe's order
	unchecked []*Requirement // given to pip whenever it runs
}

// BaseInfo is the interpreter a venv is (to be) built on.
type BaseInfo struct {
	Path    string `json:"path"`
	Version string `json:"version"`
}

// Want is a requirement nothing installed satisfies.
type Want struct {
	Name      string `json:"name"`
	Specifier string `json:"specifier,omitempty"`
}

// Mismatch is an installed distribution at a version the recipe does not
// allow.
type Mismatch struct {
	Name string `json:"name"`
	Have string `json:"have"`
	Want string `json:"want"`
}
