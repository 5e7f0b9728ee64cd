package service

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/envup/envup/internal/install/source"
	"github.com/envup/envup/internal/system"
)

// sourceKind is what the source engine needs to know of this server.
func (s *Service) sourceKind() source.Kind {
	return source.Kind{
		Name: s.kind.name, Marker: "kind", Notes: true,
		Layout:      s.found,
		Programs:    s.programs,
		OnHost:      s.onHost,
		FileVersion: s.sourceVersion,
		System:      s.systemChoice,
		Planned: func(ch source.Choice) *Found {
			return &Found{Path: exe(s.kind.server, s.p.OS), CLI: exe(s.kind.cli, s.p.OS), Version: ch.Version, Origin: "system"}
		},
		Given:     s.given,
		BuildNote: s.buildNote,
		Build:     s.build,
	}
}

// found is envup's install of ver at prefix: the Windows ports keep their
// programs at the top of the folder, a build under bin/.
func (s *Service) found(prefix, ver string) *Found {
	bin := s.p.Join(prefix, "bin")
	if s.p.OS == "windows" {
		bin = prefix
	}
	return &Found{
		Path:    s.p.Join(bin, exe(s.kind.server, s.p.OS)),
		CLI:     s.p.Join(bin, exe(s.kind.cli, s.p.OS)),
		Version: ver, Origin: "envup", Prefix: prefix,
	}
}

// programs are the bin entries an envup install gets: the server and its cli.
func (s *Service) programs(f *Found) []source.Program {
	var out []source.Program
	for _, target := range []string{f.Path, f.CLI} {
		out = append(out, source.Program{Name: strings.TrimSuffix(s.p.Path(target).Base(), ".exe"), Target: target})
	}
	return out
}

// buildNote says what a build on this host lacks: make and a compiler,
// or OpenSSL's headers (a build without TLS).
func (s *Service) buildNote(_ context.Context, sys system.System, ch source.Choice) string {
	if _, err := sys.LookPath("make"); errors.Is(err, system.ErrNotObserved) {
		return "" // another platform's host: what it lacks is not known
	}
	h := readBuildHost(sys, s.p, s.opts.Root)
	var notes []string
	if missing := h.missing(); len(missing) > 0 {
		notes = append(notes, fmt.Sprintf("needs %s first (%s)", toolsHint(s.p), strings.Join(missing, ", ")))
	}
	if h.OpenSSL == "" && hasTLS(s.kind.name, ch.Version) {
		notes = append(notes, "without TLS: no "+opensslHint(s.p))
	}
	return strings.Join(notes, "; ")
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
func (s *Service) systemChoice(ctx context.Context, sys system.System, manager string) (*source.Choice, string) {
	pkgs := s.kind.packages(manager, s.c)
	if len(pkgs) == 0 {
		return nil, fmt.Sprintf("envup does not know %s's name for %s", manager, s.kind.name)
	}
	if manager != "apt" {
		return &source.Choice{Source: "system", Version: s.spec.Version, Manager: manager, Packages: pkgs, Note: "version checked after install"}, ""
	}
	offered, err := source.AptCandidates(ctx, sys, pkgs[:1])
	if err != nil {
		return nil, "apt: " + err.Error()
	}
	v := offered[pkgs[0]]
	if v == "" || !s.c.Check(v) {
		if v == "" {
			v = "none"
		}
		return nil, fmt.Sprintf("apt offers %s %s, not %s", pkgs[0], v, s.spec.Version)
	}
	return &source.Choice{Source: "system", Version: v, Manager: "apt", Packages: pkgs}, ""
}
