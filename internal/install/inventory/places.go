package inventory

import (
	"context"
	"regexp"
	"strings"
)

// candidate is a place an interpreter may be: paths tried in order (the
// first that exists is the one), and the origin it has if found there.
type candidate struct {
	paths  []string
	origin string
}

// Names of interpreters on a PATH or in a system directory.
var (
	pythonName        = regexp.MustCompile(`^python([23](\.[0-9]+)?)?$`)          // python, python3, python3.11, python2.7
	pythonVersionName = regexp.MustCompile(`^python(3\.[0-9]+|2\.7)$`)            // python3.11, python2.7
	pythonExe         = regexp.MustCompile(`(?i)^python([23](\.[0-9]+)?)?\.exe$`) // python.exe, python3.exe
	nodeName          = regexp.MustCompile(`^node(js)?$`)                         // node, and Debian's old nodejs
	nodeExe           = regexp.MustCompile(`(?i)^node\.exe$`)
	minorDir          = regexp.MustCompile(`^([0-9]+)\.([0-9]+)`)         // "3.12.1", "3.13.0t"
	uvCPython         = regexp.MustCompile(`^cpython-([0-9]+)\.([0-9]+)`) // cpython-3.12.1-linux-x86_64-gnu
	brewPython        = regexp.MustCompile(`^python@([0-9]+\.[0-9]+)$`)   // python@3.12
	brewNode          = regexp.MustCompile(`^node(@[0-9]+)?$`)            // node, node@20
	winPythonDir      = regexp.MustCompile(`(?i)^python[0-9]+`)           // Python312, Python312-32, Python27
)

// pythonPlaces lists where pythons may be, most specific origin first:
// envup's own installs, the version managers, Homebrew, python.org, the
// system directories, the Windows launcher and finally the PATH.
func (h *host) pythonPlaces(ctx context.Context) []candidate {
	var c []candidate
	c = append(c, h.versionDirs(h.join(h.p.Dirs.Data, "python"), OriginEnvup, minorDir)...)
	if h.win {
		c = append(c, h.versionDirs(h.join(h.env("PYENV_ROOT", h.under(".pyenv", "pyenv-win")), "versions"), OriginPyenv, minorDir)...)
		// uv keeps its data in %APPDATA%\uv\data; versions before that
		// kept pythons in %APPDATA%\uv\python.
		if dir := h.sys.Getenv("UV_PYTHON_INSTALL_DIR"); dir != "" {
			c = append(c, h.versionDirs(dir, OriginUV, uvCPython)...)
		} else {
			c = append(c, h.versionDirs(h.join(h.appData(), "uv", "data", "python"), OriginUV, uvCPython)...)
			c = append(c, h.versionDirs(h.join(h.appData(), "uv", "python"), OriginUV, uvCPython)...)
		}
		c = append(c, h.versionDirs(h.join(h.env("MISE_DATA_DIR", h.join(h.localAppData(), "mise")), "installs", "python"), OriginMise, minorDir)...)
		c = append(c, h.pythonOrgWindows()...)
		c = append(c, h.pyLauncher(ctx)...)
	} else {
		c = append(c, h.versionDirs(h.join(h.env("PYENV_ROOT", h.under(".pyenv")), "versions"), OriginPyenv, minorDir)...)
		c = append(c, h.versionDirs(h.env("UV_PYTHON_INSTALL_DIR", h.join(h.xdgData(), "uv", "python")), OriginUV, uvCPython)...)
		c = append(c, h.versionDirs(h.join(h.env("MISE_DATA_DIR", h.join(h.xdgData(), "mise")), "installs", "python"), OriginMise, minorDir)...)
		for _, prefix := range h.brewPrefixes() {
			for _, de := range h.readDir(h.join(prefix, "opt")) {
				if m := brewPython.FindStringSubmatch(de.name); m != nil {
					c = append(c, candidate{paths: []string{h.join(prefix, "opt", de.name, "bin", "python"+m[1])}, origin: OriginHomebrew})
				}
			}
		}
		if h.p.OS == "macos" {
			c = append(c, h.pythonOrgFramework()...)
		}
		c = append(c, h.systemPythons()...)
	}
	return append(c, h.onPath(h.isPythonName)...)
}

// nodePlaces lists where nodes may be, most specific origin first.
func (h *host) nodePlaces() []candidate {
	var c []candidate
	if h.win {
		c = append(c, h.nodeDirs(h.join(h.p.Dirs.Data, "node"), OriginEnvup, minorDir)...)
		c = append(c, h.nodeDirs(h.env("NVM_HOME", h.join(h.appData(), "nvm")), OriginNvm, nvmVersion)...)
		c = append(c, h.nodeDirs(h.join(h.env("MISE_DATA_DIR", h.join(h.localAppData(), "mise")), "installs", "node"), OriginMise, minorDir)...)
		for _, pf := range h.programFiles() {
			c = append(c, candidate{paths: []string{h.join(pf, "nodejs", "node.exe")}, origin: OriginSystem})
		}
	} else {
		c = append(c, h.nodeDirs(h.join(h.p.Dirs.Data, "node"), OriginEnvup, minorDir)...)
		c = append(c, h.nodeDirs(h.join(h.env("NVM_DIR", h.under(".nvm")), "versions", "node"), OriginNvm, nvmVersion)...)
		c = append(c, h.nodeDirs(h.join(h.env("MISE_DATA_DIR", h.join(h.xdgData(), "mise")), "installs", "node"), OriginMise, minorDir)...)
		for _, prefix := range h.brewPrefixes() {
			for _, de := range h.readDir(h.join(prefix, "opt")) {
				if brewNode.MatchString(de.name) {
					c = append(c, candidate{paths: []string{h.join(prefix, "opt", de.name, "bin", "node")}, origin: OriginHomebrew})
				}
			}
		}
		for _, dir := range []string{"/usr/bin", "/usr/local/bin"} {
			for _, de := range h.readDir(dir) {
				if nodeName.MatchString(de.name) {
					c = append(c, candidate{paths: []string{h.join(dir, de.name)}, origin: OriginSystem})
				}
			}
		}
	}
	return append(c, h.onPath(h.isNodeName)...)
}

// nvmVersion matches nvm's version folders: "v20.20.2".
var nvmVersion = regexp.MustCompile(`^v([0-9]+)\.([0-9]+)`)

// versionDirs lists one python per folder of root whose name matches
// (pyenv's "3.12.1", uv's "cpython-3.12.1-…", mise's "3.12.1"): on
// Windows root\<dir>\python.exe; elsewhere root/<dir>/bin/python3.N,
// then python3, then python (an altinstall has only python3.N; 2.7 has
// no python3).
func (h *host) versionDirs(root, origin string, name *regexp.Regexp) []candidate {
	if root == "" {
		return nil
	}
	var c []candidate
	for _, de := range h.readDir(root) {
		m := name.FindStringSubmatch(de.name)
		if m == nil || !de.dir {
			continue
		}
		dir := h.join(root, de.name)
		if h.win {
			c = append(c, candidate{paths: []string{h.join(dir, "python.exe")}, origin: origin})
			continue
		}
		c = append(c, candidate{paths: []string{
			h.join(dir, "bin", "python"+m[1]+"."+m[2]),
			h.join(dir, "bin", "python3"),
			h.join(dir, "bin", "python"),
		}, origin: origin})
	}
	return c
}

// nodeDirs lists one node per matching folder of root: root/<dir>/bin/node,
// or root\<dir>\node.exe on Windows.
func (h *host) nodeDirs(root, origin string, name *regexp.Regexp) []candidate {
	if root == "" {
		return nil
	}
	var c []candidate
	for _, de := range h.readDir(root) {
		if !name.MatchString(de.name) || !de.dir {
			continue
		}
		p := h.join(root, de.name, "bin", "node")
		if h.win {
			p = h.join(root, de.name, "node.exe")
		}
		c = append(c, candidate{paths: []string{p}, origin: origin})
	}
	return c
}

// brewPrefixes are where Homebrew may live on this host (PLATFORMS.md
// §3.3), $HOMEBREW_PREFIX first when it is set.
func (h *host) brewPrefixes() []string {
	var prefixes []string
	switch h.p.OS {
	case "macos":
		prefixes = []string{"/opt/homebrew", "/usr/local"}
	case "linux":
		prefixes = []string{"/home/linuxbrew/.linuxbrew"}
		if home := h.under(".linuxbrew"); home != "" {
			prefixes = append(prefixes, home)
		}
	}
	if env := h.sys.Getenv("HOMEBREW_PREFIX"); env != "" {
		out := []string{env}
		for _, p := range prefixes {
			if p != env {
				out = append(out, p)
			}
		}
		return out
	}
	return prefixes
}

// pythonOrgFramework lists python.org's macOS framework builds:
// /Library/Frameworks/Python.framework/Versions/3.N/bin/python3.N.
func (h *host) pythonOrgFramework() []candidate {
	const versions = "/Library/Frameworks/Python.framework/Versions"
	var c []candidate
	for _, de := range h.readDir(versions) {
		if m := minorDir.FindStringSubmatch(de.name); m != nil && m[0] == de.name {
			c = append(c, candidate{paths: []string{h.join(versions, de.name, "bin", "python"+de.name)}, origin: OriginPythonOrg})
		}
	}
	return c
}

// pythonOrgWindows lists the folders python.org's Windows installers use
// by default: %LOCALAPPDATA%\Programs\Python\Python312 (per user),
// %ProgramFiles%\Python312 (all users) and C:\Python27 (2.7, ≤ 3.4).
func (h *host) pythonOrgWindows() []candidate {
	roots := []string{h.join(h.localAppData(), "Programs", "Python")}
	roots = append(roots, h.programFiles()...)
	roots = append(roots, h.systemDrive())
	var c []candidate
	for _, root := range roots {
		for _, de := range h.readDir(root) {
			if winPythonDir.MatchString(de.name) && de.dir {
				c = append(c, candidate{paths: []string{h.join(root, de.name, "python.exe")}, origin: OriginPythonOrg})
			}
		}
	}
	return c
}

// systemPythons lists /usr/bin and /usr/local/bin python3.N and
// python2.7. On macOS /usr/bin/python3 is a stub that offers to install
// the Command Line Tools (a dialog, not an interpreter): the tools' own
// python3 stands for it when they are installed.
func (h *host) systemPythons() []candidate {
	var c []candidate
	for _, dir := range []string{"/usr/bin", "/usr/local/bin"} {
		for _, de := range h.readDir(dir) {
			if pythonVersionName.MatchString(de.name) {
				c = append(c, candidate{paths: []string{h.join(dir, de.name)}, origin: OriginSystem})
			}
		}
	}
	if h.p.OS == "macos" {
		c = append(c,
			candidate{paths: []string{"/Library/Developer/CommandLineTools/usr/bin/python3"}, origin: OriginSystem},
			candidate{paths: []string{"/Applications/Xcode.app/Contents/Developer/usr/bin/python3"}, origin: OriginSystem})
	}
	return c
}

// onPath lists the matching names in each PATH directory, reading each
// directory once (a ReadDir of /usr/bin costs less than stat-ing a dozen
// guessed names in each of a dozen directories, and finds python3.N for
// any N). Shim directories (pyenv, pyenv-virtualenv, mise, asdf, nodenv,
// scoop) and Volta's bin are left out: a shim runs whichever version the
// current directory selects, so it has no version of its own to
// remember. So is Windows' WindowsApps folder, whose python.exe is a
// stub that opens the Store; the launcher lists Store pythons.
func (h *host) onPath(match func(string) bool) []candidate {
	var c []candidate
	seen := map[string]bool{}
	for _, dir := range h.pathDirs() {
		if h.skipOnPath(dir) {
			continue
		}
		// /bin and /usr/bin are one directory on merged-/usr systems.
		if real, err := h.real.path(dir); err == nil {
			key := h.real.key(real)
			if seen[key] {
				continue
			}
			seen[key] = true
		}
		for _, de := range h.readDir(dir) {
			if match(de.name) && !h.macStub(dir, de.name) {
				c = append(c, candidate{paths: []string{h.join(dir, de.name)}, origin: OriginPath})
			}
		}
	}
	return c
}

func (h *host) skipOnPath(dir string) bool {
	b := strings.ToLower(base(dir))
	if b == "shims" {
		return true
	}
	lower := strings.ToLower(strings.ReplaceAll(dir, `\`, "/"))
	if strings.HasSuffix(strings.TrimRight(lower, "/"), "/.volta/bin") {
		return true
	}
	return h.win && strings.HasSuffix(strings.TrimRight(lower, "/"), "/microsoft/windowsapps")
}

// macStub says whether dir/name is macOS's /usr/bin/python3, the Command
// Line Tools stub (see systemPythons). The other /usr/bin pythons of old
// macOS (python2.7) are real.
func (h *host) macStub(dir, name string) bool {
	return h.p.OS == "macos" && name == "python3" && strings.TrimRight(dir, "/") == "/usr/bin"
}

func (h *host) isPythonName(name string) bool {
	if h.win {
		return pythonExe.MatchString(name)
	}
	return pythonName.MatchString(name)
}

func (h *host) isNodeName(name string) bool {
	if h.win {
		return nodeExe.MatchString(name)
	}
	return nodeName.MatchString(name)
}
