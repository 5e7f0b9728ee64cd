package inventory

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/envup/envup/internal/detect"

	"github.com/envup/envup/internal/system"
)

// pyLauncher lists the pythons Windows' py launcher knows: those
// registered under PEP 514's registry keys (HKCU and HKLM
// Software\Python) and the Store's. System has no registry verb, so the
// launcher reads the registry for envup: `py -0p`.
//
// Its answer is remembered with a stamp made of the launcher's own size
// and mtime and the mtimes of the folders installers put pythons in (per
// user, all users, the Store's aliases): while the stamp holds, no
// process is spawned. A python registered in a folder of its own is seen
// on the next change there, or sooner through the PATH.
func (h *host) pyLauncher(ctx context.Context) []candidate {
	py, err := h.sys.LookPath("py")
	if err != nil {
		return nil
	}
	key := "inventory/py-launcher " + py
	stamp, ok := h.launcherStamp(py)
	out, known := "", false
	if v, hit := h.memo.Get(key); hit && ok {
		out, known = strings.CutPrefix(v, stamp)
	}
	if !known {
		res, err := h.sys.Query(ctx, system.Cmd{Argv: []string{py, "-0p"}, Timeout: versionTimeout})
		if err != nil || res == nil {
			return nil
		}
		out = string(res.Stdout)
		if ok {
			h.memo.Put(key, stamp+out)
		}
	}
	var c []candidate
	for _, p := range parsePyList(out) {
		c = append(c, candidate{paths: []string{p}, origin: OriginRegistry})
	}
	return c
}

// launcherStamp is what must not change for the launcher's remembered
// answer to hold, ending in a newline.
func (h *host) launcherStamp(py string) (string, bool) {
	fi, err := h.sys.Stat(py)
	if err != nil {
		return "", false
	}
	stamp := fmt.Sprintf("%d %d", fi.Size(), fi.ModTime().UnixNano())
	dirs := []string{
		h.join(h.localAppData(), "Programs", "Python"),
		h.join(h.localAppData(), "Microsoft", "WindowsApps"),
	}
	dirs = append(dirs, h.programFiles()...)
	dirs = append(dirs, h.systemDrive())
	for _, d := range dirs {
		if fi, err := h.sys.Stat(d); err == nil {
			stamp += fmt.Sprintf(" %d", fi.ModTime().UnixNano())
		} else {
			stamp += " -"
		}
	}
	return stamp + "\n", true
}

// oldLauncherTag is the 3.7–3.10 launcher's tag: "-3.8-64", "-2.7-32".
var oldLauncherTag = regexp.MustCompile(`^-[0-9]+(\.[0-9]+)?(-[0-9a-z]+)?$`)

// launcherExe is the executable at the start of a listed command line.
var launcherExe = regexp.MustCompile(`(?i)^(.*?\.exe)(\s|$)`)

// parsePyList reads the interpreter paths from `py -0p`. Two formats
// exist (testdata/py-0p-*.txt):
//
//   - the launcher of Python 3.11+ (PC/launcher2.c) prints " %-16s %s":
//     a PEP 514 tag "-V:3.12", or "-V:Company/Tag" for other
//     distributions, with " *" after the default's tag, then the
//     executable (possibly followed by its arguments) or, lacking one,
//     the install folder;
//   - the older launcher (PC/launcher.c) prints "\n %-15ls%ls": "-3.8-64"
//     and the executable; its header and its " *" mark go to stderr, but
//     a copy from a console has the mark at the end of the line.
//
// An active virtual environment's line ("(venv)", or no tag) is not an
// installed python and is left out, and so are the headers and "No
// installed Pythons found!".
func parsePyList(out string) []string {
	var paths []string
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		tag, rest, ok := strings.Cut(line, " ")
		if !ok || !(strings.HasPrefix(tag, "-V:") || oldLauncherTag.MatchString(tag)) {
			continue
		}
		rest = strings.TrimSpace(rest)
		if r, def := strings.CutPrefix(rest, "*"); def {
			rest = strings.TrimSpace(r)
		}
		if r, def := strings.CutSuffix(rest, " *"); def {
			rest = strings.TrimSpace(r)
		}
		if m := launcherExe.FindStringSubmatch(rest); m != nil {
			rest = m[1] // drop the executable's arguments
		} else {
			rest = detect.PathOn("windows", rest).Join("python.exe").String() // the install folder
		}
		if isWindowsAbs(rest) {
			paths = append(paths, rest)
		}
	}
	return paths
}
