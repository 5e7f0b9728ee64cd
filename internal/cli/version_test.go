package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// readBuildInfo reads testdata/buildinfo/NAME: `go version -m -json` of a
// real envup binary (testdata/buildinfo/README.md says how each was built).
func readBuildInfo(t *testing.T, name string) *debug.BuildInfo {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "buildinfo", name))
	if err != nil {
		t.Fatal(err)
	}
	var info debug.BuildInfo
	if err := json.Unmarshal(data, &info); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &info
}

func TestVersionOf(t *testing.T) {
	t.Parallel()
	// Go leaves (devel) beside vcs.* when it cannot name the commit's
	// version (cmd/go's setBuildInfo, when the repository's Stat fails).
	devel := func(modified string) *debug.BuildInfo {
		info := *readBuildInfo(t, "checkout-dirty.json")
		info.Main.Version = "(devel)"
		info.Settings = append([]debug.BuildSetting(nil), info.Settings...)
		for i := range info.Settings {
			if info.Settings[i].Key == "vcs.modified" {
				info.Settings[i].Value = modified
			}
		}
		return &info
	}
	// envup linked into another program: its version is a dependency's.
	linkedIn := &debug.BuildInfo{
		Main: debug.Module{Path: "example.org/lab-tool", Version: "v0.3.0"},
		Deps: []*debug.Module{
			{Path: "github.com/spf13/cobra", Version: "v1.10.2"},
			{Path: modulePath, Version: "v1.4.0"},
		},
	}
	for _, tc := range []struct {
		name   string
		linked string
		info   *debug.BuildInfo
		want   string
	}{
		{"go install @v1.2.3", "", readBuildInfo(t, "goinstall-v1.2.3.json"), "1.2.3"},
		{"release: the linker's version wins", "1.3.0", readBuildInfo(t, "goinstall-v1.2.3.json"), "1.3.0"},
		{"release of a v tag", "v1.3.0", readBuildInfo(t, "buildvcs-false.json"), "1.3.0"},
		{"goreleaser snapshot", "0.0.0-SNAPSHOT-af81d57", readBuildInfo(t, "checkout-dirty.json"), "0.0.0-SNAPSHOT-af81d57"},
		{"checkout, the commit's version as Go names it", "", readBuildInfo(t, "checkout-dirty.json"), "0.0.0-20261207061835-62927a7ce7e9+dirty"},
		{"checkout with -buildvcs=false", "", readBuildInfo(t, "buildvcs-false.json"), "dev"},
		{"(devel) with a revision", "", devel("false"), "dev+62927a7ce7e9"},
		{"(devel) with a revision and changes", "", devel("true"), "dev+62927a7ce7e9.dirty"},
		{"(devel), changes, no revision", "", &debug.BuildInfo{
			Main:     debug.Module{Path: modulePath, Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.modified", Value: "true"}},
		}, "dev+dirty"},
		{"no build info", "", nil, "dev"},
		{"linked into another program", "", linkedIn, "1.4.0"},
		{"another program without envup", "", &debug.BuildInfo{Main: debug.Module{Path: "example.org/x", Version: "v9.0.0"}}, "dev"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := versionOf(tc.linked, tc.info); got != tc.want {
				t.Errorf("versionOf(%q, …) = %q, want %q", tc.linked, got, tc.want)
			}
		})
	}
}

// TestVersionFlag: --version prints what `envup version` prints, in text
// and JSON, and exits 0; `envup` alone still prints the help.
func TestVersionFlag(t *testing.T) {
	t.Parallel()
	run := func(args ...string) (string, int) {
		var out, errOut bytes.Buffer
		code := Main(args, strings.NewReader(""), &out, &errOut)
		return out.String() + errOut.String(), code
	}
	for _, args := range [][]string{{"--output", "json"}, nil} {
		cmdOut, cmdCode := run(append([]string{"version"}, args...)...)
		flagOut, flagCode := run(append([]string{"--version"}, args...)...)
		if cmdCode != 0 || flagCode != 0 {
			t.Fatalf("exit codes: version %d, --version %d\n%s\n%s", cmdCode, flagCode, cmdOut, flagOut)
		}
		if flagOut != cmdOut {
			t.Errorf("envup --version %v printed\n%s\nenvup version %v printed\n%s", args, flagOut, args, cmdOut)
		}
		if !strings.Contains(flagOut, runtime.Version()) || !strings.Contains(flagOut, Version()) {
			t.Errorf("envup --version %v: %q lacks %s or %s", args, flagOut, Version(), runtime.Version())
		}
	}
	if out, code := run(); code != 0 || !strings.Contains(out, "Available Commands:") {
		t.Errorf("envup alone: exit %d, want 0 and the help:\n%s", code, out)
	}
	if out, code := run("--version", "extra"); code != exitUsage || !strings.Contains(out, `unknown command "extra"`) {
		t.Errorf("envup --version extra: exit %d, want 64 and unknown command:\n%s", code, out)
	}
}
