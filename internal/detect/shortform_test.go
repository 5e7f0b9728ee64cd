package detect

import (
	"reflect"
	"strings"
	"testing"
)

func TestParsePlatform(t *testing.T) {
	t.Parallel()
	vistaDirs := Dirs{
		Data:   "~/AppData/Local/envup",
		Cache:  "~/AppData/Local/envup/cache",
		State:  "~/AppData/Local/envup",
		Bin:    "~/AppData/Local/envup/bin",
		Config: "~/AppData/Roaming",
		From:   all("LOCALAPPDATA", "APPDATA"),
	}
	xpDirs := Dirs{
		Data:   "~/Local Settings/Application Data/envup",
		Cache:  "~/Local Settings/Application Data/envup/cache",
		State:  "~/Local Settings/Application Data/envup",
		Bin:    "~/Local Settings/Application Data/envup/bin",
		Config: "~/Application Data",
		From:   all(FromDefault, "APPDATA"),
	}
	macDirs := Dirs{
		Data:   "~/Library/Application Support/envup",
		Cache:  "~/Library/Caches/envup",
		State:  "~/Library/Application Support/envup",
		Bin:    "~/.local/bin",
		Config: "~/Library/Application Support",
		From:   all(FromDefault),
	}
	linuxDirs := Dirs{
		Data:   "~/.local/share/envup",
		Cache:  "~/.cache/envup",
		State:  "~/.local/state/envup",
		Bin:    "~/.local/bin",
		Config: "~/.config",
		From:   all(FromDefault),
	}
	foreign := func(p Platform) Platform {
		p.Foreign, p.Home = true, "~"
		return p
	}
	tests := []struct {
		in   string
		want Platform
		str  string // String(), when not in
	}{
		{"windows/5.1/386", foreign(Platform{OS: "windows", Version: "5.1", Name: "xp", Arch: "386", Managers: []string{"choco"}, Dirs: xpDirs}), ""},
		{"windows/5.2/amd64", foreign(Platform{OS: "windows", Version: "5.2", Name: "xp x64", Arch: "amd64", Managers: []string{"choco"}, Dirs: xpDirs}), ""},
		{"windows/5.2/x86", foreign(Platform{OS: "windows", Version: "5.2", Name: "server 2003", Arch: "386", Server: true, Managers: []string{"choco"}, Dirs: xpDirs}), "windows-server/5.2/386"},
		{"windows/6.1.7601/amd64", foreign(Platform{OS: "windows", Version: "6.1.7601", Name: "7", Arch: "amd64", Managers: []string{"choco"}, Dirs: vistaDirs}), ""},
		{"windows/10.0.17134/amd64", foreign(Platform{OS: "windows", Version: "10.0.17134", Name: "10", Arch: "amd64", Managers: []string{"choco"}, Dirs: vistaDirs}), ""},
		{"windows/10.0.19045/amd64", foreign(Platform{OS: "windows", Version: "10.0.19045", Name: "10", Arch: "amd64", Managers: []string{"winget"}, Dirs: vistaDirs}), ""},
		{"windows/10.0.22631/amd64", foreign(Platform{OS: "windows", Version: "10.0.22631", Name: "11", Arch: "amd64", Managers: []string{"winget"}, Dirs: vistaDirs}), ""},
		{"Windows/10.0.26100/ARM64", foreign(Platform{OS: "windows", Version: "10.0.26100", Name: "11", Arch: "arm64", Managers: []string{"winget"}, Dirs: vistaDirs}), "windows/10.0.26100/arm64"},
		{"windows-server/10.0.17763/amd64", foreign(Platform{OS: "windows", Version: "10.0.17763", Name: "server 2019", Arch: "amd64", Server: true, Managers: []string{"winget"}, Dirs: vistaDirs}), ""},
		{"windows/10.0.20348/x64", foreign(Platform{OS: "windows", Version: "10.0.20348", Name: "server 2022", Arch: "amd64", Server: true, Managers: []string{"winget"}, Dirs: vistaDirs}), "windows-server/10.0.20348/amd64"},
		{"macos/10.7/amd64", foreign(Platform{OS: "macos", Version: "10.7", Name: "lion", Arch: "amd64", Managers: []string{"port"}, Dirs: macDirs}), ""},
		{"osx/10.8.5/x86_64", foreign(Platform{OS: "macos", Version: "10.8.5", Name: "mountain lion", Arch: "amd64", Managers: []string{"port"}, Dirs: macDirs}), "macos/10.8.5/amd64"},
		{"darwin/10.15/amd64", foreign(Platform{OS: "macos", Version: "10.15", Name: "catalina", Arch: "amd64", Managers: []string{"brew"}, Dirs: macDirs}), "macos/10.15/amd64"},
		{"macos/10.16/amd64", foreign(Platform{OS: "macos", Version: "11.0", Name: "big sur", Arch: "amd64", Managers: []string{"brew"}, Dirs: macDirs}), "macos/11.0/amd64"},
		{"macos/14/arm64", foreign(Platform{OS: "macos", Version: "14", Name: "sonoma", Arch: "arm64", Managers: []string{"brew"}, Dirs: macDirs}), ""},
		{"macos/26.0/aarch64", foreign(Platform{OS: "macos", Version: "26.0", Name: "tahoe", Arch: "arm64", Managers: []string{"brew"}, Dirs: macDirs}), "macos/26.0/arm64"},
		{"linux/ubuntu/22.04/arm64", foreign(Platform{
			OS: "linux", Version: "22.04", Name: "ubuntu 22.04", Arch: "arm64",
			Libc:     Libc{Name: "glibc"},
			Distro:   Distro{ID: "ubuntu", IDLike: []string{"debian"}, Version: "22.04"},
			Managers: []string{"apt"}, Dirs: linuxDirs,
		}), ""},
		{"linux/alpine/3.19/amd64", foreign(Platform{
			OS: "linux", Version: "3.19", Name: "alpine 3.19", Arch: "amd64",
			Libc:     Libc{Name: "musl"},
			Distro:   Distro{ID: "alpine", Version: "3.19"},
			Managers: []string{"apk"}, Dirs: linuxDirs,
		}), ""},
		{"linux/debian/12/amd64", foreign(Platform{
			OS: "linux", Version: "12", Name: "debian 12", Arch: "amd64",
			Libc:     Libc{Name: "glibc"},
			Distro:   Distro{ID: "debian", Version: "12"},
			Managers: []string{"apt"}, Dirs: linuxDirs,
		}), ""},
		{"linux/centos/7/x86_64", foreign(Platform{
			OS: "linux", Version: "7", Name: "centos 7", Arch: "amd64",
			Libc:     Libc{Name: "glibc"},
			Distro:   Distro{ID: "centos", IDLike: []string{"rhel", "fedora"}, Version: "7"},
			Managers: []string{"yum"}, Dirs: linuxDirs,
		}), "linux/centos/7/amd64"},
		{"linux/rocky/9.3/amd64", foreign(Platform{
			OS: "linux", Version: "9.3", Name: "rocky 9.3", Arch: "amd64",
			Libc:     Libc{Name: "glibc"},
			Distro:   Distro{ID: "rocky", IDLike: []string{"rhel", "centos", "fedora"}, Version: "9.3"},
			Managers: []string{"dnf", "yum"}, Dirs: linuxDirs,
		}), ""},
		{"linux/opensuse-leap/15.5/amd64", foreign(Platform{
			OS: "linux", Version: "15.5", Name: "opensuse-leap 15.5", Arch: "amd64",
			Libc:     Libc{Name: "glibc"},
			Distro:   Distro{ID: "opensuse-leap", IDLike: []string{"suse", "opensuse"}, Version: "15.5"},
			Managers: []string{"zypper"}, Dirs: linuxDirs,
		}), ""},
		{"linux/arch/amd64", foreign(Platform{
			OS: "linux", Name: "arch", Arch: "amd64",
			Libc:     Libc{Name: "glibc"},
			Distro:   Distro{ID: "arch"},
			Managers: []string{"pacman"}, Dirs: linuxDirs,
		}), ""},
		{"linux/amzn/2/i686", foreign(Platform{
			OS: "linux", Version: "2", Name: "amzn 2", Arch: "386",
			Libc:     Libc{Name: "glibc"},
			Distro:   Distro{ID: "amzn", IDLike: []string{"centos", "rhel", "fedora"}, Version: "2"},
			Managers: []string{"yum"}, Dirs: linuxDirs,
		}), "linux/amzn/2/386"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParsePlatform(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			str := tt.str
			if str == "" {
				str = tt.in
			}
			if got.String() != str {
				t.Errorf("String() = %q, want %q", got.String(), str)
			}
			// The short form reads back as the same platform.
			again, err := ParsePlatform(got.String())
			if err != nil {
				t.Fatalf("ParsePlatform(%q): %v", got.String(), err)
			}
			if !reflect.DeepEqual(again, got) {
				t.Errorf("%q reads back as %+v", got.String(), again)
			}
		})
	}
}

func TestParsePlatformErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"", "want os/version/arch"},
		{"windows", "want windows/<major>.<minor>[.<build>]/<arch>"},
		{"windows/xp/386", `windows version "xp": want <major>.<minor>[.<build>]`},
		{"windows/5/386", `windows version "5": want <major>.<minor>[.<build>]`},
		{"windows/5.1.2600.1/386", `windows version "5.1.2600.1"`},
		{"windows/10.0/amd64", `windows version "10.0": 10.0 needs its build`},
		{"windows/5.1/sparc", `unknown arch "sparc": want amd64 (x86_64)`},
		{"windows/5.1/386/extra", "want windows/<major>.<minor>[.<build>]/<arch>"},
		{"solaris/11/amd64", `unknown os "solaris": want windows, windows-server, macos or linux`},
		{"macos/lion/amd64", `macos version "lion": want a number such as 10.7 or 14.5`},
		{"macos/10/amd64", `macos version "10": 10 needs its minor version`},
		{"macos/10.17/amd64", `macos version "10.17": no such release`},
		{"macos/17/arm64", `macos version "17": no such release`},
		{"macos/9.2/ppc", `unknown arch "ppc"`},
		{"macos/14", "want macos/<version>/<arch>"},
		{"linux/ubuntu/22.04", `unknown arch "22.04"`},
		{"linux/ubuntu", "want linux/<id>/<version>/<arch>"},
		{"linux/Ubuntu Linux/22.04/amd64", `distro id "ubuntu linux": want an os-release ID`},
		{"linux/ubuntu/22 04/amd64", `distro version "22 04": want an os-release VERSION_ID`},
		{"linux/ubuntu//amd64", `distro version "": want an os-release VERSION_ID`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParsePlatform(tt.in)
			if err == nil {
				t.Fatalf("no error, got %+v", got)
			}
			prefix := `detect: platform "` + tt.in + `": `
			if !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want %q then %q", err, prefix, tt.want)
			}
		})
	}
}

// TestStringDetected writes detected platforms, which carry more than the
// short form, in the short form.
func TestStringDetected(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    Platform
		want string
	}{
		{Platform{OS: "linux", Version: "12", Arch: "amd64", Distro: Distro{ID: "debian", Version: "12", Codename: "bookworm"}}, "linux/debian/12/amd64"},
		{Platform{OS: "linux", Arch: "amd64", Distro: Distro{ID: "debian", Codename: "trixie"}}, "linux/debian/amd64"},
		{Platform{OS: "linux", Arch: "arm64"}, "linux/linux/arm64"},
		{Platform{OS: "windows", Version: "10.0.22631", Arch: "amd64", Build: "23H2"}, "windows/10.0.22631/amd64"},
		{Platform{OS: "macos", Version: "14.5", Arch: "arm64", Build: "23F79"}, "macos/14.5/arm64"},
		{Platform{OS: "freebsd", Version: "14.1", Arch: "amd64"}, "freebsd/14.1/amd64"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}
