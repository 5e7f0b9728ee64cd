package snapshot

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/venv"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// bigMachine writes a home with 10 pythons under pyenv (stand-in
// scripts) and 20 venvs of 100 packages each, and returns the platform
// and the venvs by name.
func bigMachine(b *testing.B) (detect.Platform, []KnownVenv) {
	b.Helper()
	if runtime.GOOS == "windows" {
		b.Skip("the stand-in pythons are shell scripts")
	}
	home := b.TempDir()
	b.Setenv("HOME", home)
	b.Setenv("PATH", "/nonexistent")
	b.Setenv("PYENV_ROOT", filepath.Join(home, ".pyenv"))
	for i := range 10 {
		v := fmt.Sprintf("3.%d.%d", 4+i, i)
		bin := filepath.Join(home, ".pyenv", "versions", v, "bin")
		write(b, filepath.Join(bin, "python"+install.Minor(v)), "#!/bin/sh\necho "+v+"\n", 0o755)
	}
	var venvs []KnownVenv
	for i := range 20 {
		dir := filepath.Join(home, "envs", fmt.Sprintf("env%02d", i))
		write(b, filepath.Join(dir, "pyvenv.cfg"), "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n", 0o644)
		site := filepath.Join(dir, "lib", "python3.11", "site-packages")
		for j := range 100 {
			name := fmt.Sprintf("pkg%03d", j)
			write(b, filepath.Join(site, name+"-1.0.dist-info", "METADATA"),
				fmt.Sprintf("Metadata-Version: 2.1\nName: %s\nVersion: 1.%d\nRequires-Dist: pkg000\n", name, i), 0o644)
		}
		venvs = append(venvs, KnownVenv{Name: filepath.Base(dir), Path: dir, FoundBy: "state"})
	}
	p := detect.Platform{OS: "linux", Arch: "amd64", Home: home, Managers: []string{"apt"}}
	p.Dirs = detect.DirsFor("linux", home, os.Getenv)
	return p, venvs
}

func write(b *testing.B, name, content string, mode os.FileMode) {
	b.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), mode); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkTake: a snapshot of a machine with 10 interpreters and 20
// venvs × 100 packages, with the versions remembered from an earlier
// run (as envup keeps them in its state). Target: ≤ 100 ms.
func BenchmarkTake(b *testing.B) {
	p, known := bigMachine(b)
	ctx := context.Background()
	sys := system.NewReal()
	memo := state.NewMemo(nil)
	opts := Options{Memo: memo, Venvs: known, Root: b.TempDir()}
	first, err := Take(ctx, sys, p, opts) // learns the versions
	if err != nil {
		b.Fatal(err)
	}
	pyenv := 0
	for _, in := range interpreters(first) {
		if in.Origin == "pyenv" {
			pyenv++
		}
	}
	if pyenv != 10 || len(venvs(first)) != 20 || len(venvs(first)[0].Packages) != 100 {
		b.Fatalf("took %d pyenv interpreters, %d venvs", pyenv, len(venvs(first)))
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Take(ctx, sys, p, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDiff compares two such snapshots that differ in every venv.
func BenchmarkDiff(b *testing.B) {
	p, known := bigMachine(b)
	opts := Options{Memo: state.NewMemo(nil), Venvs: known, Root: b.TempDir()}
	a, err := Take(context.Background(), system.NewReal(), p, opts)
	if err != nil {
		b.Fatal(err)
	}
	other, err := Take(context.Background(), system.NewReal(), p, opts)
	if err != nil {
		b.Fatal(err)
	}
	for i := range venvs(other) {
		venvs(other)[i].Packages["pkg050"] = "9.9"
	}
	b.ResetTimer()
	for b.Loop() {
		res, err := Diff(SnapshotSide("a", "snapshot", a), SnapshotSide("b", "snapshot", other), nil)
		if err != nil || len(res.Differences) != 20 {
			b.Fatalf("%v, %d differences", err, len(res.Differences))
		}
	}
}

// BenchmarkDiffOneSided compares a machine of 1000 venvs × 100 packages
// with an empty one: each venv is one difference, and the 100,000
// packages under them are passed over (they once were checked against
// every venv reported before them).
func BenchmarkDiffOneSided(b *testing.B) {
	a := base()
	var many []venv.Seen
	for i := range 1000 {
		pkgs := make(map[string]string, 100)
		for j := range 100 {
			pkgs[fmt.Sprintf("pkg%03d", j)] = "1.0"
		}
		many = append(many, venv.Seen{Name: fmt.Sprintf("env%04d", i), Path: fmt.Sprintf("~/envs/env%04d", i), Python: "3.11.2", Packages: pkgs})
	}
	a.Parts["virtualenvs"] = many
	empty := &Snapshot{Schema: Schema, Platform: a.Platform, Parts: map[string]any{}}
	sa, sb := SnapshotSide("a", "snapshot", a), SnapshotSide("b", "snapshot", empty)
	b.ResetTimer()
	for b.Loop() {
		res, err := Diff(sa, sb, nil)
		if err != nil || len(res.Differences) < 1000 {
			b.Fatalf("%v, %d differences", err, len(res.Differences))
		}
	}
}
