package detect

import "strings"

// DirsFor is where envup keeps its files for a user of the given OS
// (linux, macos, windows; others are treated as linux) whose home folder
// is home, with getenv reading that user's environment (ARCHITECTURE.md,
// "Where things go on disk"):
//
//	        Linux                           macOS                                Windows
//	data    $XDG_DATA_HOME/envup            ~/Library/Application Support/envup  %LOCALAPPDATA%\envup
//	cache   $XDG_CACHE_HOME/envup           ~/Library/Caches/envup               %LOCALAPPDATA%\envup\cache
//	state   $XDG_STATE_HOME/envup           data                                 data
//	bin     ~/.local/bin                    ~/.local/bin                         %LOCALAPPDATA%\envup\bin
//	config  $XDG_CONFIG_HOME                ~/Library/Application Support        %APPDATA%
//
// The XDG variables default to ~/.local/share, ~/.cache, ~/.local/state
// and ~/.config, and count only when absolute. Without LOCALAPPDATA
// (Windows XP and 2000 lack it), local data is beside APPDATA's
// "Application Data" under "Local Settings", as XP lays it out, or in
// AppData\Local. ENVUP_HOME, when set, holds data, cache, state and bin
// as its subfolders of those names; config stays the user's.
//
// DirsFor is pure, so a test on Linux computes Windows paths: paths are
// joined with "\" on Windows when home has one, else with "/".
func DirsFor(os, home string, getenv func(string) string) Dirs {
	// Every folder is written the way home is (Platform.Path), so a
	// --platform host's "~" gives "~/AppData/Local/envup".
	root := newPath(home, os == "windows")
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
	case "windows":
		d = windowsDirs(home, getenv, join)
	default:
		xdg := func(name string, def ...string) string {
			if v := getenv(name); strings.HasPrefix(v, "/") {
				if t := strings.TrimRight(v, "/"); t != "" {
					return t
				}
				return v
			}
			return join(append([]string{home}, def...)...)
		}
		d = Dirs{
			Data:   join(xdg("XDG_DATA_HOME", ".local", "share"), "envup"),
			Cache:  join(xdg("XDG_CACHE_HOME", ".cache"), "envup"),
			State:  join(xdg("XDG_STATE_HOME", ".local", "state"), "envup"),
			Bin:    join(home, ".local", "bin"),
			Config: xdg("XDG_CONFIG_HOME", ".config"),
		}
	}
	if h := getenv("ENVUP_HOME"); h != "" {
		if os == "windows" && strings.Contains(h, `\`) {
			root = newPath(h, true)
		}
		d.Data, d.Cache, d.State, d.Bin = join(h, "data"), join(h, "cache"), join(h, "state"), join(h, "bin")
	}
	return d
}

func windowsDirs(home string, getenv func(string) string, join func(...string) string) Dirs {
	appData := getenv("APPDATA")
	local := getenv("LOCALAPPDATA")
	switch {
	case local != "":
	case isXPAppData(appData):
		// XP: %APPDATA% is <home>\Application Data; local data is
		// <home>\Local Settings\Application Data.
		local = join(home, "Local Settings", "Application Data")
	default:
		local = join(home, "AppData", "Local")
	}
	if appData == "" {
		appData = join(home, "AppData", "Roaming")
	}
	data := join(local, "envup")
	return Dirs{
		Data:   data,
		Cache:  join(data, "cache"),
		State:  data,
		Bin:    join(data, "bin"),
		Config: appData,
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
