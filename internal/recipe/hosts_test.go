package recipe

import "github.com/envup/envup/internal/detect"

// hosts are the platforms the tests load recipes for, built by hand.
var hosts = map[string]detect.Platform{
	"debian12": {
		OS: "linux", Version: "12", Name: "debian 12", Arch: "amd64",
		Libc:   detect.Libc{Name: "glibc", Version: "2.36"},
		Distro: detect.Distro{ID: "debian", Version: "12", Codename: "bookworm"},
		Home:   "/home/kirby",
	},
	"ubuntu-arm64": {
		OS: "linux", Version: "22.04", Name: "ubuntu 22.04", Arch: "arm64",
		Libc:   detect.Libc{Name: "glibc", Version: "2.35"},
		Distro: detect.Distro{ID: "ubuntu", IDLike: []string{"debian"}, Version: "22.04", Codename: "jammy"},
		Home:   "/home/kirby",
	},
	"alpine": {
		OS: "linux", Version: "3.20.3", Name: "alpine 3.20.3", Arch: "amd64",
		Libc:   detect.Libc{Name: "musl", Version: "1.2.5"},
		Distro: detect.Distro{ID: "alpine", Version: "3.20.3"},
		Home:   "/home/kirby",
	},
	"xp": {
		OS: "windows", Version: "5.1.2600", Name: "xp", Arch: "386",
		Home: `C:\Documents and Settings\kirby`,
	},
	"win7": {
		OS: "windows", Version: "6.1.7601", Name: "7", Arch: "amd64",
		Home: `C:\Users\kirby`,
	},
	"win11": {
		OS: "windows", Version: "10.0.22631", Name: "11", Arch: "amd64",
		Home: `C:\Users\kirby`,
	},
	"lion": {
		OS: "macos", Version: "10.7.5", Name: "lion", Arch: "amd64",
		Home: "/Users/kirby",
	},
	"sonoma": {
		OS: "macos", Version: "14.5", Name: "sonoma", Arch: "arm64",
		Home: "/Users/kirby",
	},
}
