package detect

import (
	"bytes"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// envBlock is one environment of testdata/dirs-env.yml: what a real
// dotfiles repo, installer or doc sets.
type envBlock struct {
	Name, Source, OS, Home string
	Env                    map[string]string
}

func readEnvBlocks(t testing.TB) []envBlock {
	t.Helper()
	data, err := os.ReadFile("testdata/dirs-env.yml")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []envBlock
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&blocks); err != nil {
		t.Fatalf("dirs-env.yml: %v", err)
	}
	for _, b := range blocks {
		if b.Name == "" || b.Source == "" || b.OS == "" || b.Home == "" || len(b.Env) == 0 {
			t.Fatalf("dirs-env.yml: %+v lacks its name, source, os, home or env", b)
		}
	}
	return blocks
}

// TestDirsForRealEnvironments: where envup's folders go for the
// environments people really set (testdata/dirs-env.yml names each one's
// source).
func TestDirsForRealEnvironments(t *testing.T) {
	t.Parallel()
	mac := func(data, cache, state, bin string, from DirsFrom) Dirs {
		return Dirs{Data: data, Cache: cache, State: state, Bin: bin, Config: "/Users/ann/Library/Application Support", From: from}
	}
	linux := func(from DirsFrom) Dirs {
		return Dirs{
			Data: "/home/ann/.local/share/envup", Cache: "/home/ann/.cache/envup", State: "/home/ann/.local/state/envup",
			Bin: "/home/ann/.local/bin", Config: "/home/ann/.config", From: from,
		}
	}
	windows := Dirs{
		Data: `C:\Users\ann\AppData\Local\envup`, Cache: `C:\Users\ann\AppData\Local\envup\cache`, State: `C:\Users\ann\AppData\Local\envup`,
		Bin: `C:\Users\ann\AppData\Local\envup\bin`, Config: `C:\Users\ann\AppData\Roaming`, From: all("LOCALAPPDATA", "APPDATA"),
	}
	support := "/Users/ann/Library/Application Support"
	want := map[string]Dirs{
		// On macOS a dotfiles repo's XDG variables move envup's data,
		// cache and state as they move mise's and uv's; config stays
		// where VS Code reads its settings.
		"veselyn-macos": mac("/Users/ann/.local/share/envup", "/Users/ann/.cache/envup", "/Users/ann/.local/state/envup", "/Users/ann/.local/bin",
			DirsFrom{Data: "XDG_DATA_HOME", Cache: "XDG_CACHE_HOME", State: "XDG_STATE_HOME", Bin: FromDefault, Config: FromDefault}),
		"aluxian-macos": mac("/Users/ann/.local/share/envup", "/Users/ann/.cache/envup", support+"/envup", "/Users/ann/.local/bin",
			DirsFrom{Data: "XDG_DATA_HOME", Cache: "XDG_CACHE_HOME", State: FromDefault, Bin: FromDefault, Config: FromDefault}),
		// Pointed into ~/Library, they give the macOS defaults back.
		"garthk-macos-library": mac(support+"/envup", "/Users/ann/Library/Caches/envup", support+"/envup", "/Users/ann/.local/bin",
			DirsFrom{Data: "XDG_DATA_HOME", Cache: "XDG_CACHE_HOME", State: "XDG_STATE_HOME", Bin: FromDefault, Config: FromDefault}),
		"ysegorov-linux":     linux(DirsFrom{Data: "XDG_DATA_HOME", Cache: "XDG_CACHE_HOME", State: FromDefault, Bin: FromDefault, Config: "XDG_CONFIG_HOME"}),
		"tallrainfall-linux": linux(DirsFrom{Data: "XDG_DATA_HOME", Cache: "XDG_CACHE_HOME", State: "XDG_STATE_HOME", Bin: FromDefault, Config: "XDG_CONFIG_HOME"}),
		"ctfoutu-bin-linux":  linux(DirsFrom{Data: FromDefault, Cache: FromDefault, State: FromDefault, Bin: "XDG_BIN_HOME", Config: FromDefault}),
		// Windows reads no XDG variable, relative or not.
		"z-kk-windows":               windows,
		"mono-cyte-windows-relative": windows,
		// A "~" no shell expanded is not a path: envup says so and
		// keeps its defaults.
		"mise-tip-literal-tilde": func() Dirs {
			d := linux(all(FromDefault))
			d.Ignored = []string{"ENVUP_CACHE_DIR", "ENVUP_DATA_DIR", "ENVUP_STATE_DIR"}
			return d
		}(),
		"uv-cache-dir-example": mac(support+"/envup", "/tmp/envup-cache", support+"/envup", "/Users/ann/.local/bin",
			DirsFrom{Data: FromDefault, Cache: "ENVUP_CACHE_DIR", State: FromDefault, Bin: FromDefault, Config: FromDefault}),
	}
	blocks := readEnvBlocks(t)
	if len(blocks) != len(want) {
		t.Errorf("%d blocks in dirs-env.yml, %d expected here", len(blocks), len(want))
	}
	for _, b := range blocks {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			w, ok := want[b.Name]
			if !ok {
				t.Fatalf("no expectation for %s", b.Name)
			}
			got := DirsFor(b.OS, b.Home, func(k string) string { return b.Env[k] })
			if !reflect.DeepEqual(got, w) {
				t.Errorf("%s (%s):\ngot  %+v\nwant %+v", b.Name, b.Source, got, w)
			}
		})
	}
}

type dirsFuzzHost struct {
	os   string
	read []string
}

// dirsFuzzOS are the OSes FuzzDirsFor picks from, and the variables
// each reads of those the fuzzer sets.
var dirsFuzzOS = []dirsFuzzHost{
	{"linux", []string{
		"ENVUP_DATA_DIR", "ENVUP_CACHE_DIR", "ENVUP_STATE_DIR", "ENVUP_BIN_DIR", "ENVUP_HOME",
		"XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_BIN_HOME", "XDG_CONFIG_HOME",
	}},
	{"macos", []string{
		"ENVUP_DATA_DIR", "ENVUP_CACHE_DIR", "ENVUP_STATE_DIR", "ENVUP_BIN_DIR", "ENVUP_HOME",
		"XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_BIN_HOME",
	}},
	{"windows", []string{"ENVUP_DATA_DIR", "ENVUP_CACHE_DIR", "ENVUP_STATE_DIR", "ENVUP_BIN_DIR", "ENVUP_HOME"}},
}

// FuzzDirsFor gives DirsFor any environment (NAME=value lines) and home
// on Linux, macOS and Windows, seeded with the real environments of
// testdata/dirs-env.yml. Whatever it is given: every folder is named,
// with what decided it; a folder a variable decided is that variable's
// value (ENVUP_*_DIR), or under it; a folder is absolute when home and
// what decided it are; no folder ends in a separator but a root; and
// Ignored names exactly the variables the OS reads that are set to
// something not absolute.
func FuzzDirsFor(f *testing.F) {
	for _, b := range readEnvBlocks(f) {
		var lines []string
		for _, k := range slices.Sorted(maps.Keys(b.Env)) {
			lines = append(lines, k+"="+b.Env[k])
		}
		i := slices.IndexFunc(dirsFuzzOS, func(o dirsFuzzHost) bool { return o.os == b.OS })
		f.Add(uint8(i), b.Home, strings.Join(lines, "\n"))
	}
	f.Fuzz(func(t *testing.T, which uint8, home, text string) {
		host := dirsFuzzOS[int(which)%len(dirsFuzzOS)]
		if home == "" {
			return // Detect fails without a home; DirsFor is never given none
		}
		env := map[string]string{}
		for line := range strings.SplitSeq(text, "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				env[k] = v
			}
		}
		d := DirsFor(host.os, home, func(k string) string { return env[k] })

		win := host.os == "windows"
		var ignored []string
		for _, k := range host.read {
			if v := env[k]; v != "" && !newPath(v, win).isAbs() {
				ignored = append(ignored, k)
			}
		}
		slices.Sort(ignored)
		if !slices.Equal(d.Ignored, ignored) {
			t.Errorf("Ignored = %q, want %q", d.Ignored, ignored)
		}
		homeAbs := newPath(home, win).isAbs()
		for _, f := range []struct{ name, dir, from string }{
			{"data", d.Data, d.From.Data},
			{"cache", d.Cache, d.From.Cache},
			{"state", d.State, d.From.State},
			{"bin", d.Bin, d.From.Bin},
			{"config", d.Config, d.From.Config},
		} {
			if f.dir == "" || f.from == "" {
				t.Fatalf("%s = %q from %q: want both", f.name, f.dir, f.from)
			}
			p := newPath(f.dir, win)
			if p.trimmed().String() != f.dir {
				t.Errorf("%s = %q ends in a separator", f.name, f.dir)
			}
			switch f.from {
			case FromDefault:
				if homeAbs && !p.isAbs() {
					t.Errorf("%s = %q from home %q: not absolute", f.name, f.dir, home)
				}
			case "LOCALAPPDATA", "APPDATA":
				if !win {
					t.Errorf("%s from %s on %s", f.name, f.from, host.os)
				}
			default:
				if !slices.Contains(host.read, f.from) {
					t.Fatalf("%s from %s, which %s does not read", f.name, f.from, host.os)
				}
				v := newPath(env[f.from], win).trimmed()
				if !v.isAbs() || !p.isAbs() {
					t.Errorf("%s = %q from %s=%q: both should be absolute", f.name, f.dir, f.from, env[f.from])
				}
				if _, under := p.Rel(v); !under {
					t.Errorf("%s = %q is not under %s=%q", f.name, f.dir, f.from, env[f.from])
				}
				if strings.HasSuffix(f.from, "_DIR") && f.dir != v.String() {
					t.Errorf("%s = %q, want %s's value %q", f.name, f.dir, f.from, v)
				}
			}
		}
	})
}
