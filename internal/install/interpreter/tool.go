package interpreter

import (
	"context"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install/health"
	"github.com/envup/envup/internal/system"
)

// tool is what differs between runtimes: where a prebuilt tree keeps its
// programs, which ones get linked, how to ask the OS package manager for
// it, and how to prove it works.
type tool struct {
	name    string
	sources []string // the default order
	// programs are the names linked into the bin dir: the first is the
	// interpreter itself; dflt ones only with default: true.
	programs func(version, os string) (always, dflt []string)
	// exe is the interpreter's path inside an install prefix.
	exe func(prefix, version, os string) string
	// entry is what the bin entry for program name runs, in an install at
	// prefix whose interpreter is exe: a program, and arguments put
	// before the user's.
	entry func(prefix, exe, name, os string) (target string, args []string)
	// packages are the OS packages that give version (major.minor) with manager.
	packages func(manager, minor string) []string
	health   func(ctx context.Context, sys system.System, f *Found, p detect.Platform) error
}

var tools = map[string]*tool{
	"python": {
		name:    "python",
		sources: []string{"existing", "archive", "system", "build"},
		programs: func(version, os string) ([]string, []string) {
			mm := minorOf(version)
			if os == "windows" {
				return []string{"python" + mm}, []string{"python3", "python"}
			}
			return []string{"python" + mm}, []string{"python" + strings.SplitN(mm, ".", 2)[0], "python"}
		},
		exe: func(prefix, version, os string) string {
			if os == "windows" {
				return detect.PathOn(os, prefix).Join("python.exe").String()
			}
			return detect.PathOn(os, prefix).Join("bin", "python"+minorOf(version)).String()
		},
		entry: func(_, exe, _, _ string) (string, []string) { return exe, nil },
		packages: func(manager, minor string) []string {
			switch manager {
			case "apt":
				return []string{"python" + minor, "python" + minor + "-venv"}
			case "dnf", "yum", "zypper":
				return []string{"python" + strings.ReplaceAll(minor, ".", "")}
			case "brew":
				return []string{"python@" + minor}
			case "winget":
				return []string{"Python.Python." + minor}
			case "choco":
				return []string{"python" + strings.ReplaceAll(minor, ".", "")}
			case "apk", "pacman":
				return []string{"python3"}
			}
			return nil
		},
		health: func(ctx context.Context, sys system.System, f *Found, p detect.Platform) error {
			return health.Python(ctx, sys, f.Path, f.Version, p)
		},
	},
	"node": {
		name:    "node",
		sources: []string{"existing", "archive", "system"},
		programs: func(_, _ string) ([]string, []string) {
			return []string{"node", "npm", "npx"}, nil
		},
		exe: func(prefix, _, os string) string {
			if os == "windows" {
				return detect.PathOn(os, prefix).Join("node.exe").String()
			}
			return detect.PathOn(os, prefix).Join("bin", "node").String()
		},
		entry: func(prefix, exe, name, os string) (string, []string) {
			switch {
			case name == "node":
				return exe, nil
			case os == "windows":
				// The zip's npm.cmd and npx.cmd would put cmd.exe between
				// the user and npm: node runs npm's own script instead.
				return exe, []string{detect.PathOn(os, prefix).Join("node_modules", "npm", "bin", name+"-cli.js").String()}
			}
			return detect.PathOn(os, prefix).Join("bin", name).String(), nil // the tarball's links into lib/node_modules
		},
		packages: func(manager, minor string) []string {
			switch manager {
			case "apt", "dnf", "yum", "zypper", "pacman", "apk", "choco":
				return []string{"nodejs"}
			case "brew":
				return []string{"node@" + strings.SplitN(minor, ".", 2)[0]}
			case "winget":
				return []string{"OpenJS.NodeJS"}
			}
			return nil
		},
		health: func(ctx context.Context, sys system.System, f *Found, _ detect.Platform) error {
			return health.Node(ctx, sys, f.Path)
		},
	},
}

// minorOf turns "3.12.13" into "3.12".
func minorOf(version string) string {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return version
	}
	return parts[0] + "." + parts[1]
}
