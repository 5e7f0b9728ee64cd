package interpreter

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install/health"
	"github.com/envup/envup/internal/install/inventory"
	"github.com/envup/envup/internal/install/pkgmgr"
	"github.com/envup/envup/internal/system"
)

// prefix is where envup installs a version: <data>/<tool>/<version>.
func (r *Interpreter) prefix(version string) string {
	return detect.Join(r.p.Dirs.Data, r.tool.name, version)
}

// installArchive unpacks a prebuilt tree (python-build-standalone's one
// top folder python/, node's node-vX-os-arch/) into the prefix.
func (r *Interpreter) installArchive(ctx context.Context, sys system.System, ch choice) (*Found, error) {
	a := ch.artifacts[0]
	file, err := sys.Download(ctx, a.URL, a.SHA256)
	if err != nil {
		return nil, err
	}
	prefix := r.prefix(ch.version)
	// A prefix without a marker is what a killed apply left: start over.
	if err := sys.RemoveAll(prefix); err != nil {
		return nil, err
	}
	if err := sys.Extract(ctx, file, prefix, 1); err != nil {
		return nil, err
	}
	if err := writeMarker(sys, prefix, marker{Tool: r.tool.name, Version: ch.version, Source: "archive", URL: a.URL, SHA256: a.SHA256}); err != nil {
		return nil, err
	}
	return r.found(prefix, ch.version), nil
}

// installWindows runs a python.org installer quietly, for this user only,
// into the prefix: an .msi (Python ≤ 3.4) through msiexec, an .exe (3.5+)
// with its own switches.
func (r *Interpreter) installWindows(ctx context.Context, sys system.System, ch choice) (*Found, error) {
	a := ch.artifacts[0]
	file, err := sys.Download(ctx, a.URL, a.SHA256)
	if err != nil {
		return nil, err
	}
	prefix := r.prefix(ch.version)
	argv := []string{file, "/quiet", "InstallAllUsers=0", "TargetDir=" + prefix,
		"Include_launcher=0", "PrependPath=0", "Shortcuts=0", "Include_test=0"}
	if strings.HasSuffix(strings.ToLower(a.Filename), ".msi") {
		argv = []string{"msiexec", "/i", file, "/qn", "ALLUSERS=0", "TARGETDIR=" + prefix}
	}
	if _, err := sys.Run(ctx, system.Cmd{Argv: argv}); err != nil {
		return nil, err
	}
	if err := writeMarker(sys, prefix, marker{Tool: r.tool.name, Version: ch.version, Source: "installer", URL: a.URL, SHA256: a.SHA256}); err != nil {
		return nil, err
	}
	return r.found(prefix, ch.version), nil
}

// installSystem installs the OS packages, then finds what they gave.
func (r *Interpreter) installSystem(ctx context.Context, sys system.System, ch choice) (*Found, error) {
	m, ok := pkgmgr.Lookup(ch.manager)
	if !ok {
		return nil, fmt.Errorf("envup does not drive %s", ch.manager)
	}
	if m.Privilege == pkgmgr.Elevated && !r.p.Admin {
		return nil, fmt.Errorf("%s needs an elevated prompt: run envup from an administrator prompt", ch.manager)
	}
	for _, cmd := range m.Commands(ch.packages, false, r.p.Admin) {
		if _, err := sys.Run(ctx, cmd); err != nil {
			return nil, err
		}
	}
	if system.Recording(sys) {
		return &Found{Path: "(installed by " + ch.manager + ")", Version: ch.version, Origin: "system"}, nil
	}
	found, err := inventory.Find(ctx, sys, r.tool.name, r.p, r.opts.Memo)
	if err != nil {
		return nil, err
	}
	for _, f := range found {
		if r.c.Check(f.Version) {
			return &Found{Path: f.Path, Version: f.Version, Origin: f.Origin}, nil
		}
	}
	return nil, fmt.Errorf("%s installed %s, but no %s %s is on this machine after it",
		ch.manager, strings.Join(ch.packages, " "), r.tool.name, r.spec.Version)
}

// build builds from the source tarball: configure with the prefix, make,
// then make altinstall into a staging root that is renamed into place only
// when it all worked, so a failed or killed build leaves no half install.
// Missing build dependencies are named before anything is configured.
func (r *Interpreter) build(ctx context.Context, sys system.System, ch choice) (*Found, error) {
	// Another platform's packages cannot be looked at: its plan (and an
	// exported script) installs the recipe's packages first, and the
	// choice already says what the build needs.
	if !r.p.Foreign {
		missing, err := health.MissingBuildDeps(ctx, sys, r.p, r.opts.Root)
		if err != nil {
			return nil, err
		}
		if len(missing) > 0 {
			mgr, _ := health.BuildDeps(r.p)
			return nil, fmt.Errorf("building %s %s needs these %s packages, not installed: %s; add them under packages: in the recipe, or install them",
				r.tool.name, ch.version, mgr, strings.Join(missing, " "))
		}
	}
	var (
		file string
		errs []error
	)
	for _, a := range ch.artifacts {
		f, err := sys.Download(ctx, a.URL, a.SHA256)
		if err == nil {
			file = f
			break
		}
		errs = append(errs, err)
	}
	if file == "" {
		return nil, errors.Join(errs...)
	}
	work := detect.Join(r.p.Dirs.Data, "build", r.tool.name+"-"+ch.version)
	prefix := r.prefix(ch.version)
	stage := prefix + ".envup-stage"
	for _, dir := range []string{work, stage, prefix} {
		if err := sys.RemoveAll(dir); err != nil {
			return nil, err
		}
	}
	if err := sys.Extract(ctx, file, work, 1); err != nil {
		return nil, err
	}
	steps := [][]string{
		{"./configure", "--prefix=" + prefix},
		{"make", "-j" + strconv.Itoa(r.opts.Jobs)},
		{"make", "altinstall", "DESTDIR=" + stage},
	}
	for _, argv := range steps {
		if _, err := sys.Run(ctx, system.Cmd{Argv: argv, Dir: work, Live: r.opts.Live}); err != nil {
			return nil, err
		}
	}
	staged := stage + prefix
	if err := writeMarker(sys, staged, marker{Tool: r.tool.name, Version: ch.version, Source: "build", URL: ch.artifacts[0].URL, SHA256: ch.artifacts[0].SHA256}); err != nil {
		return nil, err
	}
	if err := sys.Rename(staged, prefix); err != nil {
		return nil, err
	}
	for _, dir := range []string{stage, work} {
		if err := sys.RemoveAll(dir); err != nil {
			return nil, err
		}
	}
	return r.found(prefix, ch.version), nil
}

func (r *Interpreter) found(prefix, version string) *Found {
	return &Found{Path: r.tool.exe(prefix, version, r.p.OS), Version: version, Origin: "envup", Prefix: prefix}
}
