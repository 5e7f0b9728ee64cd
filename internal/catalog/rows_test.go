package catalog

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestRows checks what `envup catalog` lists: each release with the
// ways it installs on the platform, newest first, and the releases that
// do not install there only when all are asked for.
func TestRows(t *testing.T) {
	t.Parallel()
	sum := strings.Repeat("a", 64)
	win := func(kind Kind, name string, unverified bool) Artifact {
		return Artifact{Kind: kind, URL: "https://example.org/" + name, SHA256: sum, OS: "windows", Arch: "amd64", Unverified: unverified}
	}
	src := func(name string) Artifact {
		return Artifact{Kind: KindSource, URL: "https://example.org/" + name, SHA256: sum}
	}
	c, err := New(
		Release{Tool: "tool", Version: "1.0", Artifacts: []Artifact{win(KindInstaller, "t-1.0.exe", false), src("t-1.0.tar.gz")}},
		Release{Tool: "tool", Version: "2.0", Artifacts: []Artifact{
			win(KindArchive, "t-2.0.zip", false), win(KindArchive, "t-2.0-weak.zip", true), win(KindInstaller, "t-2.0.exe", false),
		}},
		Release{Tool: "other", Version: "3.0", Artifacts: []Artifact{src("o-3.0.tar.gz")}},
	)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		tools    []string
		platform string
		all      bool
		opts     []Option
		want     []Row
	}{
		{"windows", []string{"tool"}, win11, false, nil, []Row{
			{Tool: "tool", Version: "2.0", Ways: []string{"archive", "installer"}, Files: []string{"t-2.0.zip", "t-2.0.exe"}},
			{Tool: "tool", Version: "1.0", Ways: []string{"installer"}, Files: []string{"t-1.0.exe"}},
		}},
		{"unverified allowed", []string{"tool"}, win11, false, []Option{AllowUnverified(true)}, []Row{
			{Tool: "tool", Version: "2.0", Ways: []string{"archive", "installer"}, Files: []string{"t-2.0.zip", "t-2.0-weak.zip", "t-2.0.exe"}},
			{Tool: "tool", Version: "1.0", Ways: []string{"installer"}, Files: []string{"t-1.0.exe"}},
		}},
		{"source on linux", nil, debian12, false, nil, []Row{
			{Tool: "other", Version: "3.0", Ways: []string{"source"}, Files: []string{"o-3.0.tar.gz"}},
			{Tool: "tool", Version: "1.0", Ways: []string{"source"}, Files: []string{"t-1.0.tar.gz"}},
		}},
		{"all", []string{"tool"}, debian12, true, nil, []Row{
			{Tool: "tool", Version: "2.0"},
			{Tool: "tool", Version: "1.0", Ways: []string{"source"}, Files: []string{"t-1.0.tar.gz"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := c.Rows(tt.tools, platform(t, tt.platform, ""), tt.all, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Rows() = %+v\nwant %+v", got, tt.want)
			}
		})
	}
	var unknown *UnknownToolError
	if _, err := c.Rows([]string{"ruby"}, platform(t, debian12, ""), false); !errors.As(err, &unknown) {
		t.Errorf("Rows(ruby) error = %v, want an UnknownToolError", err)
	}
}
