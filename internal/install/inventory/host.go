package inventory

import (
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// host is the machine Find looks at, as its Platform describes it: its
// path syntax, its environment, and the directories it has already read.
// It lives for one Find, so each directory is read once however many
// places name it (/usr/bin is both on the PATH and a system directory).
type host struct {
	sys  system.System
	p    detect.Platform
	win  bool
	sep  string
	memo *state.Memo
	read map[string][]entry // listings by directory; nil for unreadable
	real *resolver
}

func newHost(sys system.System, p detect.Platform, memo *state.Memo) *host {
	win := p.OS == "windows"
	sep := "/"
	// A Windows host's paths take backslashes unless its home was
	// written with slashes (a test, or an MSYS-style platform value).
	if win && (p.Home == "" || strings.Contains(p.Home, `\`)) {
		sep = `\`
	}
	return &host{sys: sys, p: p, win: win, sep: sep, memo: memo, read: map[string][]entry{}, real: newResolver(sys, win)}
}

// join joins path elements in the host's syntax (detect.Path). An empty
// base (a directory the platform does not know, such as a missing home)
// joins to "", never to a path relative to wherever envup runs.
func (h *host) join(base string, elem ...string) string {
	p := h.p.Path(base)
	if h.sep == `\` {
		p = p.Native()
	}
	return p.Join(elem...).String()
}

// entry is one name in a directory, and whether it is a directory or a
// link that may lead to one (uv and mise keep "3.12" links to "3.12.1").
type entry struct {
	name string
	dir  bool
}

// settle is how long a directory must have gone unchanged before its
// listing is remembered. A change within the same mtime tick as the
// listing (file systems with one- or two-second mtimes) would otherwise
// go unseen; this is git's "racy clean" rule.
const settle = 2 * time.Second

// readDir lists the names in dir that may matter to Find (see
// interesting), reading each directory at most once per Find. Across
// runs the listing is remembered in the memo with the directory's
// mtime, which changes whenever a name is added, removed or renamed: an
// unchanged directory costs one Stat, not a ReadDir (/usr/bin holds a
// thousand names). A missing or unreadable directory lists nothing.
func (h *host) readDir(dir string) []entry {
	if entries, ok := h.read[dir]; ok {
		return entries
	}
	entries := h.list(dir)
	h.read[dir] = entries
	return entries
}

func (h *host) list(dir string) []entry {
	if !h.isAbs(dir) {
		return nil
	}
	fi, err := h.sys.Stat(dir)
	if err != nil || !fi.IsDir() {
		return nil
	}
	key := "inventory/dir " + dir
	stamp := strconv.FormatInt(fi.ModTime().UnixNano(), 10) + "\n"
	if v, ok := h.memo.Get(key); ok {
		if names, ok := strings.CutPrefix(v, stamp); ok {
			return decodeEntries(names)
		}
	}
	des, err := h.sys.ReadDir(dir)
	if err != nil {
		return nil
	}
	var entries []entry
	for _, de := range des {
		if interesting(de.Name()) {
			entries = append(entries, entry{name: de.Name(), dir: de.IsDir() || de.Type()&fs.ModeSymlink != 0})
		}
	}
	if time.Since(fi.ModTime()) > settle {
		h.memo.Put(key, stamp+encodeEntries(entries))
	}
	return entries
}

// interesting says whether a name may be something Find looks for: an
// interpreter (python*, node*), a version folder ("3.12.1", "v20.20.2",
// "cpython-3.12.1-…", "python@3.12", "Python312"). Every matcher in
// places.go accepts only names this accepts; the rest of a directory is
// not remembered.
func interesting(name string) bool {
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(lower, "python"), strings.HasPrefix(lower, "node"), strings.HasPrefix(lower, "cpython-"):
		return true
	case lower != "" && lower[0] >= '0' && lower[0] <= '9':
		return true
	case len(lower) > 1 && lower[0] == 'v' && lower[1] >= '0' && lower[1] <= '9':
		return true
	}
	return false
}

// encodeEntries writes entries one per line, a directory with a
// trailing slash (no name holds one).
func encodeEntries(entries []entry) string {
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(e.name)
		if e.dir {
			b.WriteByte('/')
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func decodeEntries(s string) []entry {
	var entries []entry
	for _, line := range strings.Split(s, "\n") {
		if line == "" {
			continue
		}
		name, dir := strings.CutSuffix(line, "/")
		entries = append(entries, entry{name: name, dir: dir})
	}
	return entries
}

// env reads a variable of the host, or def when it is unset.
func (h *host) env(key, def string) string {
	if v := h.sys.Getenv(key); v != "" {
		return v
	}
	return def
}

// home is the user's home directory; "" when the platform does not say.
func (h *host) home() string { return h.p.Home }

// under joins elem to the home directory, or says "" when there is none.
func (h *host) under(elem ...string) string {
	if h.home() == "" {
		return ""
	}
	return h.join(h.home(), elem...)
}

// xdgData is $XDG_DATA_HOME, ~/.local/share by default; uv and mise keep
// their installs there on Linux and macOS alike.
func (h *host) xdgData() string { return h.env("XDG_DATA_HOME", h.under(".local", "share")) }

// localAppData is %LOCALAPPDATA%, ~\AppData\Local by default.
func (h *host) localAppData() string { return h.env("LOCALAPPDATA", h.under("AppData", "Local")) }

// appData is %APPDATA%, ~\AppData\Roaming by default.
func (h *host) appData() string { return h.env("APPDATA", h.under("AppData", "Roaming")) }

// programFiles are the folders all-users installers put programs in.
func (h *host) programFiles() []string {
	dirs := []string{h.env("ProgramFiles", `C:\Program Files`)}
	if x86 := h.sys.Getenv("ProgramFiles(x86)"); x86 != "" && x86 != dirs[0] {
		dirs = append(dirs, x86)
	}
	return dirs
}

// systemDrive is the root of the Windows drive ("C:\"), where Python
// 2.7 and 3.0–3.4 installers put C:\Python27, C:\Python34.
func (h *host) systemDrive() string {
	return strings.TrimRight(h.env("SystemDrive", "C:"), `\/`) + h.sep
}

// pathDirs are the directories of the host's PATH, in order, each once.
// Relative entries are left out: what they name depends on the directory
// envup happens to run in.
func (h *host) pathDirs() []string {
	list := h.sys.Getenv("PATH")
	sep := ":"
	if h.win {
		sep = ";"
	}
	var dirs []string
	seen := map[string]bool{}
	for _, d := range strings.Split(list, sep) {
		d = strings.Trim(strings.TrimSpace(d), `"`)
		if d == "" || !h.isAbs(d) {
			continue
		}
		key := d
		if h.win {
			key = strings.ToLower(strings.TrimRight(d, `\/`))
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		dirs = append(dirs, d)
	}
	return dirs
}

// isAbs says whether p is an absolute path in the host's syntax.
func (h *host) isAbs(p string) bool {
	if !h.win {
		return strings.HasPrefix(p, "/")
	}
	return isWindowsAbs(p)
}

// isWindowsAbs says whether p is a drive path (C:\x, C:/x) or a UNC path.
func isWindowsAbs(p string) bool {
	if strings.HasPrefix(p, `\\`) {
		return true
	}
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') &&
		(p[0]|0x20 >= 'a' && p[0]|0x20 <= 'z')
}

// base is the last element of p, in either syntax.
func base(p string) string {
	p = strings.TrimRight(p, `\/`)
	if i := strings.LastIndexAny(p, `\/`); i >= 0 {
		return p[i+1:]
	}
	return p
}
