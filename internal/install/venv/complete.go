package venv

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/envup/envup/internal/system"
)

// A venv is complete when envup says so, not when its METADATA looks
// right: a venv killed while ensurepip or pip writes is left with a
// dist-info beside a half-written package, and reads as whole.
//
// completeName, in the venv's folder, is envup's marker. Before the first
// change to a venv's packages (before `-m venv` for a new one) an apply
// writes it pending; after the last, complete:
//
//	envup-venv 1
//	wants sha256:<hex>        (complete: the digest of the wants it holds)
//	pending                   (an apply is changing it)
//
// so a kill at any point leaves the venv either marked complete or not.
// A pending venv is made again, the old one kept aside until the new one
// works (remake). A pip that fails by itself leaves whole packages: the
// apply removes its pending marker, and the next one probes.
//
// A venv without the marker (made by hand, by another tool, or by an
// envup before the marker) or with another layout is complete only when
// its python and pip run: one probe, `python -m pip --version` (`python
// -c pass` where it has no pip), through Query. A complete venv is never
// probed, so a no-op apply starts no program.
const (
	completeName   = ".envup-venv"
	completeHeader = "envup-venv 1"
	pendingLine    = "pending"
)

// probeTimeout bounds the probe: a venv that hangs is not complete.
const probeTimeout = time.Minute

// completion is what envup's marker says of a venv.
type completion int8

const (
	unmarked completion = iota // none, or another layout: probe it
	pending                    // an apply was changing it and never finished
	complete                   // the last apply finished
)

// readMarker reads envup's marker in the venv.
func (v *Venv) readMarker(sys system.System) completion {
	data, err := sys.ReadFile(v.j.join(v.path, completeName))
	if err != nil {
		return unmarked
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	switch {
	case len(lines) < 2 || strings.TrimSpace(lines[0]) != completeHeader:
		return unmarked
	case strings.TrimSpace(lines[1]) == pendingLine:
		return pending
	case strings.HasPrefix(lines[1], "wants "):
		return complete
	}
	return unmarked
}

// incompleteWhy says why an existing venv must be made again, or "" when
// it is complete: its marker says so, or (none) its python and pip run.
func (v *Venv) incompleteWhy(ctx context.Context, sys system.System, st *State) string {
	switch v.readMarker(sys) {
	case complete:
		st.Marked = true
		return ""
	case pending:
		return "incomplete (the last apply stopped before it finished)"
	}
	py := v.j.python(v.path)
	argv, what := []string{py, "-m", "pip", "--version"}, "pip"
	probed := v.j.join(v.path, "pyvenv.cfg")
	if d := st.dists["pip"]; d != nil {
		probed = d.Dir
	} else {
		argv, what = []string{py, "-c", "pass"}, "python"
	}
	// A probe that passed is remembered (state memo) by what it depends
	// on: a no-op apply of a venv envup did not mark starts nothing.
	key, stamp := "venv-runs:"+v.path, stampOf(sys, probed)
	if had, ok := v.opts.Memo.Get(key); ok && stamp != "" && had == stamp {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	if _, err := sys.Query(ctx, system.Cmd{Argv: argv, Env: pipEnv}); err != nil {
		return what + " does not run: " + lastLine(err)
	}
	if stamp != "" {
		v.opts.Memo.Put(key, stamp)
	}
	return ""
}

// stampOf is a file's or folder's size and modification time, "" when it
// cannot be read: what tells a remembered probe is still true.
func stampOf(sys system.System, path string) string {
	fi, err := sys.Stat(path)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d %d", fi.Size(), fi.ModTime().UnixNano())
}

// lastLine is what a failed probe said last (a traceback's last line
// names the error), or the error itself.
func lastLine(err error) string {
	var exit *system.ExitError
	if errors.As(err, &exit) && exit.Stderr != "" {
		return exit.Telling()
	}
	return err.Error()
}

// markPending writes the marker pending, before the venv's packages
// change.
func (v *Venv) markPending(sys system.System) error {
	return v.writeMarker(sys, pendingLine)
}

// markComplete writes the marker complete, once every package is
// installed.
func (v *Venv) markComplete(sys system.System, w *wanted) error {
	return v.writeMarker(sys, "wants sha256:"+v.wantsDigest(w))
}

func (v *Venv) writeMarker(sys system.System, line string) error {
	p := v.j.join(v.path, completeName)
	if err := sys.WriteFile(p, []byte(completeHeader+"\n"+line+"\n"), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	return nil
}

// unmark removes a pending marker after pip failed by itself (not
// killed): the venv holds whole packages, and the next apply probes it
// rather than making it again.
func (v *Venv) unmark(sys system.System) error {
	p := v.j.join(v.path, completeName)
	if err := sys.Remove(p); err != nil && !isNotExist(err) {
		return fmt.Errorf("remove %s: %w", p, err)
	}
	return nil
}

// wantsDigest is the sha256 of what the recipe asked of the venv: its
// requirements as pip is given them, constraints, remote files and the
// pip pin. It says which wants a marker was written for.
func (v *Venv) wantsDigest(w *wanted) string {
	var lines []string
	if w != nil {
		for _, r := range w.reqs {
			lines = append(lines, "req "+r.line())
		}
		for _, k := range slices.Sorted(maps.Keys(w.constraints)) {
			lines = append(lines, "constraint "+k+w.constraints[k].String())
		}
		for _, r := range w.remote {
			lines = append(lines, "remote "+r)
		}
	}
	lines = append(lines, "pip "+v.pip.String(), fmt.Sprintf("system_site_packages %t", v.spec.SystemSitePackages))
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:])
}
