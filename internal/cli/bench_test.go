package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkDetect is `envup detect` in process.
func BenchmarkDetect(b *testing.B) {
	for b.Loop() {
		if code := Main([]string{"detect"}, nil, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkNoopApply is `envup apply` of a recipe of 20 files, one package
// group and 3 checks on a host that already matches it: the figure the
// backbone promises (≤ 15 ms).
func BenchmarkNoopApply(b *testing.B) {
	work := b.TempDir()
	root := filepath.Join(work, "root")
	if err := os.MkdirAll(filepath.Join(root, "var/lib/dpkg"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "var/lib/apt/lists"), 0o755); err != nil {
		b.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(root, "var/lib/apt/lists/x_Packages"), nil, 0o644)
	status := "Package: coreutils\nStatus: install ok installed\n\nPackage: bash\nStatus: install ok installed\n\n"
	if err := os.WriteFile(filepath.Join(root, "var/lib/dpkg/status"), []byte(status), 0o644); err != nil {
		b.Fatal(err)
	}
	b.Setenv("HOME", filepath.Join(work, "home"))
	b.Setenv("ENVUP_HOME", filepath.Join(work, "envup"))
	b.Setenv("ENVUP_ROOT", root)

	var r strings.Builder
	r.WriteString("envup: 1\npackages:\n  base:\n    apt: [coreutils, bash]\n    dnf: [coreutils, bash]\n    brew: [bash]\nfiles:\n")
	for i := range 20 {
		fmt.Fprintf(&r, "  ~/bench/file%02d.txt: {content: \"file %d\\n\", mode: \"0644\"}\n", i, i)
	}
	r.WriteString("checks:\n  - {name: t, run: [\"true\"]}\n  - {name: e, run: [echo, ok], expect: ok}\n  - {name: s, run: [sh, -c, 'exit 0']}\n")
	benchNoopApply(b, filepath.Join(work, "bench.yml"), r.String(), "Nothing to change")
}

// BenchmarkNoopApplyThreeInterpreters is `envup apply` of a recipe with
// three interpreters envup already installed (python 3.12, python 3.11,
// node 20): Observe reads one marker per version and the bin links, and
// runs no interpreter.
func BenchmarkNoopApplyThreeInterpreters(b *testing.B) {
	work := b.TempDir()
	envupHome := filepath.Join(work, "envup")
	b.Setenv("HOME", filepath.Join(work, "home"))
	b.Setenv("ENVUP_HOME", envupHome)
	installs := []struct{ tool, version, exe string }{
		{"python", "3.12.14", "bin/python3.12"},
		{"python", "3.11.2", "bin/python3.11"},
		{"node", "20.20.2", "bin/node"},
	}
	for _, in := range installs {
		prefix := filepath.Join(envupHome, "data", in.tool, in.version)
		if err := os.MkdirAll(filepath.Join(prefix, "bin"), 0o755); err != nil {
			b.Fatal(err)
		}
		for _, name := range []string{in.exe, "bin/npm", "bin/npx"} {
			if err := os.WriteFile(filepath.Join(prefix, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
				b.Fatal(err)
			}
		}
		marker := fmt.Sprintf(`{"tool": %q, "version": %q, "source": "archive"}`, in.tool, in.version)
		if err := os.WriteFile(filepath.Join(prefix, ".envup-install.json"), []byte(marker), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	r := "envup: 1\ninterpreters:\n  python:\n    version: \"3.12\"\n    default: true\n" +
		"  py311:\n    tool: python\n    version: \"3.11\"\n  node:\n    version: \"20\"\n    sources: [archive]\n"
	benchNoopApply(b, filepath.Join(work, "three.yml"), r, "Nothing to change: 3 resources")
}

// BenchmarkNoopApplyEditorsAndFont is `envup apply` of a recipe with two
// editors (VS Code, PyCharm) and one font already as it wants: it reads
// settings.json, editor-font.xml and hashes the font; it runs nothing.
func BenchmarkNoopApplyEditorsAndFont(b *testing.B) {
	work := b.TempDir()
	home := filepath.Join(work, "home")
	b.Setenv("HOME", home)
	b.Setenv("ENVUP_HOME", filepath.Join(work, "envup"))
	b.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	b.Setenv("XDG_DATA_HOME", filepath.Join(home, ".local", "share"))
	if err := os.MkdirAll(filepath.Join(home, ".config", "JetBrains", "PyCharm2024.3", "options"), 0o755); err != nil {
		b.Fatal(err)
	}
	font, err := filepath.Abs("../../recipes/fonts/DejaVuSansMono.ttf")
	if err != nil {
		b.Fatal(err)
	}
	r := "envup: 1\nfonts:\n  DejaVu Sans Mono: {path: " + font + "}\neditors:\n" +
		"  vscode:\n    settings: {\"editor.fontFamily\": \"DejaVu Sans Mono\", \"editor.fontSize\": 14}\n" +
		"  pycharm:\n    font: {family: DejaVu Sans Mono, size: 14}\n"
	benchNoopApply(b, filepath.Join(work, "editors.yml"), r, "Nothing to change: 3 resources")
}

// benchNoopApply writes recipe to path, applies it once to make the host
// match, checks that a second apply says want ("Nothing to change…"),
// then times further applies: the no-op path.
func benchNoopApply(b *testing.B, path, recipe, want string) {
	b.Helper()
	if err := os.WriteFile(path, []byte(recipe), 0o644); err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	if code := Main([]string{"apply", path}, nil, &out, &out); code != 0 {
		b.Fatalf("first apply: exit %d\n%s", code, out.String())
	}
	out.Reset()
	if code := Main([]string{"apply", path}, nil, &out, &out); code != 0 || !strings.Contains(out.String(), want) {
		b.Fatalf("second apply changed something: exit %d\n%s", code, out.String())
	}
	for b.Loop() {
		if code := Main([]string{"apply", path}, nil, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
