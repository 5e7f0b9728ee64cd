package detect

import (
	"slices"
	"strings"
)

// DirsFor is where envup keeps its files for a user of the given OS
// (linux, macos, windows; others are treated as linux) whose home folder
// is home, with getenv reading that user's environment (docs/architecture.md,
// "Where things go on disk"). Each folder is the first of:
//
//	        its own variable   ENVUP_HOME/…   XDG (Linux; macOS when set)   the OS default
//	data    ENVUP_DATA_DIR     …/data         $XDG_DATA_HOME/envup          see below
//	cache   ENVUP_CACHE_DIR    …/cache        $XDG_CACHE_HOME/envup
//	state   ENVUP_STATE_DIR    …/state        $XDG_STATE_HOME/envup
//	bin     ENVUP_BIN_DIR      …/bin          $XDG_BIN_HOME
//	config  (none)             (none)         $XDG_CONFIG_HOME (Linux only)
//
// and the OS defaults are:
//
//	        Linux                   macOS                                Windows
//	data    ~/.local/share/envup    ~/Library/Application Support/envup  %LOCALAPPDATA%\envup
//	cache   ~/.cache/envup          ~/Library/Caches/envup               %LOCALAPPDATA%\envup\cache
//	state   ~/.local/state/envup    ~/Library/Application Support/envup  %LOCALAPPDATA%\envup
//	bin     ~/.local/bin            ~/.local/bin                         %LOCALAPPDATA%\envup\bin
//	config  ~/.config               ~/Library/Application Support        %APPDATA%
//
// A variable moves its own folder and no other: ENVUP_DATA_DIR leaves the
// cache where it was, on Windows too. Empty is unset, and a value that is
// not an absolute path for that OS is ignored (the XDG Base Directory
// spec says so of its variables; envup's own follow the same rule, so a
// relative value never puts the state somewhere that depends on the
// folder envup runs in) and named in Dirs.Ignored, in sorted order.
// Windows reads no XDG variable. Without LOCALAPPDATA (Windows XP and
// 2000 lack it), local data is beside APPDATA's "Application Data" under
// "Local Settings", as XP lays it out, or in AppData\Local.
//
// On macOS the XDG variables count when set, as they do for uv, mise and
// chezmoi there: uv's storage reference says it "follows the XDG
// conventions on Linux and macOS" and looks for its executables in
// $XDG_BIN_HOME first on every platform (uv-dirs'
// user_executable_directory); mise's env.rs reads XDG_CACHE_HOME on macOS
// before falling back to ~/Library/Caches, and XDG_DATA_HOME and
// XDG_STATE_HOME on every Unix; chezmoi reads all of them through
// twpayne/go-xdg, which has no macOS case at all. Unlike uv and
// chezmoi, envup keeps the ~/Library defaults when they are unset. Config
// is the exception: it is where other programs keep their settings (VS
// Code, JetBrains and Sublime Text read ~/Library/Application Support on
// macOS whatever XDG_CONFIG_HOME says), so envup does not move it there.
//
// DirsFor is pure, so a test on Linux computes Windows and macOS paths
// (which is also why it is not adrg/xdg, which reads this process's own
// OS and environment): paths are joined with "\" on Windows when the
// folder they start from has one, else with "/".
func DirsFor(os, home string, getenv func(string) string) Dirs {
	win := os == "windows"
	// The defaults are written the way home is (Platform.Path), so a
	// --platform host's "~" gives "~/AppData/Local/envup".
	root := newPath(home, win)
	join := func(elem ...string) string { return root.on(elem[0]).Join(elem[1:]...).String() }
	var d Dirs
	switch os {
	case "macos":
		support := join(home, "Library", "Application Support")
		d = Dirs{
			Data:   join(support, "envup"),
			Cache:  join(home, "Library", "Caches", "envup"),
			Bin:    join(home, ".local", "bin"),
			Config: support,
		}
		d.State = d.Data
		d.From = DirsFrom{Data: FromDefault, Cache: FromDefault, State: FromDefault, Bin: FromDefault, Config: FromDefault}
	case "windows":
		d = windowsDirs(home, getenv, join)
	default:
		d = Dirs{
			Data:   join(home, ".local", "share", "envup"),
			Cache:  join(home, ".cache", "envup"),
			State:  join(home, ".local", "state", "envup"),
			Bin:    join(home, ".local", "bin"),
			Config: join(home, ".config"),
		}
		d.From = DirsFrom{Data: FromDefault, Cache: FromDefault, State: FromDefault, Bin: FromDefault, Config: FromDefault}
	}

	// abs is the variable's value as a path when it is an absolute one;
	// a value that is not is noted in d.Ignored.
	abs := func(name string) (Path, bool) {
		v := ""
		if name != "" {
			v = getenv(name)
		}
		if v == "" {
			return Path{}, false
		}
		p := newPath(v, win)
		if !p.isAbs() {
			d.Ignored = append(d.Ignored, name)
			return Path{}, false
		}
		return p.trimmed(), true
	}
	envupHome, inHome := abs("ENVUP_HOME")
	for _, f := range []struct {
		dir, from *string
		own       string // envup's variable for this folder alone
		sub       string // its subfolder of ENVUP_HOME
		xdg       string // the XDG variable read on this OS
		inXDG     string // envup's subfolder of the XDG folder
	}{
		{&d.Data, &d.From.Data, "ENVUP_DATA_DIR", "data", "XDG_DATA_HOME", "envup"},
		{&d.Cache, &d.From.Cache, "ENVUP_CACHE_DIR", "cache", "XDG_CACHE_HOME", "envup"},
		{&d.State, &d.From.State, "ENVUP_STATE_DIR", "state", "XDG_STATE_HOME", "envup"},
		{&d.Bin, &d.From.Bin, "ENVUP_BIN_DIR", "bin", "XDG_BIN_HOME", ""},
		{&d.Config, &d.From.Config, "", "", xdgConfig(os), ""},
	} {
		if win {
			f.xdg = ""
		}
		// Both are read, so a relative value is noted even when the
		// other decides.
		own, isOwn := abs(f.own)
		xdg, isXDG := abs(f.xdg)
		switch {
		case isOwn:
			*f.dir, *f.from = own.String(), f.own
		case inHome && f.sub != "":
			*f.dir, *f.from = envupHome.Join(f.sub).String(), "ENVUP_HOME"
		case isXDG && f.inXDG == "":
			*f.dir, *f.from = xdg.String(), f.xdg
		case isXDG:
			*f.dir, *f.from = xdg.Join(f.inXDG).String(), f.xdg
		}
	}
	slices.Sort(d.Ignored)
	return d
}

// FromDefault is DirsFrom's word for a folder no variable moved.
const FromDefault = "default"

// xdgConfig is the variable that moves the config folder on os: only
// Linux (and the other Unixes) read XDG_CONFIG_HOME for it.
func xdgConfig(os string) string {
	if os == "macos" || os == "windows" {
		return ""
	}
	return "XDG_CONFIG_HOME"
}

func windowsDirs(home string, getenv func(string) string, join func(...string) string) Dirs {
	appData := getenv("APPDATA")
	local := getenv("LOCALAPPDATA")
	localFrom, appDataFrom := "LOCALAPPDATA", "APPDATA"
	switch {
	case local != "":
	case isXPAppData(appData):
		// XP: %APPDATA% is <home>\Application Data; local data is
		// <home>\Local Settings\Application Data.
		local, localFrom = join(home, "Local Settings", "Application Data"), FromDefault
	default:
		local, localFrom = join(home, "AppData", "Local"), FromDefault
	}
	if appData == "" {
		appData, appDataFrom = join(home, "AppData", "Roaming"), FromDefault
	}
	// As written, less a trailing \ (every other folder loses it in a
	// join; FuzzDirsFor found APPDATA's did not).
	appData = newPath(appData, true).trimmed().String()
	data := join(local, "envup")
	return Dirs{
		Data:   data,
		Cache:  join(data, "cache"),
		State:  data,
		Bin:    join(data, "bin"),
		Config: appData,
		From:   DirsFrom{Data: localFrom, Cache: localFrom, State: localFrom, Bin: localFrom, Config: appDataFrom},
	}
}

// isXPAppData tells whether APPDATA has the pre-Vista layout.
func isXPAppData(appData string) bool {
	return strings.HasSuffix(strings.TrimRight(strings.ReplaceAll(appData, `\`, "/"), "/"), "/Application Data")
}

// on is s written the way p is: joined with p's separator.
func (p Path) on(s string) Path {
	p.s = s
	return p
}

// isAbs says whether p is absolute on its host: /x; on Windows C:\x,
// C:/x or \\server\share (\x, the root of whichever drive is current, is
// not, as Go's filepath.IsAbs has it).
func (p Path) isAbs() bool {
	s := p.s
	if !p.win {
		return strings.HasPrefix(s, "/")
	}
	sep := func(i int) bool { return i < len(s) && (s[i] == '\\' || s[i] == '/') }
	if sep(0) && sep(1) {
		return len(s) > 2 && !sep(2) // \\server, not \\ alone
	}
	if len(s) < 3 || s[1] != ':' || !sep(2) {
		return false
	}
	c := s[0] | 0x20 // the drive letter in lower case
	return 'a' <= c && c <= 'z'
}

// trimmed is p without trailing separators, except a root's own: "/"
// and `C:\` stay as they are.
func (p Path) trimmed() Path {
	s := strings.TrimRight(p.s, p.seps())
	switch {
	case s == "":
		s = p.s[:1]
	case p.win && len(s) == 2 && s[1] == ':' && len(p.s) > 2:
		s = p.s[:3] // C:\, not C: (FuzzDirsFor: "0:" alone panicked)
	}
	p.s = s
	return p
}
