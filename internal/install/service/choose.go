package service

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/system"
)

// choice is one way to install: a source, the version it gives and what
// it takes (downloads, or OS packages).
type choice struct {
	source    string // archive, build or system
	version   string
	artifacts []catalog.Artifact // archive: one; build: every source tarball, tried in order
	manager   string             // system
	packages  []string           // system
	note      string             // what the plan should add ("needs build-essential (apt) first")
}

func (c choice) describe() string {
	var s string
	switch c.source {
	case "archive":
		s = "from archive " + c.artifacts[0].Filename
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
func (s *Service) choose(ctx context.Context, sys system.System) (plan []choice, tried []string) {
	for _, source := range s.sources() {
		var (
			ch  *choice
			why string
		)
		switch source {
		case "archive":
			ch, why = s.archiveChoice()
		case "build":
			ch, why = s.buildChoice(sys)
		case "system":
			ch, why = s.systemChoice(ctx, sys)
		default:
			why = "envup knows no such source"
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

// archiveChoice is the recipe's own prebuilt server (its version from
// the file name or an exact version:), else one from the catalog: only
// the Windows ports have one (a zip unpacked in place; their msi installers are left
// out, as they install for the whole machine).
func (s *Service) archiveChoice() (*choice, string) {
	if a := s.spec.Archive; a != nil {
		ver, err := s.sourceVersion(a.URL)
		if err != nil {
			return nil, err.Error()
		}
		return &choice{source: "archive", version: ver, artifacts: []catalog.Artifact{{
			Kind: catalog.KindArchive, URL: a.URL, SHA256: a.SHA256, Filename: path.Base(a.URL),
		}}}, ""
	}
	rel, err := s.opts.Catalog.Resolve(s.kind.name, s.spec.Version, s.p,
		catalog.Kinds(catalog.KindArchive), catalog.AllowUnverified(s.opts.AllowUnverified))
	if err != nil {
		return nil, err.Error()
	}
	ch := &choice{source: "archive", version: rel.Version, artifacts: rel.Artifacts[:1]}
	if a := rel.Artifacts[0]; a.Note != "" {
		ch.note = a.Note
	}
	return ch, ""
}

// buildChoice is the recipe's source: tarball, else the catalog's.
func (s *Service) buildChoice(sys system.System) (*choice, string) {
	if s.p.OS != "linux" && s.p.OS != "macos" {
		return nil, "envup builds from source on linux and macos only"
	}
	var ch *choice
	if src := s.spec.Source; src != nil {
		ver, err := s.sourceVersion(src.URL)
		if err != nil {
			return nil, err.Error()
		}
		ch = &choice{source: "build", version: ver, artifacts: []catalog.Artifact{{
			Kind: catalog.KindSource, URL: src.URL, SHA256: src.SHA256, Filename: path.Base(src.URL),
		}}}
	} else {
		rel, err := s.opts.Catalog.Resolve(s.kind.name, s.spec.Version, s.p,
			catalog.Kinds(catalog.KindSource), catalog.AllowUnverified(s.opts.AllowUnverified))
		if err != nil {
			return nil, err.Error()
		}
		ch = &choice{source: "build", version: rel.Version, artifacts: rel.Artifacts}
	}
	if s.p.Foreign {
		return ch, "" // nothing on that host can be looked at
	}
	h := readBuildHost(sys, s.p, s.opts.Root)
	var notes []string
	if missing := h.missing(); len(missing) > 0 {
		notes = append(notes, fmt.Sprintf("needs %s first (%s)", toolsHint(s.p), strings.Join(missing, ", ")))
	}
	if h.OpenSSL == "" && hasTLS(s.kind.name, ch.version) {
		notes = append(notes, "without TLS: no "+opensslHint(s.p))
	}
	ch.note = strings.Join(notes, "; ")
	return ch, ""
}

var tarballVersion = regexp.MustCompile(`([0-9]+\.[0-9]+(?:\.[0-9]+)*)\.(?:tar\.gz|tgz|tar\.xz|tar\.bz2|tar\.zst|zip)$`)

// sourceVersion is the version of the recipe's own tarball: from its
// name (redis-7.0.15.tar.gz, 7.0.15.tar.gz), else the recipe's version
// when it names exactly one. The build checks it against what the
// server it makes says.
func (s *Service) sourceVersion(url string) (string, error) {
	if m := tarballVersion.FindStringSubmatch(path.Base(url)); m != nil {
		if !s.c.Check(m[1]) {
			return "", fmt.Errorf("the recipe's source %s is %s %s, which does not satisfy %q", path.Base(url), s.kind.name, m[1], s.spec.Version)
		}
		return m[1], nil
	}
	if v := strings.TrimPrefix(strings.TrimSpace(s.spec.Version), "="); exactVersion.MatchString(strings.TrimSpace(v)) {
		return strings.TrimSpace(v), nil
	}
	return "", fmt.Errorf("cannot tell the version of the recipe's source %s: name it %s-X.Y.Z.tar.gz, or pin version: to one release", path.Base(url), s.kind.name)
}

var exactVersion = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)

// systemChoice is the host's package manager. Only apt is asked which
// version it would install; with the others the version is checked once
// installed.
func (s *Service) systemChoice(ctx context.Context, sys system.System) (*choice, string) {
	if len(s.p.Managers) == 0 {
		return nil, "no package manager on this host"
	}
	manager := s.p.Managers[0]
	pkgs := s.kind.packages(manager, s.c)
	if len(pkgs) == 0 {
		return nil, fmt.Sprintf("envup does not know %s's name for %s", manager, s.kind.name)
	}
	if manager != "apt" {
		return &choice{source: "system", version: s.spec.Version, manager: manager, packages: pkgs, note: "version checked after install"}, ""
	}
	v, err := aptCandidate(ctx, sys, pkgs[0])
	if err != nil {
		return nil, "apt: " + err.Error()
	}
	if v == "" || !s.c.Check(v) {
		if v == "" {
			v = "none"
		}
		return nil, fmt.Sprintf("apt offers %s %s, not %s", pkgs[0], v, s.spec.Version)
	}
	return &choice{source: "system", version: v, manager: "apt", packages: pkgs}, ""
}

// aptCandidate asks apt-cache which upstream version of pkg apt would
// install; "" when none.
func aptCandidate(ctx context.Context, sys system.System, pkg string) (string, error) {
	res, err := sys.Query(ctx, system.Cmd{Argv: []string{"apt-cache", "policy", pkg}})
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(res.Stdout), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Candidate:"); ok {
			if v = strings.TrimSpace(v); v != "(none)" {
				return upstream(v), nil
			}
		}
	}
	return "", nil
}

// upstream turns a Debian version ("5:7.0.15-1~deb12u3") into the
// upstream one ("7.0.15").
func upstream(v string) string {
	if i := strings.Index(v, ":"); i >= 0 {
		v = v[i+1:]
	}
	if i := strings.IndexAny(v, "-+~"); i >= 0 {
		v = v[:i]
	}
	return v
}
