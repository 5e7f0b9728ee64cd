// Package detect tells what host envup runs on: the Platform value every
// other package branches on. OS-specific code lives here and in system only.
package detect

// Platform describes a host: its OS and version, the names people use for
// it, its architecture and C library, the package managers it has, and the
// user's directories. Tests and `--platform` build one by hand, so code
// that plans for Windows XP runs on Linux.
type Platform struct {
	OS      string `json:"os"`      // linux, macos, windows
	Version string `json:"version"` // NT version "5.1.2600", macOS "10.7.5", Linux VERSION_ID "22.04" (may be empty)
	Name    string `json:"name"`    // "xp", "7", "11", "server 2022", "lion", "sequoia"; on Linux the distro ID and version, "ubuntu 22.04"
	Arch    string `json:"arch"`    // Go names: amd64, arm64, 386
	Kernel  string `json:"kernel,omitempty"`

	Libc   Libc   `json:"libc,omitzero"`   // Linux only
	Distro Distro `json:"distro,omitzero"` // Linux only

	Server    bool   `json:"server,omitempty"`    // Windows product type is a server
	Edition   string `json:"edition,omitempty"`   // "Windows 10 Pro", "macOS", "Debian GNU/Linux 12 (bookworm)"
	Build     string `json:"build,omitempty"`     // Windows feature update ("23H2"), macOS build ("23A344")
	WSL       int    `json:"wsl,omitempty"`       // 1 or 2 inside WSL, else 0
	Container string `json:"container,omitempty"` // docker, podman, lxc, ... when inside one
	Rosetta   bool   `json:"rosetta,omitempty"`   // an amd64 process on Apple silicon

	Managers []string `json:"managers"` // package managers present, preferred first: apt, dnf, brew, ...

	User  string `json:"user"`
	Admin bool   `json:"admin"` // root, or an elevated Windows token
	Home  string `json:"home"`
	Dirs  Dirs   `json:"dirs"`

	// Foreign is true when the value was given with --platform rather than
	// read from this host: such a host cannot be observed, only planned for.
	Foreign bool `json:"foreign,omitempty"`
}

// Libc is the C library of a Linux host.
type Libc struct {
	Name    string `json:"name"`    // glibc or musl
	Version string `json:"version"` // "2.36"
}

// Distro is what os-release (or its fallbacks) says of a Linux host.
type Distro struct {
	ID       string   `json:"id"`                    // "ubuntu"
	IDLike   []string `json:"id_like,omitempty"`     // ["debian"]
	Version  string   `json:"version,omitempty"`     // VERSION_ID "22.04"
	Codename string   `json:"codename,omitempty"`    // "jammy"
	Pretty   string   `json:"pretty_name,omitempty"` // PRETTY_NAME
}

// Dirs are where envup keeps its files on this host (DirsFor;
// docs/architecture.md, "Where things go on disk"), and what decided each.
type Dirs struct {
	Data   string `json:"data"`   // interpreters, builds
	Cache  string `json:"cache"`  // downloads by sha256
	State  string `json:"state"`  // state file and the apply lock
	Bin    string `json:"bin"`    // links to installed programs
	Config string `json:"config"` // the user's config dir: ~/.config, ~/Library/Application Support, %APPDATA%

	From DirsFrom `json:"from,omitzero"`
	// Ignored names the variables that were set to something other than
	// an absolute path, so did not count: "ENVUP_CACHE_DIR", "XDG_DATA_HOME".
	Ignored []string `json:"ignored,omitempty"`
}

// DirsFrom names what decided each of the Dirs: the variable that moved
// it (ENVUP_CACHE_DIR, ENVUP_HOME, XDG_CACHE_HOME; on Windows
// LOCALAPPDATA or APPDATA) or FromDefault.
type DirsFrom struct {
	Data   string `json:"data,omitempty"`
	Cache  string `json:"cache,omitempty"`
	State  string `json:"state,omitempty"`
	Bin    string `json:"bin,omitempty"`
	Config string `json:"config,omitempty"`
}
