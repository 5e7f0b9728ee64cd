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
	recipePath := filepath.Join(work, "bench.yml")
	if err := os.WriteFile(recipePath, []byte(r.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	if code := Main([]string{"apply", recipePath}, nil, &out, &out); code != 0 {
		b.Fatalf("first apply: exit %d\n%s", code, out.String())
	}
	out.Reset()
	if code := Main([]string{"apply", recipePath}, nil, &out, &out); code != 0 || !strings.Contains(out.String(), "Nothing to change") {
		b.Fatalf("second apply changed something: exit %d\n%s", code, out.String())
	}
	for b.Loop() {
		if code := Main([]string{"apply", recipePath}, nil, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
