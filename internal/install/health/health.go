// Package health proves that an installed interpreter works: that it
// runs, and for python that it imports the modules a source build leaves
// out without a word when a library's headers are missing (ssl, sqlite3,
// ctypes, zlib, bz2, lzma) and can make virtual environments. A missing
// module is an error that names the package that fixes it on this host,
// never a silently half-built Python.
package health

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// checkTimeout bounds one check. Importing ssl and ctypes from a cold
// disk takes a moment; a hung interpreter must not hang the apply.
const checkTimeout = time.Minute

// pythonCheck imports each module named after it on the command line
// and prints "missing:" and those that failed. It runs on Python 2.6 and
// every 3.x.
const pythonCheck = `import sys
missing = []
for name in sys.argv[1:]:
    try:
        __import__(name)
    except Exception:
        missing.append(name)
sys.stdout.write("missing:" + " ".join(missing) + "\n")
`

// MissingError is an interpreter that runs but lacks modules, with what
// to install on this host to get them.
type MissingError struct {
	Python   string   // the interpreter's path
	Version  string   // "3.11.2"
	Missing  []string // modules, in the order checked: ssl, sqlite3, ctypes, zlib, bz2, lzma, venv
	Manager  string   // the package manager Packages are for; "" when none is known
	Packages []string // what provides the missing modules, in the same order
	Rebuild  bool     // Packages are build headers: install them, then build again
}

func (e *MissingError) Error() string {
	msg := fmt.Sprintf("python %s at %s is missing %s", e.Version, e.Python, strings.Join(e.Missing, ", "))
	if len(e.Packages) == 0 {
		return msg
	}
	msg += fmt.Sprintf(": install %s (%s)", strings.Join(e.Packages, " "), e.Manager)
	if e.Rebuild {
		msg += " and build again"
	}
	return msg
}

// Python runs the interpreter once and has it import ssl, sqlite3,
// ctypes, zlib and bz2, and from 3.3 lzma and venv (with, from 3.4,
// ensurepip, without which venv makes environments with no pip). An
// empty or unreadable version is checked as a current one. A missing
// module gives a *MissingError naming, for the host's package manager,
// the dev package that fixes it and "build again"; for a Debian or
// Ubuntu system python (/usr/bin) that cannot make venvs, python3.N-venv.
func Python(ctx context.Context, sys system.System, python, version string, p detect.Platform) error {
	modules := modulesFor(version)
	// -E: PYTHONPATH and PYTHONHOME must not hide or supply a module;
	// -B: a check writes no .pyc files.
	argv := append([]string{python, "-E", "-B", "-c", pythonCheck}, modules...)
	res, err := sys.Query(ctx, system.Cmd{Argv: argv, Timeout: checkTimeout})
	if err != nil {
		return fmt.Errorf("python %s at %s does not run: %w", version, python, runError(err))
	}
	missing, ok := parseMissing(res.Stdout)
	if !ok {
		return fmt.Errorf("python %s at %s: the health check printed %q, not its report", version, python, tail(res.Stdout))
	}
	if len(missing) == 0 {
		return nil
	}
	return missingError(python, version, missing, p)
}

// modulesFor lists the modules to import for a version ("2.7.18",
// "3.11.2"): lzma and venv came in 3.3, ensurepip in 3.4.
func modulesFor(version string) []string {
	modules := []string{"ssl", "sqlite3", "ctypes", "zlib", "bz2"}
	major, minor, ok := majorMinor(version)
	if !ok || major > 3 || (major == 3 && minor >= 3) {
		modules = append(modules, "lzma", "venv")
	}
	if !ok || major > 3 || (major == 3 && minor >= 4) {
		modules = append(modules, "ensurepip")
	}
	return modules
}

func majorMinor(version string) (major, minor int, ok bool) {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	return major, minor, err1 == nil && err2 == nil
}

// parseMissing reads the check's report: the last line that starts with
// "missing:". A missing ensurepip is reported as venv, which it breaks.
func parseMissing(out []byte) ([]string, bool) {
	lines := strings.Split(strings.ReplaceAll(string(out), "\r\n", "\n"), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		rest, ok := strings.CutPrefix(lines[i], "missing:")
		if !ok {
			continue
		}
		var missing []string
		for _, m := range strings.Fields(rest) {
			if m == "ensurepip" {
				m = "venv"
			}
			if !slices.Contains(missing, m) {
				missing = append(missing, m)
			}
		}
		return missing, true
	}
	return nil, false
}

// missingError names the fix for each missing module on this host.
func missingError(python, version string, missing []string, p detect.Platform) *MissingError {
	e := &MissingError{Python: python, Version: version, Missing: missing, Manager: hostManager(p)}
	if systemPython(python, p) {
		// The distribution built it: dev packages cannot help, but
		// Debian splits venv and ensurepip into python3.N-venv.
		if e.Manager == "apt" && slices.Contains(missing, "venv") {
			if major, minor, ok := majorMinor(version); ok {
				e.Packages = []string{fmt.Sprintf("python%d.%d-venv", major, minor)}
			}
		}
		return e
	}
	for _, m := range missing {
		if name := packageFor(e.Manager, m); name != "" && !slices.Contains(e.Packages, name) {
			e.Packages = append(e.Packages, name)
		}
	}
	e.Rebuild = len(e.Packages) > 0
	return e
}

// systemPython says whether python is the distribution's own: a Linux
// /usr/bin (or merged /bin) interpreter, which its package manager
// installed and envup never builds.
func systemPython(python string, p detect.Platform) bool {
	return p.OS == "linux" && (strings.HasPrefix(python, "/usr/bin/") || strings.HasPrefix(python, "/bin/"))
}

// nodeVersion is what process.version prints: "v20.20.2".
var nodeVersion = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+$`)

// Node runs node once and checks that it prints its version.
func Node(ctx context.Context, sys system.System, node string) error {
	res, err := sys.Query(ctx, system.Cmd{
		Argv: []string{node, "-e", "console.log(process.version)"},
		// NODE_OPTIONS with a flag this node does not know stops it
		// before it runs anything.
		Env:     []string{"NODE_OPTIONS="},
		Timeout: checkTimeout,
	})
	if err != nil {
		return fmt.Errorf("node at %s does not run: %w", node, runError(err))
	}
	if out := tail(res.Stdout); !nodeVersion.MatchString(out) {
		return fmt.Errorf("node at %s printed %q, not its version", node, out)
	}
	return nil
}

// runError keeps what matters of a failed check: the exit status and
// stderr, without the argv (the check script is several lines long).
func runError(err error) error {
	var exitErr *system.ExitError
	if errors.As(err, &exitErr) {
		msg := fmt.Sprintf("exit status %d", exitErr.ExitCode)
		if exitErr.Stderr != "" {
			msg += ": " + exitErr.Brief()
		}
		return errors.New(msg)
	}
	return err
}

// tail is the last non-empty line of out.
func tail(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
