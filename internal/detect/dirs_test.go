package detect

import (
	"reflect"
	"strings"
	"testing"
)

// all is a DirsFrom with every folder from one source, config from
// another when given.
func all(from string, config ...string) DirsFrom {
	f := DirsFrom{Data: from, Cache: from, State: from, Bin: from, Config: from}
	if len(config) > 0 {
		f.Config = config[0]
	}
	return f
}

// dirs is a Dirs from its folders in order (data, cache, state, bin,
// config), what decided each, and the variables ignored.
func dirs(data, cache, state, bin, config string, from DirsFrom, ignored ...string) Dirs {
	d := Dirs{Data: data, Cache: cache, State: state, Bin: bin, Config: config, From: from}
	if len(ignored) > 0 {
		d.Ignored = ignored
	}
	return d
}

func TestDirsFor(t *testing.T) {
	t.Parallel()
	envupHome := DirsFrom{Data: "ENVUP_HOME", Cache: "ENVUP_HOME", State: "ENVUP_HOME", Bin: "ENVUP_HOME", Config: FromDefault}
	tests := []struct {
		name string
		os   string
		home string
		env  map[string]string
		want Dirs
	}{
		{
			name: "linux defaults",
			os:   "linux", home: "/home/ann",
			want: dirs("/home/ann/.local/share/envup", "/home/ann/.cache/envup", "/home/ann/.local/state/envup", "/home/ann/.local/bin", "/home/ann/.config",
				all(FromDefault)),
		},
		{
			name: "linux XDG",
			os:   "linux", home: "/home/ann",
			env: map[string]string{
				"XDG_DATA_HOME":   "/data",
				"XDG_CACHE_HOME":  "/var/cache/ann/",
				"XDG_STATE_HOME":  "/state",
				"XDG_BIN_HOME":    "/home/ann/bin/",
				"XDG_CONFIG_HOME": "/cfg",
			},
			want: dirs("/data/envup", "/var/cache/ann/envup", "/state/envup", "/home/ann/bin", "/cfg",
				DirsFrom{Data: "XDG_DATA_HOME", Cache: "XDG_CACHE_HOME", State: "XDG_STATE_HOME", Bin: "XDG_BIN_HOME", Config: "XDG_CONFIG_HOME"}),
		},
		{
			name: "linux XDG at the root",
			os:   "linux", home: "/home/ann",
			env: map[string]string{"XDG_DATA_HOME": "/", "XDG_BIN_HOME": "/", "XDG_CONFIG_HOME": "//"},
			want: dirs("/envup", "/home/ann/.cache/envup", "/home/ann/.local/state/envup", "/", "/",
				DirsFrom{Data: "XDG_DATA_HOME", Cache: FromDefault, State: FromDefault, Bin: "XDG_BIN_HOME", Config: "XDG_CONFIG_HOME"}),
		},
		{
			name: "linux relative XDG ignored",
			os:   "linux", home: "/home/ann",
			env: map[string]string{"XDG_DATA_HOME": "data", "XDG_CONFIG_HOME": "~/.config2", "XDG_BIN_HOME": "./bin"},
			want: dirs("/home/ann/.local/share/envup", "/home/ann/.cache/envup", "/home/ann/.local/state/envup", "/home/ann/.local/bin", "/home/ann/.config",
				all(FromDefault), "XDG_BIN_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"),
		},
		{
			name: "macos defaults",
			os:   "macos", home: "/Users/ann",
			want: dirs("/Users/ann/Library/Application Support/envup", "/Users/ann/Library/Caches/envup", "/Users/ann/Library/Application Support/envup", "/Users/ann/.local/bin", "/Users/ann/Library/Application Support",
				all(FromDefault)),
		},
		{
			// mise, uv and chezmoi honour these on macOS; config stays
			// where VS Code and JetBrains look.
			name: "macos XDG",
			os:   "macos", home: "/Users/ann",
			env: map[string]string{
				"XDG_DATA_HOME":   "/Users/ann/.local/share",
				"XDG_CACHE_HOME":  "/Users/ann/.cache",
				"XDG_STATE_HOME":  "/Users/ann/.local/state",
				"XDG_BIN_HOME":    "/Users/ann/bin",
				"XDG_CONFIG_HOME": "/Users/ann/.config",
			},
			want: dirs("/Users/ann/.local/share/envup", "/Users/ann/.cache/envup", "/Users/ann/.local/state/envup", "/Users/ann/bin", "/Users/ann/Library/Application Support",
				DirsFrom{Data: "XDG_DATA_HOME", Cache: "XDG_CACHE_HOME", State: "XDG_STATE_HOME", Bin: "XDG_BIN_HOME", Config: FromDefault}),
		},
		{
			// Only the cache set: the rest keep ~/Library (mise's way),
			// not ~/.local/share (uv's and chezmoi's).
			name: "macos XDG_CACHE_HOME alone",
			os:   "macos", home: "/Users/ann",
			env: map[string]string{"XDG_CACHE_HOME": "/Volumes/scratch/cache"},
			want: dirs("/Users/ann/Library/Application Support/envup", "/Volumes/scratch/cache/envup", "/Users/ann/Library/Application Support/envup", "/Users/ann/.local/bin", "/Users/ann/Library/Application Support",
				DirsFrom{Data: FromDefault, Cache: "XDG_CACHE_HOME", State: FromDefault, Bin: FromDefault, Config: FromDefault}),
		},
		{
			name: "macos relative XDG ignored, XDG_CONFIG_HOME not read",
			os:   "macos", home: "/Users/ann",
			env: map[string]string{"XDG_STATE_HOME": "state", "XDG_CONFIG_HOME": "cfg"},
			want: dirs("/Users/ann/Library/Application Support/envup", "/Users/ann/Library/Caches/envup", "/Users/ann/Library/Application Support/envup", "/Users/ann/.local/bin", "/Users/ann/Library/Application Support",
				all(FromDefault), "XDG_STATE_HOME"),
		},
		{
			name: "windows",
			os:   "windows", home: `C:\Users\ann`,
			env: map[string]string{
				"LOCALAPPDATA": `C:\Users\ann\AppData\Local`,
				"APPDATA":      `C:\Users\ann\AppData\Roaming`,
			},
			want: dirs(`C:\Users\ann\AppData\Local\envup`, `C:\Users\ann\AppData\Local\envup\cache`, `C:\Users\ann\AppData\Local\envup`, `C:\Users\ann\AppData\Local\envup\bin`, `C:\Users\ann\AppData\Roaming`,
				all("LOCALAPPDATA", "APPDATA")),
		},
		{
			name: "windows without the variables",
			os:   "windows", home: `C:\Users\ann`,
			want: dirs(`C:\Users\ann\AppData\Local\envup`, `C:\Users\ann\AppData\Local\envup\cache`, `C:\Users\ann\AppData\Local\envup`, `C:\Users\ann\AppData\Local\envup\bin`, `C:\Users\ann\AppData\Roaming`,
				all(FromDefault)),
		},
		{
			// XP has no %LOCALAPPDATA% (PLATFORMS.md §1.4).
			name: "windows xp",
			os:   "windows", home: `C:\Documents and Settings\ann`,
			env: map[string]string{"APPDATA": `C:\Documents and Settings\ann\Application Data`},
			want: dirs(`C:\Documents and Settings\ann\Local Settings\Application Data\envup`, `C:\Documents and Settings\ann\Local Settings\Application Data\envup\cache`, `C:\Documents and Settings\ann\Local Settings\Application Data\envup`, `C:\Documents and Settings\ann\Local Settings\Application Data\envup\bin`, `C:\Documents and Settings\ann\Application Data`,
				all(FromDefault, "APPDATA")),
		},
		{
			name: "windows xp planned from elsewhere",
			os:   "windows", home: "~",
			env: map[string]string{"APPDATA": "~/Application Data"},
			want: dirs("~/Local Settings/Application Data/envup", "~/Local Settings/Application Data/envup/cache", "~/Local Settings/Application Data/envup", "~/Local Settings/Application Data/envup/bin", "~/Application Data",
				all(FromDefault, "APPDATA")),
		},
		{
			// XDG variables mean nothing to Windows programs; a relative
			// one is not even noted.
			name: "windows XDG not read",
			os:   "windows", home: `C:\Users\ann`,
			env: map[string]string{"XDG_DATA_HOME": `D:\data`, "XDG_BIN_HOME": `D:\bin`, "XDG_CACHE_HOME": "cache", "XDG_CONFIG_HOME": `D:\cfg`},
			want: dirs(`C:\Users\ann\AppData\Local\envup`, `C:\Users\ann\AppData\Local\envup\cache`, `C:\Users\ann\AppData\Local\envup`, `C:\Users\ann\AppData\Local\envup\bin`, `C:\Users\ann\AppData\Roaming`,
				all(FromDefault)),
		},
		{
			name: "linux ENVUP_HOME",
			os:   "linux", home: "/home/ann",
			env: map[string]string{"ENVUP_HOME": "/tmp/eh", "XDG_DATA_HOME": "/data", "XDG_BIN_HOME": "/xbin"},
			want: dirs("/tmp/eh/data", "/tmp/eh/cache", "/tmp/eh/state", "/tmp/eh/bin", "/home/ann/.config",
				envupHome),
		},
		{
			name: "macos ENVUP_HOME",
			os:   "macos", home: "/Users/ann",
			env: map[string]string{"ENVUP_HOME": "/tmp/eh/", "XDG_CACHE_HOME": "/Users/ann/.cache"},
			want: dirs("/tmp/eh/data", "/tmp/eh/cache", "/tmp/eh/state", "/tmp/eh/bin", "/Users/ann/Library/Application Support",
				envupHome),
		},
		{
			name: "windows ENVUP_HOME",
			os:   "windows", home: `C:\Users\ann`,
			env: map[string]string{"ENVUP_HOME": `D:\envup`, "APPDATA": `C:\Users\ann\AppData\Roaming`},
			want: dirs(`D:\envup\data`, `D:\envup\cache`, `D:\envup\state`, `D:\envup\bin`, `C:\Users\ann\AppData\Roaming`,
				DirsFrom{Data: "ENVUP_HOME", Cache: "ENVUP_HOME", State: "ENVUP_HOME", Bin: "ENVUP_HOME", Config: "APPDATA"}),
		},
		{
			// Written with /, joined with /, whatever home is written with.
			name: "windows ENVUP_HOME with slashes",
			os:   "windows", home: `C:\Users\ann`,
			env: map[string]string{"ENVUP_HOME": `D:/envup/`},
			want: dirs(`D:/envup/data`, `D:/envup/cache`, `D:/envup/state`, `D:/envup/bin`, `C:\Users\ann\AppData\Roaming`,
				envupHome),
		},
		{
			name: "windows ENVUP_HOME on a share",
			os:   "windows", home: `C:\Users\ann`,
			env: map[string]string{"ENVUP_HOME": `\\lab\envup\ann`, "LOCALAPPDATA": `C:\Users\ann\AppData\Local`},
			want: dirs(`\\lab\envup\ann\data`, `\\lab\envup\ann\cache`, `\\lab\envup\ann\state`, `\\lab\envup\ann\bin`, `C:\Users\ann\AppData\Roaming`,
				envupHome),
		},
		{
			// Each ENVUP_*_DIR beats ENVUP_HOME and XDG for its own folder.
			name: "linux every variable at once",
			os:   "linux", home: "/home/ann",
			env: map[string]string{
				"ENVUP_DATA_DIR":  "/srv/envup/data/",
				"ENVUP_CACHE_DIR": "/var/cache/envup",
				"ENVUP_STATE_DIR": "/var/lib/envup",
				"ENVUP_BIN_DIR":   "/opt/bin",
				"ENVUP_HOME":      "/tmp/eh",
				"XDG_DATA_HOME":   "/data", "XDG_CACHE_HOME": "/cache", "XDG_STATE_HOME": "/state",
				"XDG_BIN_HOME": "/xbin", "XDG_CONFIG_HOME": "/cfg",
			},
			want: dirs("/srv/envup/data", "/var/cache/envup", "/var/lib/envup", "/opt/bin", "/cfg",
				DirsFrom{Data: "ENVUP_DATA_DIR", Cache: "ENVUP_CACHE_DIR", State: "ENVUP_STATE_DIR", Bin: "ENVUP_BIN_DIR", Config: "XDG_CONFIG_HOME"}),
		},
		{
			// ENVUP_CACHE_DIR moves the cache only; ENVUP_HOME the rest,
			// XDG nothing.
			name: "macos ENVUP_CACHE_DIR over ENVUP_HOME",
			os:   "macos", home: "/Users/ann",
			env: map[string]string{"ENVUP_CACHE_DIR": "/Volumes/USB/envup-cache", "ENVUP_HOME": "/Users/ann/.envup", "XDG_CACHE_HOME": "/Users/ann/.cache"},
			want: dirs("/Users/ann/.envup/data", "/Volumes/USB/envup-cache", "/Users/ann/.envup/state", "/Users/ann/.envup/bin", "/Users/ann/Library/Application Support",
				DirsFrom{Data: "ENVUP_HOME", Cache: "ENVUP_CACHE_DIR", State: "ENVUP_HOME", Bin: "ENVUP_HOME", Config: FromDefault}),
		},
		{
			// A relative value of envup's own is ignored, so the next in
			// line decides, and noted.
			name: "linux relative ENVUP variables ignored",
			os:   "linux", home: "/home/ann",
			env: map[string]string{"ENVUP_HOME": ".envup", "ENVUP_DATA_DIR": "data", "ENVUP_BIN_DIR": "~/bin", "XDG_DATA_HOME": "/data"},
			want: dirs("/data/envup", "/home/ann/.cache/envup", "/home/ann/.local/state/envup", "/home/ann/.local/bin", "/home/ann/.config",
				DirsFrom{Data: "XDG_DATA_HOME", Cache: FromDefault, State: FromDefault, Bin: FromDefault, Config: FromDefault}, "ENVUP_BIN_DIR", "ENVUP_DATA_DIR", "ENVUP_HOME"),
		},
		{
			// \envup is the root of whichever drive is current: not absolute.
			name: "windows ENVUP_STATE_DIR rooted without a drive",
			os:   "windows", home: `C:\Users\ann`,
			env: map[string]string{"ENVUP_STATE_DIR": `\envup\state`, "ENVUP_CACHE_DIR": `E:\`},
			want: dirs(`C:\Users\ann\AppData\Local\envup`, `E:\`, `C:\Users\ann\AppData\Local\envup`, `C:\Users\ann\AppData\Local\envup\bin`, `C:\Users\ann\AppData\Roaming`,
				DirsFrom{Data: FromDefault, Cache: "ENVUP_CACHE_DIR", State: FromDefault, Bin: FromDefault, Config: FromDefault}, "ENVUP_STATE_DIR"),
		},
		{
			name: "other unix is XDG",
			os:   "freebsd", home: "/home/ann",
			env: map[string]string{"XDG_CONFIG_HOME": "/cfg"},
			want: dirs("/home/ann/.local/share/envup", "/home/ann/.cache/envup", "/home/ann/.local/state/envup", "/home/ann/.local/bin", "/cfg",
				all(FromDefault, "XDG_CONFIG_HOME")),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := DirsFor(tt.os, tt.home, func(k string) string { return tt.env[k] })
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestDirsForEachVariable sets each variable alone, on each OS, to an
// absolute path, to a relative one and to nothing: it moves exactly the
// folders it names on the OSes that read it, and nothing else.
func TestDirsForEachVariable(t *testing.T) {
	t.Parallel()
	type moves map[string]string // folder: envup's subfolder of the value ("" for the value itself)
	vars := []struct {
		name  string
		moves moves
		read  string // the OSes that read it
	}{
		{"ENVUP_DATA_DIR", moves{"data": ""}, "linux macos windows"},
		{"ENVUP_CACHE_DIR", moves{"cache": ""}, "linux macos windows"},
		{"ENVUP_STATE_DIR", moves{"state": ""}, "linux macos windows"},
		{"ENVUP_BIN_DIR", moves{"bin": ""}, "linux macos windows"},
		{"ENVUP_HOME", moves{"data": "data", "cache": "cache", "state": "state", "bin": "bin"}, "linux macos windows"},
		{"XDG_DATA_HOME", moves{"data": "envup"}, "linux macos"},
		{"XDG_CACHE_HOME", moves{"cache": "envup"}, "linux macos"},
		{"XDG_STATE_HOME", moves{"state": "envup"}, "linux macos"},
		{"XDG_BIN_HOME", moves{"bin": ""}, "linux macos"},
		{"XDG_CONFIG_HOME", moves{"config": ""}, "linux"},
		{"ENVUP_CONFIG_DIR", nil, ""}, // no such variable: config is the user's
	}
	hosts := []struct{ os, home, abs, rel, sep string }{
		{"linux", "/home/ann", "/srv/x", "x/y", "/"},
		{"macos", "/Users/ann", "/Volumes/x", "Library/x", "/"},
		{"windows", `C:\Users\ann`, `D:\x`, `x\y`, `\`},
	}
	field := func(d *Dirs, name string) (dir, from *string) {
		switch name {
		case "data":
			return &d.Data, &d.From.Data
		case "cache":
			return &d.Cache, &d.From.Cache
		case "state":
			return &d.State, &d.From.State
		case "bin":
			return &d.Bin, &d.From.Bin
		case "config":
			return &d.Config, &d.From.Config
		}
		t.Fatalf("no folder %q", name)
		return nil, nil
	}
	for _, h := range hosts {
		base := DirsFor(h.os, h.home, func(string) string { return "" })
		for _, v := range vars {
			read := strings.Contains(" "+v.read+" ", " "+h.os+" ")
			for _, value := range []string{h.abs, h.rel, ""} {
				t.Run(h.os+"/"+v.name+"="+value, func(t *testing.T) {
					t.Parallel()
					want := base
					switch {
					case !read || value == "":
					case value == h.rel:
						want.Ignored = []string{v.name}
					default:
						for name, sub := range v.moves {
							dir, from := field(&want, name)
							*dir, *from = value, v.name
							if sub != "" {
								*dir += h.sep + sub
							}
						}
					}
					got := DirsFor(h.os, h.home, func(k string) string {
						if k == v.name {
							return value
						}
						return ""
					})
					if !reflect.DeepEqual(got, want) {
						t.Errorf("got  %+v\nwant %+v", got, want)
					}
				})
			}
		}
	}
}

func TestPathIsAbs(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		os, s   string
		abs     bool
		trimmed string
	}{
		{"linux", "/", true, "/"},
		{"linux", "//", true, "/"},
		{"linux", "/home/ann/", true, "/home/ann"},
		{"linux", "~/x", false, ""},
		{"linux", "x", false, ""},
		{"linux", `C:\x`, false, ""},
		{"linux", "", false, ""},
		{"macos", "/Users/ann/Library/Caches/", true, "/Users/ann/Library/Caches"},
		{"windows", `C:\`, true, `C:\`},
		{"windows", `c:/`, true, `c:/`},
		{"windows", `C:\\`, true, `C:\`},
		{"windows", `C:\x\`, true, `C:\x`},
		{"windows", `C:/x/`, true, `C:/x`},
		{"windows", `\\server\share\`, true, `\\server\share`},
		{"windows", `//server/share`, true, `//server/share`},
		{"windows", `\\`, false, ""},
		{"windows", `\x`, false, ""},
		{"windows", `/x`, false, ""},
		{"windows", `C:x`, false, ""},
		{"windows", `C:`, false, "C:"},
		{"windows", `0:`, false, "0:"},
		{"windows", `1:\x`, false, ""},
		{"windows", "~", false, ""},
		{"windows", "", false, ""},
	} {
		p := PathOn(tt.os, tt.s)
		if got := p.isAbs(); got != tt.abs {
			t.Errorf("%s: isAbs(%q) = %v, want %v", tt.os, tt.s, got, tt.abs)
		}
		if tt.trimmed != "" {
			if got := p.trimmed().String(); got != tt.trimmed {
				t.Errorf("%s: trimmed(%q) = %q, want %q", tt.os, tt.s, got, tt.trimmed)
			}
		}
	}
}
