package venv

import (
	"os"
	"path"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// joiner writes paths of the host being planned for, which may not be the
// machine envup runs on: a Windows venv planned on Linux has backslashes.
type joiner struct{ windows bool }

// path is s as a path of the host, in its own form (detect.Path).
func (j joiner) path(s string) detect.Path {
	os := "linux"
	if j.windows {
		os = "windows"
	}
	return detect.PathOn(os, s).Native()
}

// join joins path elements with the host's separator.
func (j joiner) join(base string, elem ...string) string {
	return j.path(base).Join(elem...).String()
}

// dir is p without its last element.
func (j joiner) dir(p string) string { return j.path(p).Dir().String() }

// base is p's last element.
func (j joiner) base(p string) string { return j.path(p).Base() }

// same says whether two paths are written the same on the host: cleaned,
// and without regard to case or slash direction on Windows.
func (j joiner) same(a, b string) bool {
	if j.windows {
		return j.path(a).Equal(j.path(b))
	}
	return path.Clean(a) == path.Clean(b)
}

// python is the venv's own interpreter: bin/python, or Scripts\python.exe.
func (j joiner) python(venv string) string {
	if j.windows {
		return j.join(venv, "Scripts", "python.exe")
	}
	return j.join(venv, "bin", "python")
}

// pythonRel is python relative to the venv, for messages.
func (j joiner) pythonRel() string {
	if j.windows {
		return `Scripts\python.exe`
	}
	return "bin/python"
}

// sitePackages lists the venv's site-packages folders: Lib\site-packages
// on Windows; elsewhere lib/<python>/site-packages for each python3.X,
// python3.Xt or pypy3.X folder under lib (the one matching minor first).
func (j joiner) sitePackages(sys system.System, venv, minor string) []string {
	if j.windows {
		return []string{j.join(venv, "Lib", "site-packages")}
	}
	lib := j.join(venv, "lib")
	entries, err := sys.ReadDir(lib)
	if err != nil {
		if minor != "" {
			return []string{j.join(lib, "python"+minor, "site-packages")}
		}
		return nil
	}
	var first, rest []string
	for _, e := range entries {
		n := e.Name()
		if !strings.HasPrefix(n, "python") && !strings.HasPrefix(n, "pypy") {
			continue
		}
		sp := j.join(lib, n, "site-packages")
		if n == "python"+minor || n == "pypy"+minor {
			first = append(first, sp)
		} else {
			rest = append(rest, sp)
		}
	}
	return append(first, rest...)
}

// systemSites are the base interpreter's own site folders, which a venv
// made with --system-site-packages also sees: <prefix>/lib/pythonX.Y/
// site-packages (Lib\site-packages on Windows), and Debian's dist-packages
// folders for an interpreter under /usr or /usr/local. prefix is the
// base's prefix (pyvenv.cfg base-prefix, or home's parent).
func (j joiner) systemSites(prefix, minor string) []string {
	if j.windows {
		return []string{j.join(prefix, "Lib", "site-packages")}
	}
	if minor == "" {
		return nil
	}
	out := []string{j.join(prefix, "lib", "python"+minor, "site-packages")}
	if prefix == "/usr" || prefix == "/usr/local" {
		out = append(out,
			"/usr/local/lib/python"+minor+"/dist-packages",
			"/usr/lib/python3/dist-packages",
			"/usr/lib/python"+minor+"/dist-packages")
	}
	return out
}

// sameFile says whether two paths name one file on this host, through
// the System's Stat (a DryRun overlay entry is never the same as another).
func sameFile(sys system.System, a, b string) bool {
	ai, err := sys.Stat(a)
	if err != nil {
		return false
	}
	bi, err := sys.Stat(b)
	if err != nil {
		return false
	}
	return os.SameFile(ai, bi)
}
