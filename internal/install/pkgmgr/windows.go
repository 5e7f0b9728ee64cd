package pkgmgr

import (
	"context"
	"errors"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// chocoMissing lists Chocolatey's lib folder: one folder per installed
// package, named by its id (case as the package author wrote it).
func chocoMissing(_ context.Context, sys system.System, h host, names []string) ([]string, error) {
	return dirMissing(sys, chocoLib(sys, h.p), names)
}

// chocoLib is %ChocolateyInstall%\lib, where the installer puts it,
// else %ProgramData%\chocolatey\lib.
func chocoLib(sys system.System, p detect.Platform) string {
	if dir := sys.Getenv("ChocolateyInstall"); dir != "" {
		return p.Join(dir, "lib")
	}
	pd := sys.Getenv("ProgramData")
	if pd == "" {
		pd = `C:\ProgramData`
	}
	return p.Join(pd, "chocolatey", "lib")
}

// scoopMissing lists scoop's apps folder, %SCOOP%\apps or ~\scoop\apps.
// A bucket-qualified name ("extras/vscode") is the app's own name there.
func scoopMissing(_ context.Context, sys system.System, h host, names []string) ([]string, error) {
	root := sys.Getenv("SCOOP")
	if root == "" {
		root = h.p.Join(h.p.Home, "scoop")
	}
	return dirMissing(sys, h.p.Join(root, "apps"), names)
}

// dirMissing returns the names with no folder of that name (any case: the
// folders are on Windows) in dir.
func dirMissing(sys system.System, dir string, names []string) ([]string, error) {
	entries, err := sys.ReadDir(dir)
	if unobservable(err) {
		return names, nil
	}
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() {
			have[strings.ToLower(e.Name())] = true
		}
	}
	return missingFrom(names, func(n string) bool { return have[strings.ToLower(baseName(n))] }), nil
}

// wingetMissing asks winget once per id: `winget list` exits non-zero
// when nothing installed matches.
func wingetMissing(ctx context.Context, sys system.System, _ host, names []string) ([]string, error) {
	var missing []string
	for _, n := range names {
		_, err := sys.Query(ctx, system.Cmd{Argv: []string{"winget", "list", "--exact", "--id", n, "--accept-source-agreements"}})
		var exitErr *system.ExitError
		switch {
		case err == nil:
		case unobservable(err) || errors.As(err, &exitErr):
			missing = append(missing, n)
		default:
			return nil, err
		}
	}
	return missing, nil
}

// wingetInstallArgv installs one id; winget wants its flags after it.
func wingetInstallArgv(names []string) []string {
	return append(append([]string{"winget", "install", "--exact", "--id"}, names...),
		"--silent", "--accept-package-agreements", "--accept-source-agreements")
}
