package service

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// versionTimeout bounds one `redis-server --version`; it answers in
// milliseconds unless the disk is cold.
const versionTimeout = 10 * time.Second

var (
	// versionField is the v= field every server since 2.6 prints:
	// "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=…",
	// "Valkey server v=8.1.1 …", the Windows port's "v=5.0.14.1".
	versionField = regexp.MustCompile(`(?:^|\s)v=([0-9]+(?:\.[0-9]+)+)(?:\s|$)`)
	// oldVersion is what 2.4 and before printed:
	// "Redis server version 2.4.10 (00000000:0)".
	oldVersion = regexp.MustCompile(`server version ([0-9]+(?:\.[0-9]+)+)(?:\s|$)`)
)

// parseVersion reads `redis-server --version` (or `-v`): which server
// it is (redis or valkey, from the first word) and its version. ok is
// false for anything else.
func parseVersion(out string) (server, version string, ok bool) {
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		m := versionField.FindStringSubmatch(line)
		if m == nil {
			m = oldVersion.FindStringSubmatch(line)
		}
		if m == nil {
			continue
		}
		first, _, _ := strings.Cut(line, " ")
		switch strings.ToLower(first) {
		case "redis":
			return "redis", m[1], true
		case "valkey":
			return "valkey", m[1], true
		}
	}
	return "", "", false
}

// failed marks a remembered answer as a failure: "!" and the reason.
const failed = "!"

// binaryVersion is what `<path> --version` says, remembered in the memo
// by the file's real path, size and mtime, so a server already asked is
// not run again until its file changes. A definite failure (it ran and
// said something else) is remembered too.
func (s *Service) binaryVersion(ctx context.Context, sys system.System, path string) (server, version string, err error) {
	real := path
	if r, err := resolveLinks(sys, s.p, path); err == nil {
		real = r
	}
	fi, err := sys.Stat(real)
	if err != nil {
		return "", "", err
	}
	key := fmt.Sprintf("service/version %s %d %d", real, fi.Size(), fi.ModTime().UnixNano())
	if v, ok := s.opts.Memo.Get(key); ok {
		if reason, bad := strings.CutPrefix(v, failed); bad {
			return "", "", fmt.Errorf("%s: %s (remembered until the file changes)", path, reason)
		}
		server, version, _ := strings.Cut(v, " ")
		return server, version, nil
	}
	runCtx, cancel := context.WithTimeout(ctx, versionTimeout)
	defer cancel()
	argv := []string{path, "--version"}
	res, err := sys.Query(runCtx, system.Cmd{Argv: argv})
	if err != nil {
		var exitErr *system.ExitError
		if errors.As(err, &exitErr) {
			s.opts.Memo.Put(key, failed+oneLine(exitErr.Error()))
		}
		return "", "", err
	}
	server, version, ok := parseVersion(string(res.Stdout))
	if !ok {
		reason := fmt.Sprintf("%s: printed %q, not a server version", system.Quote(argv), oneLine(string(res.Stdout)))
		s.opts.Memo.Put(key, failed+reason)
		return "", "", errors.New(reason)
	}
	s.opts.Memo.Put(key, server+" "+version)
	return server, version, nil
}

// resolveLinks follows symlinks from path on p to the file they end at.
func resolveLinks(sys system.System, p detect.Platform, path string) (string, error) {
	for range 40 {
		target, err := sys.Readlink(path)
		if err != nil {
			return path, nil //nolint:nilerr // not a link: path is the file
		}
		if !strings.HasPrefix(target, "/") && !strings.Contains(target, `:\`) {
			target = p.Join(dirOf(path), target)
		}
		path = target
	}
	return "", fmt.Errorf("%s: too many links", path)
}

// oneLine shortens a message to one line of at most 200 characters.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
