// Package inventory finds the interpreters already on a machine: the
// pythons and nodes on the PATH, in the system directories, and in the
// folders of pyenv, uv, mise, nvm, Homebrew, python.org's installers,
// Windows' py launcher and envup itself.
//
// Finding is cheap. A directory is read at most once per Find, and not
// at all when its mtime shows it unchanged since the memo listed it;
// links are resolved through a cache of resolved directories; and a
// binary is run for its version only when its real path, size and mtime
// are not in the memo. On a host where nothing changed, Find spawns no
// process and reads no directory: it stats.
package inventory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// Where an interpreter was found.
const (
	OriginPath      = "path"       // a PATH directory no other origin claims
	OriginSystem    = "system"     // /usr/bin, /usr/local/bin, the Command Line Tools, %ProgramFiles%\nodejs
	OriginPyenv     = "pyenv"      // $PYENV_ROOT/versions (pyenv-win on Windows)
	OriginHomebrew  = "homebrew"   // <prefix>/opt/python@3.N, node, node@N
	OriginPythonOrg = "python.org" // the macOS framework, the Windows installers' default folders
	OriginUV        = "uv"         // uv python install
	OriginMise      = "mise"       // mise's installs
	OriginRegistry  = "registry"   // PEP 514, as Windows' py launcher lists it
	OriginNvm       = "nvm"        // nvm, nvm-windows
	OriginEnvup     = "envup"      // envup's own installs under the data dir
)

// rank orders origins when one file is found in several places: envup's
// own first, then the installer that put it there, then the system
// directories, then a bare PATH entry.
func rank(origin string) int {
	switch origin {
	case OriginEnvup:
		return 0
	case OriginSystem:
		return 2
	case OriginPath:
		return 3
	}
	return 1
}

// Interpreter is one interpreter on the machine.
type Interpreter struct {
	Path    string `json:"path"`    // as found: /usr/bin/python3.11, ~/.pyenv/versions/3.12.1/bin/python3.12
	Version string `json:"version"` // "3.11.2", "20.20.2"
	Origin  string `json:"origin"`  // one of the Origin constants
}

// parallel bounds how many binaries run at once for their versions.
const parallel = 4

// Find returns the interpreters of tool ("python" or "node") on the
// host, newest version first, each file once however many links lead to
// it. A binary that does not run, or prints no version, is left out. On
// a host that cannot be observed (system.Absent) it finds nothing. Its
// only error is the context's, or an unknown tool.
func Find(ctx context.Context, sys system.System, tool string, p detect.Platform, memo *state.Memo) ([]Interpreter, error) {
	h := newHost(sys, p, memo)
	var places []candidate
	switch tool {
	case "python":
		places = h.pythonPlaces(ctx)
	case "node":
		places = h.nodePlaces()
	default:
		return nil, fmt.Errorf("inventory: unknown tool %q (python or node)", tool)
	}
	bins := h.locate(tool, places)

	versions := make([]string, len(bins))
	var wg sync.WaitGroup
	sem := make(chan struct{}, parallel)
	for i, b := range bins {
		if v, ok := memo.Get(b.memoKey()); ok {
			// Answered without a goroutine: the common case.
			versions[i], _ = remembered(v)
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			versions[i], _ = version(ctx, sys, b, memo)
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	var out []Interpreter
	for i, b := range bins {
		if versions[i] != "" {
			out = append(out, Interpreter{Path: b.path, Version: versions[i], Origin: b.origin})
		}
	}
	slices.SortStableFunc(out, func(a, b Interpreter) int {
		if c := compareVersions(b.Version, a.Version); c != 0 {
			return c
		}
		if c := cmp.Compare(rank(a.Origin), rank(b.Origin)); c != 0 {
			return c
		}
		return cmp.Compare(a.Path, b.Path)
	})
	return out, nil
}

// remembered reads a memo value: a version, or "" for a remembered
// failure.
func remembered(v string) (string, bool) {
	if strings.HasPrefix(v, failed) {
		return "", false
	}
	return v, true
}

// locate turns places into binaries: the first existing path of each,
// resolved to its real file and stat-ed, one binary per real file. When
// several places reach one file, the best-ranked origin gives the binary
// its path and origin; between equals, a path named as the file itself
// (python3.11 rather than python3 → python3.11), then the first found.
func (h *host) locate(tool string, places []candidate) []binary {
	var bins []binary
	index := map[string]int{} // real path key → bins index
	for _, c := range places {
		b, ok := h.first(tool, c)
		if !ok {
			continue
		}
		key := h.real.key(b.real)
		if i, seen := index[key]; seen {
			if better(b, bins[i]) {
				bins[i].path, bins[i].origin = b.path, b.origin
			}
			continue
		}
		index[key] = len(bins)
		bins = append(bins, b)
	}
	return bins
}

// first returns the binary at the first of c's paths that is an
// executable file.
func (h *host) first(tool string, c candidate) (binary, bool) {
	for _, p := range c.paths {
		real, err := h.real.path(p)
		if err != nil {
			continue
		}
		fi, err := statBinary(h.sys, real, h.win)
		if err != nil {
			continue
		}
		return binary{tool: tool, path: p, real: real, origin: c.origin, size: fi.Size(), mtime: fi.ModTime()}, true
	}
	return binary{}, false
}

// better says whether b names a file better than cur does.
func better(b, cur binary) bool {
	if rb, rc := rank(b.origin), rank(cur.origin); rb != rc {
		return rb < rc
	}
	return base(b.path) == base(b.real) && base(cur.path) != base(cur.real)
}
