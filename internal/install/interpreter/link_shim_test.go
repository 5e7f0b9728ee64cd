package interpreter

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install/bindir"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// nodeLinks are the bin entries an envup node install at prefix gets on p.
func nodeLinks(t *testing.T, p detect.Platform, prefix, exe string) []bindir.Link {
	t.Helper()
	r, err := New("node", &recipe.Interpreter{Version: "22"}, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r.src.Links(&Found{Path: exe, Version: "22.1.0", Origin: "envup", Prefix: prefix})
}

// On Windows npm and npx get entries too, and neither goes through the
// zip's npm.cmd: each is node.exe running npm's own script.
func TestNodeOnWindowsLinksNpmAndNpxThroughNode(t *testing.T) {
	t.Parallel()
	p := detect.Platform{OS: "windows", Version: "10.0.19045", Dirs: detect.Dirs{
		Data: `C:\Users\Zoë Ådams\AppData\Local\envup`, Bin: `C:\Users\Zoë Ådams\AppData\Local\envup\bin`,
	}}
	prefix := `C:\Users\Zoë Ådams\AppData\Local\envup\node\22.1.0`
	exe := prefix + `\node.exe`
	got := nodeLinks(t, p, prefix, exe)
	want := []bindir.Link{
		{Name: p.Dirs.Bin + `\node.exe`, Target: exe},
		{Name: p.Dirs.Bin + `\npm.exe`, Target: exe, Args: []string{prefix + `\node_modules\npm\bin\npm-cli.js`}},
		{Name: p.Dirs.Bin + `\npx.exe`, Target: exe, Args: []string{prefix + `\node_modules\npm\bin\npx-cli.js`}},
	}
	if !slices.EqualFunc(got, want, func(a, b bindir.Link) bool {
		return a.Name == b.Name && a.Target == b.Target && slices.Equal(a.Args, b.Args)
	}) {
		t.Errorf("links =\n%+v\nwant\n%+v", got, want)
	}
}

// Made for real (on a temp dir), npm's .shim names node.exe and the
// script, so the launcher starts `"node.exe" "…\npm-cli.js" ARGS`.
func TestNodeOnWindowsNpmShimFile(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	data := filepath.Join(root, "Zoë", "envup")
	p := detect.Platform{OS: "windows", Version: "10.0.22631", Dirs: detect.Dirs{Data: data, Bin: filepath.Join(data, "bin")}}
	prefix := filepath.Join(data, "node", "22.1.0")
	self := filepath.Join(root, "envup.exe")
	if err := os.WriteFile(self, []byte("MZ"), 0o755); err != nil {
		t.Fatal(err)
	}
	r, err := New("node", &recipe.Interpreter{Version: "22"}, p, Options{Launcher: self})
	if err != nil {
		t.Fatal(err)
	}
	f := &Found{Path: filepath.Join(prefix, "node.exe"), Version: "22.1.0", Origin: "envup", Prefix: prefix}
	if err := r.src.Link(system.NewReal(), f); err != nil {
		t.Fatal(err)
	}
	shimText, err := os.ReadFile(filepath.Join(p.Dirs.Bin, "npm.shim"))
	if err != nil {
		t.Fatal(err)
	}
	want := "path = \"" + f.Path + "\"\r\nargs = " + filepath.Join(prefix, "node_modules", "npm", "bin", "npm-cli.js") + "\r\n"
	if string(shimText) != want {
		t.Errorf("npm.shim = %q, want %q", shimText, want)
	}
	for _, name := range []string{"node.exe", "npm.exe", "npx.exe", "npx.shim"} {
		if _, err := os.Stat(filepath.Join(p.Dirs.Bin, name)); err != nil {
			t.Error(err)
		}
	}
	if m := r.src.MissingLinks(system.NewReal(), f); len(m) != 0 {
		t.Errorf("still missing %v", m)
	}
}

// Linux keeps its symlinks: node, and npm and npx to the tarball's own.
func TestNodeOnLinuxLinksTheTarballsPrograms(t *testing.T) {
	t.Parallel()
	p := detect.Platform{OS: "linux", Dirs: detect.Dirs{Data: "/home/u/.local/share/envup", Bin: "/home/u/.local/bin"}}
	prefix := "/home/u/.local/share/envup/node/22.1.0"
	got := nodeLinks(t, p, prefix, prefix+"/bin/node")
	var lines []string
	for _, l := range got {
		lines = append(lines, l.Name+" → "+l.Target+strings.Join(l.Args, " "))
	}
	want := []string{
		"/home/u/.local/bin/node → " + prefix + "/bin/node",
		"/home/u/.local/bin/npm → " + prefix + "/bin/npm",
		"/home/u/.local/bin/npx → " + prefix + "/bin/npx",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("links = %q, want %q", lines, want)
	}
}
