package export

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
)

func TestWriteProbeGolden(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"cmd", "ps1", "sh"} {
		var b bytes.Buffer
		if err := WriteProbe(&b, format); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, "probe."+format, b.Bytes())
		if format == "sh" {
			shellcheck(t, b.Bytes())
		} else if strings.Count(b.String(), "\n") != strings.Count(b.String(), "\r\n") {
			t.Errorf("probe.%s: a line ends without CR", format)
		}
	}
	if err := WriteProbe(&bytes.Buffer{}, "bat"); err == nil {
		t.Error(`WriteProbe("bat"): no error`)
	}
}

// The sh probe run here prints JSON that reads into detect.Platform as
// this machine.
func TestProbeShRuns(t *testing.T) {
	t.Parallel()
	target := hostTarget(t)
	var b bytes.Buffer
	if err := WriteProbe(&b, "sh"); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), "/bin/sh", "-s")
	cmd.Stdin = &b
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var p detect.Platform
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if p.OS != "linux" || p.Arch != target.Arch || p.Distro.ID != target.Distro || p.Version != target.Version ||
		p.Name != target.Distro+" "+target.Version || p.Libc.Name != "glibc" || p.Libc.Version == "" || p.Edition == "" {
		t.Errorf("the probe says %+v\n%s", p, out)
	}
}

// The sh probe's JSON strings hold quotes, backslashes and control
// characters safely.
func TestProbeShEscapes(t *testing.T) {
	t.Parallel()
	sh := lookPath(t, "sh")
	def := regexp.MustCompile(`(?s)\nj\(\) \{.*?\n\}\n`).FindString(probeSh)
	if def == "" {
		t.Fatal("no j function in probe.sh")
	}
	for _, s := range []string{`plain`, `a "quoted" word`, `back\slash\`, "tab\there", `\"`, "", "caf\u00e9", `%s %d`} {
		out, err := exec.CommandContext(t.Context(), sh, "-c", def+`j "$1"`, "sh", s).Output()
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if err := json.Unmarshal(out, &got); err != nil {
			t.Errorf("j %q printed %s: %v", s, out, err)
			continue
		}
		if want := strings.ReplaceAll(s, "\t", ""); got != want {
			t.Errorf("j %q reads back as %q", s, got)
		}
	}
}
