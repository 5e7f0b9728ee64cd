package detect

import "testing"

func TestDirsFor(t *testing.T) {
	t.Parallel()
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
			want: Dirs{
				Data:   "/home/ann/.local/share/envup",
				Cache:  "/home/ann/.cache/envup",
				State:  "/home/ann/.local/state/envup",
				Bin:    "/home/ann/.local/bin",
				Config: "/home/ann/.config",
			},
		},
		{
			name: "linux XDG",
			os:   "linux", home: "/home/ann",
			env: map[string]string{
				"XDG_DATA_HOME":   "/data",
				"XDG_CACHE_HOME":  "/var/cache/ann/",
				"XDG_STATE_HOME":  "/state",
				"XDG_CONFIG_HOME": "/cfg",
			},
			want: Dirs{
				Data:   "/data/envup",
				Cache:  "/var/cache/ann/envup",
				State:  "/state/envup",
				Bin:    "/home/ann/.local/bin",
				Config: "/cfg",
			},
		},
		{
			name: "linux relative XDG ignored",
			os:   "linux", home: "/home/ann",
			env: map[string]string{"XDG_DATA_HOME": "data", "XDG_CONFIG_HOME": "~/.config2"},
			want: Dirs{
				Data:   "/home/ann/.local/share/envup",
				Cache:  "/home/ann/.cache/envup",
				State:  "/home/ann/.local/state/envup",
				Bin:    "/home/ann/.local/bin",
				Config: "/home/ann/.config",
			},
		},
		{
			name: "macos",
			os:   "macos", home: "/Users/ann",
			env: map[string]string{"XDG_DATA_HOME": "/data"}, // not used on macOS
			want: Dirs{
				Data:   "/Users/ann/Library/Application Support/envup",
				Cache:  "/Users/ann/Library/Caches/envup",
				State:  "/Users/ann/Library/Application Support/envup",
				Bin:    "/Users/ann/.local/bin",
				Config: "/Users/ann/Library/Application Support",
			},
		},
		{
			name: "windows",
			os:   "windows", home: `C:\Users\ann`,
			env: map[string]string{
				"LOCALAPPDATA": `C:\Users\ann\AppData\Local`,
				"APPDATA":      `C:\Users\ann\AppData\Roaming`,
			},
			want: Dirs{
				Data:   `C:\Users\ann\AppData\Local\envup`,
				Cache:  `C:\Users\ann\AppData\Local\envup\cache`,
				State:  `C:\Users\ann\AppData\Local\envup`,
				Bin:    `C:\Users\ann\AppData\Local\envup\bin`,
				Config: `C:\Users\ann\AppData\Roaming`,
			},
		},
		{
			name: "windows without the variables",
			os:   "windows", home: `C:\Users\ann`,
			want: Dirs{
				Data:   `C:\Users\ann\AppData\Local\envup`,
				Cache:  `C:\Users\ann\AppData\Local\envup\cache`,
				State:  `C:\Users\ann\AppData\Local\envup`,
				Bin:    `C:\Users\ann\AppData\Local\envup\bin`,
				Config: `C:\Users\ann\AppData\Roaming`,
			},
		},
		{
			// XP has no %LOCALAPPDATA% (PLATFORMS.md §1.4).
			name: "windows xp",
			os:   "windows", home: `C:\Documents and Settings\ann`,
			env: map[string]string{"APPDATA": `C:\Documents and Settings\ann\Application Data`},
			want: Dirs{
				Data:   `C:\Documents and Settings\ann\Local Settings\Application Data\envup`,
				Cache:  `C:\Documents and Settings\ann\Local Settings\Application Data\envup\cache`,
				State:  `C:\Documents and Settings\ann\Local Settings\Application Data\envup`,
				Bin:    `C:\Documents and Settings\ann\Local Settings\Application Data\envup\bin`,
				Config: `C:\Documents and Settings\ann\Application Data`,
			},
		},
		{
			name: "windows xp planned from elsewhere",
			os:   "windows", home: "~",
			env: map[string]string{"APPDATA": "~/Application Data"},
			want: Dirs{
				Data:   "~/Local Settings/Application Data/envup",
				Cache:  "~/Local Settings/Application Data/envup/cache",
				State:  "~/Local Settings/Application Data/envup",
				Bin:    "~/Local Settings/Application Data/envup/bin",
				Config: "~/Application Data",
			},
		},
		{
			name: "linux ENVUP_HOME",
			os:   "linux", home: "/home/ann",
			env: map[string]string{"ENVUP_HOME": "/tmp/eh", "XDG_DATA_HOME": "/data"},
			want: Dirs{
				Data:   "/tmp/eh/data",
				Cache:  "/tmp/eh/cache",
				State:  "/tmp/eh/state",
				Bin:    "/tmp/eh/bin",
				Config: "/home/ann/.config",
			},
		},
		{
			name: "macos ENVUP_HOME",
			os:   "macos", home: "/Users/ann",
			env: map[string]string{"ENVUP_HOME": "/tmp/eh/"},
			want: Dirs{
				Data:   "/tmp/eh/data",
				Cache:  "/tmp/eh/cache",
				State:  "/tmp/eh/state",
				Bin:    "/tmp/eh/bin",
				Config: "/Users/ann/Library/Application Support",
			},
		},
		{
			name: "windows ENVUP_HOME",
			os:   "windows", home: `C:\Users\ann`,
			env: map[string]string{"ENVUP_HOME": `D:\envup`, "APPDATA": `C:\Users\ann\AppData\Roaming`},
			want: Dirs{
				Data:   `D:\envup\data`,
				Cache:  `D:\envup\cache`,
				State:  `D:\envup\state`,
				Bin:    `D:\envup\bin`,
				Config: `C:\Users\ann\AppData\Roaming`,
			},
		},
		{
			name: "other unix is XDG",
			os:   "freebsd", home: "/home/ann",
			want: Dirs{
				Data:   "/home/ann/.local/share/envup",
				Cache:  "/home/ann/.cache/envup",
				State:  "/home/ann/.local/state/envup",
				Bin:    "/home/ann/.local/bin",
				Config: "/home/ann/.config",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := DirsFor(tt.os, tt.home, func(k string) string { return tt.env[k] })
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
