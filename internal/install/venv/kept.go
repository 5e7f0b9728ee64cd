package venv

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	pathpkg "path"
	"strconv"
	"strings"

	"github.com/envup/envup/internal/system"
)

// A kept seed is pip (and setuptools before 3.12) installed and
// byte-compiled once per base interpreter and pip wheel, into a venv of
// its own under DATA/pip/seed, as virtualenv's app-data seeder keeps
// its wheels installed. Each new venv gets its files as hard links (their
// mtimes, which the .pyc files record, are the seed's, so the .pyc stay
// valid; Python fixes a loaded code object's file name to the module's
// own path, so tracebacks name the venv's files); what holds the venv's
// path is written per venv as pip writes it: the console scripts
// (bin/pip, pip3, pip3.X, the venv's python in the first line) and the
// RECORD lines that list them. pip, now the venv's own, then installs
// the recipe's packages. Where no hard link can be made (a data folder
// on another file system) the files are copied with their mtimes.
// Windows venvs (whose scripts are .exe launchers), venvs that see the
// system's site-packages (pip may find itself already installed there,
// as ensurepip does), a recipe that lists pip or setuptools, and a venv
// path too long for a plain #! line keep the per-venv install (seed.go).

// keptMarker is written last into a seed's staging folder, which is
// then renamed into place: a seed without it is rebuilt.
const keptMarker = "envup-seed"

// kept is a ready seed: the venv it lives in and its site-packages
// folder relative to that venv.
type kept struct {
	venv, site string
}

// keeps says whether a new venv can be planted from a kept seed (a pip
// pin of the recipe's the seed's wheel satisfies: seedFor took it so).
func (v *Venv) keeps(sd *seeded) bool {
	if sd == nil || v.j.windows || v.spec.SystemSitePackages || v.names("pip") || v.names("setuptools") {
		return false
	}
	return plainShebang(sd.python)
}

// plainShebang says whether pip writes `#!python` for the interpreter
// python (distlib's rule: no space and at most 127 bytes with the #! and
// the newline); otherwise it writes a /bin/sh exec header.
func plainShebang(python string) bool {
	return !strings.Contains(python, " ") && len(python)+3 <= 127
}

// keep makes the seed for base and sd once: `-m venv --without-pip` in a
// staging folder, pip installing pip (and setuptools) into it from the
// unpacked wheel, the marker, then the rename into place. It is nil
// when the seed cannot be had (a plan, which only records the commands).
func (v *Venv) keep(ctx context.Context, sys system.System, base *BaseInfo, sd *seeded) (*kept, error) {
	minor := minorOf(base.Version)
	dir := v.keptDir(base, sd.seed)
	seedMu.Lock()
	defer seedMu.Unlock()
	if k, ok := readKept(sys, v.j, dir); ok {
		return k, nil
	}
	stage := dir + ".new"
	for _, d := range []string{dir, stage} {
		if err := sys.RemoveAll(d); err != nil {
			return nil, fmt.Errorf("pip seed: %w", err)
		}
	}
	venv := v.j.join(stage, "venv")
	if _, err := sys.Run(ctx, system.Cmd{Argv: []string{base.Path, "-m", "venv", "--without-pip", venv}, Live: v.opts.Live}); err != nil {
		return nil, fmt.Errorf("pip seed: %w", err)
	}
	own := *sd
	own.python = v.j.join(venv, "bin", "python"+minor)
	argv := append(append(append(v.pipArgv(&own), "install", "--no-index"), v.seedLinks(sd, false)...), "pip=="+sd.version)
	if sd.setuptools != "" {
		argv = append(argv, "setuptools=="+sd.setuptools)
	}
	if _, err := sys.Run(ctx, system.Cmd{Argv: argv, Env: pipEnv, Live: v.opts.Live}); err != nil {
		return nil, fmt.Errorf("pip seed: %w", err)
	}
	site := ""
	for _, sp := range v.j.sitePackages(sys, venv, minor) {
		if _, err := sys.Stat(v.j.join(sp, "pip")); err == nil {
			site = strings.TrimPrefix(sp, venv+"/")
			break
		}
	}
	if site == "" {
		return nil, nil // a plan: pip ran only on paper
	}
	if err := sys.WriteFile(v.j.join(stage, keptMarker), []byte(site+"\n"), 0o644); err != nil {
		return nil, fmt.Errorf("pip seed: %w", err)
	}
	if err := sys.Rename(stage, dir); err != nil {
		return nil, fmt.Errorf("pip seed: %w", err)
	}
	return &kept{venv: v.j.join(dir, "venv"), site: site}, nil
}

// keptDir is the seed's folder for base and the wheel: DATA/pip/seed/
// X.Y-KEY, KEY a digest of the interpreter's path and version, the pip
// wheel's sha256 and the setuptools version.
func (v *Venv) keptDir(base *BaseInfo, s seed) string {
	key := sha256.Sum256([]byte(base.Path + "\x00" + base.Version + "\x00" + s.art.SHA256 + "\x00" + s.setuptools))
	return v.j.join(v.p.Dirs.Data, "pip", "seed", minorOf(base.Version)+"-"+hex.EncodeToString(key[:6]))
}

// readKept is the seed in dir when its marker is there.
func readKept(sys system.System, j joiner, dir string) (*kept, bool) {
	data, err := sys.ReadFile(j.join(dir, keptMarker))
	site := strings.TrimSpace(string(data))
	if err != nil || site == "" {
		return nil, false
	}
	return &kept{venv: j.join(dir, "venv"), site: site}, true
}

// plant puts the seed's files into the venv at v.path, made with
// --without-pip: its site-packages tree linked (system.LinkTree: hard
// links, or copies keeping the mtimes the .pyc record), then each
// dist-info's RECORD that lists files outside site-packages (the console
// scripts) written for this venv, with those files.
func (v *Venv) plant(sys system.System, k *kept, python string) error {
	from, to := v.j.join(k.venv, k.site), v.j.join(v.path, k.site)
	if err := sys.LinkTree(from, to); err != nil {
		return fmt.Errorf("pip seed: %w", err)
	}
	entries, err := sys.ReadDir(from)
	if err != nil {
		return fmt.Errorf("pip seed: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasSuffix(e.Name(), ".dist-info") {
			if err := v.plantRecord(sys, v.j.join(from, e.Name()), v.j.join(to, e.Name()), python); err != nil {
				return fmt.Errorf("pip seed: %w", err)
			}
		}
	}
	return nil
}

// plantRecord writes a dist-info's RECORD into the venv, and the files
// it lists outside site-packages (the console scripts, ../../../bin/pip)
// with the venv's python in their first line, their RECORD lines
// carrying their new digest and size, as pip writes them.
func (v *Venv) plantRecord(sys system.System, from, to, python string) error {
	data, err := sys.ReadFile(v.j.join(from, "RECORD"))
	if err != nil {
		return err
	}
	site := v.j.dir(from)
	dest := v.j.dir(to)
	lines := bytes.SplitAfter(data, []byte("\n"))
	scripts := false
	for i, line := range lines {
		path, rest, ok := strings.Cut(string(line), ",")
		if !ok || !strings.HasPrefix(path, "../") {
			continue
		}
		// POSIX paths: a Windows venv is never planted (keeps).
		src, dst := pathpkg.Clean(v.j.join(site, path)), pathpkg.Clean(v.j.join(dest, path))
		script, err := sys.ReadFile(src)
		if err != nil {
			return err
		}
		first, body, ok := bytes.Cut(script, []byte("\n"))
		if !ok || !bytes.HasPrefix(first, []byte("#!")) || bytes.HasPrefix(body, []byte("'''exec'")) {
			return fmt.Errorf("%s: not a script pip wrote with a plain #! line", src)
		}
		script = append([]byte("#!"+python+"\n"), body...)
		if err := sys.WriteFile(dst, script, 0o755); err != nil {
			return err
		}
		sum := sha256.Sum256(script)
		end := rest[strings.LastIndexByte(rest, ',')+1:]
		end = end[len(strings.TrimRight(end, "\r\n")):]
		scripts = true
		lines[i] = []byte(path + ",sha256=" + base64.RawURLEncoding.EncodeToString(sum[:]) + "," + strconv.Itoa(len(script)) + end)
	}
	if !scripts {
		return nil // the seed's, linked
	}
	// WriteFile puts a new file in the link's place: the seed's stays.
	return sys.WriteFile(v.j.join(to, "RECORD"), bytes.Join(lines, nil), 0o644)
}
