package service

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install/pkgmgr"
	"github.com/envup/envup/internal/system"
)

// install runs one source's way.
func (s *Service) install(ctx context.Context, sys system.System, ch choice) (*Found, error) {
	switch ch.source {
	case "archive":
		return s.installArchive(ctx, sys, ch)
	case "build":
		return s.build(ctx, sys, ch)
	case "system":
		return s.installSystem(ctx, sys, ch)
	}
	return nil, fmt.Errorf("unknown source %q", ch.source)
}

// installArchive unpacks a Windows port's zip (its programs at the top,
// no folder around them) into the prefix.
func (s *Service) installArchive(ctx context.Context, sys system.System, ch choice) (*Found, error) {
	a := ch.artifacts[0]
	file, err := sys.Download(ctx, a.URL, a.SHA256)
	if err != nil {
		return nil, err
	}
	prefix := s.prefix(ch.version)
	// A prefix without a marker is what a killed apply left: start over.
	if err := sys.RemoveAll(prefix); err != nil {
		return nil, err
	}
	if err := sys.Extract(ctx, file, prefix, 0); err != nil {
		return nil, err
	}
	if err := writeMarker(sys, prefix, marker{Kind: s.kind.name, Version: ch.version, Source: "archive", URL: a.URL, SHA256: a.SHA256}); err != nil {
		return nil, err
	}
	return s.found(prefix, ch.version), nil
}

// installSystem installs the OS packages, then finds the server they
// gave on the PATH and checks its version.
func (s *Service) installSystem(ctx context.Context, sys system.System, ch choice) (*Found, error) {
	m, ok := pkgmgr.Lookup(ch.manager)
	if !ok {
		return nil, fmt.Errorf("envup does not drive %s", ch.manager)
	}
	if m.Privilege == pkgmgr.Elevated && !s.p.Admin {
		return nil, fmt.Errorf("%s needs an elevated prompt: run envup from an administrator prompt", ch.manager)
	}
	for _, cmd := range m.Commands(ch.packages, false, s.p.Admin) {
		if _, err := sys.Run(ctx, cmd); err != nil {
			return nil, err
		}
	}
	if system.Recording(sys) {
		return &Found{Path: exe(s.kind.server, s.p.OS), CLI: exe(s.kind.cli, s.p.OS), Version: ch.version, Origin: "system"}, nil
	}
	f, err := s.onPath(ctx, sys)
	if err != nil {
		return nil, err
	}
	if f == nil {
		return nil, fmt.Errorf("%s installed %s, but no %s is on the PATH after it", ch.manager, strings.Join(ch.packages, " "), s.kind.server)
	}
	if !s.c.Check(f.Version) {
		return nil, fmt.Errorf("%s installed %s %s at %s, which does not satisfy %q", ch.manager, s.kind.name, f.Version, f.Path, s.spec.Version)
	}
	return f, nil
}

// onPath is the server the PATH (or Homebrew's bin) has, with its
// version; nil when there is none. A server inside envup's data dir is
// envup's own, found by its marker instead.
func (s *Service) onPath(ctx context.Context, sys system.System) (*Found, error) {
	var candidates []string
	if p, err := sys.LookPath(exe(s.kind.server, s.p.OS)); err == nil {
		candidates = append(candidates, p)
	}
	if s.p.OS == "macos" {
		candidates = append(candidates, brewPrefix(sys, s.p)+"/bin/"+s.kind.server)
	}
	for _, p := range candidates {
		real, err := resolveLinks(sys, p)
		if err != nil || strings.HasPrefix(real, s.p.Dirs.Data) {
			continue
		}
		if _, err := sys.Stat(real); err != nil {
			continue
		}
		server, ver, err := s.binaryVersion(ctx, sys, p)
		if err != nil {
			return nil, err
		}
		if server != s.kind.name {
			continue // a valkey answering to redis-server, or the other way
		}
		cli := detect.Join(dirOf(p), exe(s.kind.cli, s.p.OS))
		if c, err := sys.LookPath(exe(s.kind.cli, s.p.OS)); err == nil {
			cli = c
		}
		return &Found{Path: p, CLI: cli, Version: ver, Origin: "system"}, nil
	}
	return nil, nil
}

// build builds from the source tarball: make with the host's flags, then
// make install into a staging folder that is renamed into place only
// when it all worked, so a failed or killed build leaves no half install.
// Missing tools are named before anything is downloaded.
func (s *Service) build(ctx context.Context, sys system.System, ch choice) (_ *Found, err error) {
	h := readBuildHost(sys, s.p, s.opts.Root)
	if missing := h.missing(); len(missing) > 0 && !system.Recording(sys) {
		return nil, fmt.Errorf("building %s %s needs %s, not on the PATH: install %s, or add it under packages: in the recipe",
			s.kind.name, ch.version, strings.Join(missing, " and "), toolsHint(s.p))
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
	work := detect.Join(s.p.Dirs.Data, "build", s.kind.name+"-"+ch.version)
	stage := s.prefix(ch.version) + stageSuffix
	for _, dir := range []string{work, stage} {
		if err := sys.RemoveAll(dir); err != nil {
			return nil, err
		}
	}
	defer func() {
		if err != nil {
			// The error carries make's last lines; a half-built tree
			// and a half-filled stage are of no use to a retry.
			_ = sys.RemoveAll(stage)
			_ = sys.RemoveAll(work)
		}
	}()
	if err := sys.Extract(ctx, file, work, 1); err != nil {
		return nil, err
	}
	flags := buildFlags(s.p, s.kind.name, ch.version, h)
	// make install gets the same flags: the Makefile remembers the ones
	// it built with and starts over when they change.
	steps := [][]string{
		append([]string{"make", "-j" + strconv.Itoa(s.opts.Jobs)}, flags...),
		append([]string{"make", "install", "PREFIX=" + stage}, flags...),
	}
	for _, argv := range steps {
		if _, err := sys.Run(ctx, system.Cmd{Argv: argv, Dir: work, Live: s.opts.Live}); err != nil {
			return nil, err
		}
	}
	ver, err := s.builtVersion(ctx, sys, stage, ch.version)
	if err != nil {
		return nil, err
	}
	prefix := s.prefix(ver)
	if err := writeMarker(sys, stage, marker{Kind: s.kind.name, Version: ver, Source: "build", URL: ch.artifacts[0].URL, SHA256: ch.artifacts[0].SHA256, Flags: flags}); err != nil {
		return nil, err
	}
	if err := sys.RemoveAll(prefix); err != nil {
		return nil, err
	}
	if err := sys.Rename(stage, prefix); err != nil {
		return nil, err
	}
	if err := sys.RemoveAll(work); err != nil {
		return nil, err
	}
	return s.found(prefix, ver), nil
}

// builtVersion asks the server just built which version it is: the
// proof the build works, and the version its folder is named after. A
// plan cannot ask (nothing was built), so it records the check instead.
func (s *Service) builtVersion(ctx context.Context, sys system.System, stage, want string) (string, error) {
	server := s.found(stage, want).Path
	if dry, ok := sys.(*system.DryRun); ok {
		dry.RecordProof(fmt.Sprintf("%s --version says %s %s", server, s.kind.name, want))
		return want, nil
	}
	res, err := sys.Query(ctx, system.Cmd{Argv: []string{server, "--version"}, Timeout: versionTimeout})
	if err != nil {
		return "", fmt.Errorf("the %s just built does not run: %w", s.kind.server, err)
	}
	kind, ver, ok := parseVersion(string(res.Stdout))
	switch {
	case !ok:
		return "", fmt.Errorf("the %s just built printed %q, not its version", s.kind.server, oneLine(string(res.Stdout)))
	case kind != s.kind.name:
		return "", fmt.Errorf("the source built %s %s, not %s", kind, ver, s.kind.name)
	case !s.c.Check(ver):
		return "", fmt.Errorf("the source built %s %s, which does not satisfy %q", kind, ver, s.spec.Version)
	}
	return ver, nil
}
