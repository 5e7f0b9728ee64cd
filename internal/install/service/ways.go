package service

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/envup/envup/internal/install/source"
	"github.com/envup/envup/internal/system"
)

// given is the server the OS packages of ch gave: the one on the PATH,
// its version checked.
func (s *Service) given(ctx context.Context, sys system.System, ch source.Choice) (*Found, error) {
	f, err := s.onPath(ctx, sys)
	if err != nil {
		return nil, err
	}
	if f == nil {
		return nil, fmt.Errorf("%s installed %s, but no %s is on the PATH after it", ch.Manager, strings.Join(ch.Packages, " "), s.kind.server)
	}
	if !s.c.Check(f.Version) {
		return nil, fmt.Errorf("%s installed %s %s at %s, which does not satisfy %q", ch.Manager, s.kind.name, f.Version, f.Path, s.spec.Version)
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
		real, err := resolveLinks(sys, s.p, p)
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
		cli := s.p.Join(dirOf(p), exe(s.kind.cli, s.p.OS))
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
func (s *Service) build(ctx context.Context, sys system.System, ch source.Choice) (_ *Found, err error) {
	h := readBuildHost(sys, s.p, s.opts.Root)
	// An earlier step (the recipe's packages) may install the tools, and
	// a plan only recorded it: their lack is a proof to make once they
	// should be there, which a plan records.
	if missing := h.missing(); len(missing) > 0 {
		what := fmt.Sprintf("the PATH has %s, to build %s", strings.Join(missing, " and "), s.kind.name)
		if err := sys.Prove(ctx, what, func(context.Context) error {
			return fmt.Errorf("building %s %s needs %s, not on the PATH: install %s, or add it under packages: in the recipe",
				s.kind.name, ch.Version, strings.Join(missing, " and "), toolsHint(s.p))
		}); err != nil {
			return nil, err
		}
	}
	file, err := s.src.Fetch(ctx, sys, ch)
	if err != nil {
		return nil, err
	}
	work := s.src.Work(ch.Version)
	stage := s.src.Prefix(ch.Version) + source.StageSuffix
	if err := source.RemoveAll(sys, work, stage); err != nil {
		return nil, err
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
	flags := buildFlags(s.p, s.kind.name, ch.Version, h)
	// make install gets the same flags: the Makefile remembers the ones
	// it built with and starts over when they change.
	steps := [][]string{
		append([]string{"make", "-j" + strconv.Itoa(s.opts.Jobs)}, flags...),
		append([]string{"make", "install", "PREFIX=" + stage}, flags...),
	}
	for _, argv := range steps {
		if err := s.src.Make(ctx, sys, work, argv); err != nil {
			return nil, err
		}
	}
	ver, err := s.builtVersion(ctx, sys, stage, ch.Version)
	if err != nil {
		return nil, err
	}
	prefix := s.src.Prefix(ver)
	a := ch.Artifacts[0]
	if err := s.src.Mark(sys, stage, source.Marker{Version: ver, Source: "build", URL: a.URL, SHA256: a.SHA256, Flags: flags}); err != nil {
		return nil, err
	}
	if err := sys.RemoveAll(prefix); err != nil {
		return nil, err
	}
	have := s.found(prefix, ver)
	if err := system.Intend(sys, source.Finished(s.ID(), s.p, have)).Rename(stage, prefix); err != nil {
		return nil, err
	}
	if err := sys.RemoveAll(work); err != nil {
		return nil, err
	}
	return have, nil
}

// builtVersion asks the server just built which version it is: the
// proof the build works, and the version its folder is named after. A
// plan cannot ask (nothing was built), so it records the check instead.
func (s *Service) builtVersion(ctx context.Context, sys system.System, stage, want string) (string, error) {
	server := s.found(stage, want).Path
	ver := want
	err := sys.Prove(ctx, fmt.Sprintf("%s --version says %s %s", server, s.kind.name, want), func(ctx context.Context) error {
		res, err := sys.Query(ctx, system.Cmd{Argv: []string{server, "--version"}, Timeout: versionTimeout})
		if err != nil {
			return fmt.Errorf("the %s just built does not run: %w", s.kind.server, err)
		}
		kind, v, ok := parseVersion(string(res.Stdout))
		switch {
		case !ok:
			return fmt.Errorf("the %s just built printed %q, not its version", s.kind.server, oneLine(string(res.Stdout)))
		case kind != s.kind.name:
			return fmt.Errorf("the source built %s %s, not %s", kind, v, s.kind.name)
		case !s.c.Check(v):
			return fmt.Errorf("the source built %s %s, which does not satisfy %q", kind, v, s.spec.Version)
		}
		ver = v
		return nil
	})
	return ver, err
}
