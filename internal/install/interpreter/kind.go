package interpreter

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/install/health"
	"github.com/envup/envup/internal/install/inventory"
	"github.com/envup/envup/internal/install/source"
	"github.com/envup/envup/internal/system"
)

// kind is what the source engine needs to know of this interpreter.
func (r *Interpreter) kind() source.Kind {
	return source.Kind{
		Name: r.tool.name, Marker: "tool", Strip: 1,
		Layout: func(prefix, version string) *Found {
			return &Found{Path: r.tool.exe(prefix, version, r.p.OS), Version: version, Origin: "envup", Prefix: prefix}
		},
		Programs: r.programs,
		LinkHint: "set default: false",
		OnHost:   r.onHost,
		// The recipe's own archive is taken to be the version it asks for.
		FileVersion: func(string) (string, error) { return r.spec.Version, nil },
		System:      r.systemChoice,
		// Where the OS packages put the interpreter is known once they
		// are installed (Given), not before.
		Planned: func(ch source.Choice) *Found {
			return &Found{Version: ch.Version, Origin: "system"}
		},
		Given:     r.given,
		BuildNote: r.buildNote,
		Build:     r.build,
		Installer: installWindows,
		Health: func(ctx context.Context, sys system.System, f *Found) error {
			return r.tool.health(ctx, sys, f, r.p)
		},
	}
}

// programs are the bin entries an envup install gets: the versioned name
// always (python3.12), the plain ones (python3, python) with default: true;
// node, npm and npx for node.
func (r *Interpreter) programs(f *Found) []source.Program {
	always, dflt := r.tool.programs(f.Version, r.p.OS)
	names := always
	if r.spec.Default {
		names = append(append([]string(nil), always...), dflt...)
	}
	var out []source.Program
	for _, n := range names {
		target, args := r.tool.entry(f.Prefix, f.Path, n, r.p.OS)
		out = append(out, source.Program{Name: n, Target: target, Args: args})
	}
	return out
}

// systemChoice asks the host's package manager which version it offers.
// Only apt is asked before installing; with the others the version is
// checked once installed.
func (r *Interpreter) systemChoice(ctx context.Context, sys system.System, manager string) (*source.Choice, string) {
	minors := r.minors()
	if len(minors) == 0 {
		return nil, fmt.Sprintf("the catalog knows no %s %s", r.tool.name, r.spec.Version)
	}
	if manager != "apt" {
		pkgs := r.tool.packages(manager, minors[0])
		if len(pkgs) == 0 {
			return nil, fmt.Sprintf("envup does not know %s's name for %s", manager, r.tool.name)
		}
		return &source.Choice{Source: "system", Version: minors[0], Manager: manager, Packages: pkgs, Note: "version checked after install"}, ""
	}
	// One package per minor line, newest first: the first whose
	// candidate satisfies the recipe is taken.
	var pkgs []string
	for _, m := range minors {
		if pkg := r.tool.packages("apt", m)[0]; !slices.Contains(pkgs, pkg) {
			pkgs = append(pkgs, pkg)
		}
	}
	offered, err := source.AptCandidates(ctx, sys, pkgs)
	if err != nil {
		return nil, "apt: " + err.Error()
	}
	for _, pkg := range pkgs {
		if v, ok := offered[pkg]; ok && r.c.Check(v) {
			return &source.Choice{Source: "system", Version: v, Manager: "apt", Packages: r.tool.packages("apt", minorOf(v))}, ""
		}
	}
	return nil, fmt.Sprintf("apt offers no %s %s", r.tool.name, r.spec.Version)
}

// minors are the major.minor lines of the catalog's releases that satisfy
// the constraint, newest first.
func (r *Interpreter) minors() []string {
	rels, err := r.opts.Catalog.Releases(r.tool.name)
	if err != nil {
		return nil
	}
	var out []string
	for _, rel := range rels {
		if !r.c.Check(rel.Version) {
			continue
		}
		if m := minorOf(rel.Version); len(out) == 0 || out[len(out)-1] != m {
			out = append(out, m)
		}
	}
	return out
}

// given is the interpreter the OS packages of ch gave.
func (r *Interpreter) given(ctx context.Context, sys system.System, ch source.Choice) (*Found, error) {
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
		ch.Manager, strings.Join(ch.Packages, " "), r.tool.name, r.spec.Version)
}

// installWindows runs a python.org installer quietly, for this user only,
// into the prefix: an .msi (Python ≤ 3.4) through msiexec, an .exe (3.5+)
// with its own switches.
func installWindows(ctx context.Context, sys system.System, file, prefix string, a catalog.Artifact) error {
	argv := []string{file, "/quiet", "InstallAllUsers=0", "TargetDir=" + prefix,
		"Include_launcher=0", "PrependPath=0", "Shortcuts=0", "Include_test=0"}
	if strings.HasSuffix(strings.ToLower(a.Filename), ".msi") {
		argv = []string{"msiexec", "/i", file, "/qn", "ALLUSERS=0", "TARGETDIR=" + prefix}
	}
	_, err := sys.Run(ctx, system.Cmd{Argv: argv})
	return err
}

// buildNote names the build dependencies the host lacks.
func (r *Interpreter) buildNote(ctx context.Context, sys system.System, _ source.Choice) string {
	if missing, err := health.MissingBuildDeps(ctx, sys, r.p, r.opts.Root); err == nil && len(missing) > 0 {
		mgr, _ := health.BuildDeps(r.p)
		return fmt.Sprintf("needs %s (%s) first", strings.Join(missing, " "), mgr)
	}
	return ""
}

// buildDeps fails when the host lacks build dependencies. An earlier
// step (the recipe's packages) may install them, and a plan only
// recorded it: so the lack is a proof to make once they should be there,
// which a plan records (its change already says "needs ... first").
func (r *Interpreter) buildDeps(ctx context.Context, sys system.System, ch source.Choice) error {
	missing, err := health.MissingBuildDeps(ctx, sys, r.p, r.opts.Root)
	if err != nil || len(missing) == 0 {
		return err
	}
	mgr, _ := health.BuildDeps(r.p)
	what := fmt.Sprintf("the %s packages %s builds with are installed: %s", mgr, r.tool.name, strings.Join(missing, " "))
	return sys.Prove(ctx, what, func(context.Context) error {
		return fmt.Errorf("building %s %s needs these %s packages, not installed: %s; add them under packages: in the recipe, or install them",
			r.tool.name, ch.Version, mgr, strings.Join(missing, " "))
	})
}

// build builds from the source tarball: configure with the prefix, make,
// then make altinstall into a staging root that is renamed into place only
// when it all worked, so a failed or killed build leaves no half install.
// Missing build dependencies are named before anything is configured.
func (r *Interpreter) build(ctx context.Context, sys system.System, ch source.Choice) (*Found, error) {
	if err := r.buildDeps(ctx, sys, ch); err != nil {
		return nil, err
	}
	file, err := r.src.Fetch(ctx, sys, ch)
	if err != nil {
		return nil, err
	}
	work := r.src.Work(ch.Version)
	prefix := r.src.Prefix(ch.Version)
	stage := prefix + source.StageSuffix
	if err := source.RemoveAll(sys, work, stage, prefix); err != nil {
		return nil, err
	}
	if err := sys.Extract(ctx, file, work, 1); err != nil {
		return nil, err
	}
	for _, argv := range [][]string{
		{"./configure", "--prefix=" + prefix},
		{"make", "-j" + strconv.Itoa(r.opts.Jobs)},
		{"make", "altinstall", "DESTDIR=" + stage},
	} {
		if err := r.src.Make(ctx, sys, work, argv); err != nil {
			return nil, err
		}
	}
	staged := stage + prefix
	a := ch.Artifacts[0]
	if err := r.src.Mark(sys, staged, source.Marker{Version: ch.Version, Source: "build", URL: a.URL, SHA256: a.SHA256}); err != nil {
		return nil, err
	}
	have := r.src.Kind.Layout(prefix, ch.Version)
	if err := system.Intend(sys, source.Finished(r.ID(), r.p, have)).Rename(staged, prefix); err != nil {
		return nil, err
	}
	if err := source.RemoveAll(sys, stage, work); err != nil {
		return nil, err
	}
	return have, nil
}
