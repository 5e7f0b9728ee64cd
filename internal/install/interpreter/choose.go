package interpreter

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/install/health"
	"github.com/envup/envup/internal/system"
)

// choice is one way to install: a source, the version it gives and what
// it takes (downloads, or OS packages).
type choice struct {
	source    string // archive, installer, system or build
	version   string
	artifacts []catalog.Artifact // archive and installer: one; build: every source tarball, tried in order
	manager   string             // system
	packages  []string           // system
	note      string             // what the plan should add ("needs libssl-dev first")
}

func (c choice) describe() string {
	var s string
	switch c.source {
	case "archive":
		s = "from archive " + c.artifacts[0].Filename
	case "installer":
		s = "from installer " + c.artifacts[0].Filename
	case "system":
		s = "from " + c.manager + " (" + strings.Join(c.packages, " ") + ")"
	case "build":
		s = "built from source " + c.artifacts[0].Filename
	}
	if c.note != "" {
		s += "; " + c.note
	}
	return s
}

// choose lists the ways the recipe's sources can install, in its order,
// and says why each source before the first usable one cannot.
func (r *Interpreter) choose(ctx context.Context, sys system.System) (plan []choice, tried []string) {
	for _, source := range r.sources() {
		var (
			ch  *choice
			why string
		)
		switch source {
		case "existing":
			why = fmt.Sprintf("no %s %s on this machine", r.tool.name, r.spec.Version)
			if r.p.Foreign {
				why = "this host is not observed"
			}
		case "archive":
			ch, why = r.archiveChoice()
		case "system":
			ch, why = r.systemChoice(ctx, sys)
		case "build":
			ch, why = r.buildChoice(ctx, sys)
		}
		if ch != nil {
			plan = append(plan, *ch)
			continue
		}
		if len(plan) == 0 {
			tried = append(tried, source+": "+why)
		}
	}
	return plan, tried
}

func (r *Interpreter) archiveChoice() (*choice, string) {
	if a := r.spec.Archive; a != nil {
		return &choice{source: "archive", version: r.spec.Version, artifacts: []catalog.Artifact{{
			Kind: catalog.KindArchive, URL: a.URL, SHA256: a.SHA256, Filename: path.Base(a.URL),
		}}}, ""
	}
	rel, err := r.opts.Catalog.Resolve(r.tool.name, r.spec.Version, r.p,
		catalog.Kinds(catalog.KindArchive, catalog.KindInstaller), catalog.AllowUnverified(r.opts.AllowUnverified))
	if err != nil {
		return nil, err.Error()
	}
	a := rel.Artifacts[0]
	source := "archive"
	if a.Kind == catalog.KindInstaller {
		source = "installer"
	}
	return &choice{source: source, version: rel.Version, artifacts: []catalog.Artifact{a}}, ""
}

func (r *Interpreter) buildChoice(ctx context.Context, sys system.System) (*choice, string) {
	if r.p.OS == "windows" {
		return nil, "envup builds from source on linux and macos only"
	}
	rel, err := r.opts.Catalog.Resolve(r.tool.name, r.spec.Version, r.p,
		catalog.Kinds(catalog.KindSource), catalog.AllowUnverified(r.opts.AllowUnverified))
	if err != nil {
		return nil, err.Error()
	}
	ch := &choice{source: "build", version: rel.Version, artifacts: rel.Artifacts}
	if missing, err := health.MissingBuildDeps(ctx, sys, r.p, r.opts.Root); err == nil && len(missing) > 0 {
		mgr, _ := health.BuildDeps(r.p)
		ch.note = fmt.Sprintf("needs %s (%s) first", strings.Join(missing, " "), mgr)
	}
	return ch, ""
}

// systemChoice asks the host's package manager which version it offers.
// Only apt is asked before installing; with the others the version is
// checked once installed.
func (r *Interpreter) systemChoice(ctx context.Context, sys system.System) (*choice, string) {
	if len(r.p.Managers) == 0 {
		return nil, "no package manager on this host"
	}
	manager := r.p.Managers[0]
	minors := r.minors()
	if len(minors) == 0 {
		return nil, fmt.Sprintf("the catalog knows no %s %s", r.tool.name, r.spec.Version)
	}
	if manager != "apt" {
		pkgs := r.tool.packages(manager, minors[0])
		if len(pkgs) == 0 {
			return nil, fmt.Sprintf("envup does not know %s's name for %s", manager, r.tool.name)
		}
		return &choice{source: "system", version: minors[0], manager: manager, packages: pkgs, note: "version checked after install"}, ""
	}
	offered, err := aptOffers(ctx, sys, r.tool, minors)
	if err != nil {
		return nil, "apt: " + err.Error()
	}
	for _, v := range offered {
		if r.c.Check(v) {
			return &choice{source: "system", version: v, manager: "apt", packages: r.tool.packages("apt", minorOf(v))}, ""
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

// aptOffers asks apt-cache for the candidate (upstream) version of the
// packages that would give each of minors, in that order.
func aptOffers(ctx context.Context, sys system.System, t *tool, minors []string) ([]string, error) {
	argv := []string{"apt-cache", "policy"}
	for _, m := range minors {
		if pkg := t.packages("apt", m)[0]; !slices.Contains(argv, pkg) {
			argv = append(argv, pkg)
		}
	}
	res, err := sys.Query(ctx, system.Cmd{Argv: argv})
	if err != nil {
		return nil, err
	}
	candidate := map[string]string{}
	pkg := ""
	for _, line := range strings.Split(string(res.Stdout), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasSuffix(line, ":") && !strings.HasPrefix(line, " "):
			pkg = strings.TrimSuffix(line, ":")
		case strings.HasPrefix(trimmed, "Candidate:") && pkg != "":
			if v := strings.TrimSpace(strings.TrimPrefix(trimmed, "Candidate:")); v != "(none)" {
				candidate[pkg] = upstream(v)
			}
		}
	}
	var out []string
	for _, pkg := range argv[2:] {
		if v, ok := candidate[pkg]; ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// upstream turns a Debian version ("1:3.11.2-6+deb12u8") into the
// upstream one ("3.11.2").
func upstream(v string) string {
	if i := strings.Index(v, ":"); i >= 0 {
		v = v[i+1:]
	}
	if i := strings.IndexAny(v, "-+~"); i >= 0 {
		v = v[:i]
	}
	return v
}
