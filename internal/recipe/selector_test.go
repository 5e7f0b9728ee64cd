package recipe

import (
	"sort"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
)

func TestParseSelector(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Selector // Text and Pos are not compared
		err  string
	}{
		{in: "windows", want: Selector{OS: "windows"}},
		{in: "Windows", want: Selector{OS: "windows"}},
		{in: "windows < 6.1", want: Selector{OS: "windows", Version: "< 6.1"}},
		{in: "windows xp", want: Selector{OS: "windows", Name: "xp"}},
		{in: "windows 7", want: Selector{OS: "windows", Name: "7"}},
		{in: "windows 8.1", want: Selector{OS: "windows", Name: "8.1"}},
		{in: "windows 6.1", want: Selector{OS: "windows", Version: "6.1"}},
		{in: "windows server 2022", want: Selector{OS: "windows", Name: "server 2022"}},
		{in: "windows 2008 R2", want: Selector{OS: "windows", Name: "2008 r2"}},
		{in: "windows xp x64", want: Selector{OS: "windows", Name: "xp x64"}},
		{in: "macos >= 10.7", want: Selector{OS: "macos", Version: ">= 10.7"}},
		{in: "macos lion", want: Selector{OS: "macos", Name: "lion"}},
		{in: "macos mountain lion", want: Selector{OS: "macos", Name: "mountain lion"}},
		{in: "darwin 10.7", want: Selector{OS: "macos", Version: "10.7"}},
		{in: "osx  Big Sur", want: Selector{OS: "macos", Name: "big sur"}},
		{in: "linux", want: Selector{OS: "linux"}},
		{in: "linux debian", want: Selector{OS: "linux", Distro: "debian"}},
		{in: "linux ubuntu >= 22.04", want: Selector{OS: "linux", Distro: "ubuntu", Version: ">= 22.04"}},
		{in: "linux debian bookworm", want: Selector{OS: "linux", Distro: "debian", Name: "bookworm"}},
		{in: "linux >= 5", want: Selector{OS: "linux", Version: ">= 5"}},
		{in: "", err: "empty selector"},
		{in: "  ", err: "empty selector"},
		{in: "win", err: `unknown os "win" (one of linux, macos, windows)`},
		{in: "windws xp", err: `unknown os "windws" (did you mean windows?)`},
		{in: "windows << 6.1", err: `bad version constraint "<< 6.1"`},
		{in: "windows vistaa", err: `unknown windows name "vistaa" (did you mean vista?)`},
		{in: "macos lino", err: `unknown macos name "lino" (did you mean lion?)`},
		{in: "macos 10.7 lion", err: `bad version constraint "10.7 lion"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseSelector(tt.in)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("ParseSelector(%q) error = %v, want %q", tt.in, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseSelector(%q): %v", tt.in, err)
			}
			got.Text, got.Pos = "", Pos{}
			if *got != tt.want {
				t.Errorf("ParseSelector(%q) = %+v, want %+v", tt.in, *got, tt.want)
			}
			again, err := ParseSelector(got.String())
			if err != nil {
				t.Fatalf("String() = %q does not parse: %v", got.String(), err)
			}
			again.Text = ""
			if *again != *got {
				t.Errorf("String() = %q parses to %+v, want %+v", got.String(), *again, *got)
			}
		})
	}
}

func TestSelectorString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sel  Selector
		want string
	}{
		{Selector{OS: "windows", Version: "< 6.1"}, "windows < 6.1"},
		{Selector{OS: "linux", Distro: "ubuntu", Version: ">= 22.04"}, "linux ubuntu >= 22.04"},
		{Selector{OS: "linux", Arch: "arm64"}, "{os: linux, arch: arm64}"},
		{Selector{Libc: "musl"}, "{libc: musl}"},
		{Selector{OS: "linux", Name: "jammy"}, "{os: linux, name: jammy}"},
		{Selector{OS: "windows", Version: "10"}, "{os: windows, version: 10}"},
		{Selector{OS: "windows", Name: "xp", Version: "5.1"}, "{os: windows, name: xp, version: 5.1}"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			if got := tt.sel.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSelectorMatches runs each selector against every test host; want
// lists the hosts it matches.
func TestSelectorMatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sel  string    // string form, or "" to use obj
		obj  *Selector // object form
		want string    // matching hosts, sorted, space-separated
	}{
		{sel: "windows", want: "win11 win7 xp"},
		{sel: "windows < 6.1", want: "xp"},
		{sel: "windows < 10", want: "win7 xp"},
		{sel: "windows >= 10", want: "win11"},
		{sel: "windows xp", want: "xp"},
		{sel: "windows XP", want: "xp"},
		{sel: "windows 7", want: "win7"},
		{sel: "windows 11", want: "win11"},
		{sel: "windows 10", want: ""},
		{sel: "windows 5.1", want: "xp"},
		{sel: "macos", want: "lion sonoma"},
		{sel: "macos >= 10.7", want: "lion sonoma"},
		{sel: "macos < 10.9", want: "lion"},
		{sel: "macos lion", want: "lion"},
		{sel: "macos mountain lion", want: ""},
		{sel: "macos sonoma", want: "sonoma"},
		{sel: "macos 10.7", want: "lion"},
		{sel: "macos 14", want: "sonoma"},
		{sel: "macos 10", want: "lion"},
		{sel: "linux", want: "alpine debian12 ubuntu-arm64"},
		{sel: "linux debian", want: "debian12 ubuntu-arm64"},
		{sel: "linux debian >= 11", want: "debian12"},
		{sel: "linux ubuntu", want: "ubuntu-arm64"},
		{sel: "linux ubuntu >= 22.04", want: "ubuntu-arm64"},
		{sel: "linux ubuntu < 22.04", want: ""},
		{sel: "linux ubuntu 22.04", want: "ubuntu-arm64"},
		{sel: "linux ubuntu 22.4", want: "ubuntu-arm64"},
		{sel: "linux alpine >= 3.20", want: "alpine"},
		{sel: "linux debian bookworm", want: "debian12"},
		{sel: "linux ubuntu jammy", want: "ubuntu-arm64"},
		{obj: &Selector{Arch: "arm64"}, want: "sonoma ubuntu-arm64"},
		{obj: &Selector{Arch: "aarch64"}, want: "sonoma ubuntu-arm64"},
		{obj: &Selector{Arch: "x86"}, want: "xp"},
		{obj: &Selector{OS: "linux", Arch: "x86_64"}, want: "alpine debian12"},
		{obj: &Selector{Libc: "musl"}, want: "alpine"},
		{obj: &Selector{Libc: "glibc"}, want: "debian12 ubuntu-arm64"},
		{obj: &Selector{OS: "darwin", Arch: "amd64"}, want: "lion"},
		{obj: &Selector{OS: "windows", Name: "7", Arch: "amd64"}, want: "win7"},
		{obj: &Selector{OS: "windows", Version: ">= 6.1", Arch: "amd64"}, want: "win11 win7"},
		{obj: nil, want: "alpine debian12 lion sonoma ubuntu-arm64 win11 win7 xp"},
	}
	for _, tt := range tests {
		name := tt.sel
		if tt.obj != nil {
			name = tt.obj.String()
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sel := tt.obj
			if tt.sel != "" {
				var err error
				if sel, err = ParseSelector(tt.sel); err != nil {
					t.Fatal(err)
				}
			}
			var got []string
			for h, p := range hosts {
				if sel.Matches(p) {
					got = append(got, h)
				}
			}
			sort.Strings(got)
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("matches %q, want %q", g, tt.want)
			}
		})
	}
}

// TestSelectorNameFromVersion checks hosts whose Platform has no Name.
func TestSelectorNameFromVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sel  string
		p    detect.Platform
		want bool
	}{
		{"windows xp", detect.Platform{OS: "windows", Version: "5.1.2600"}, true},
		{"windows 7", detect.Platform{OS: "windows", Version: "6.1.7601"}, true},
		{"windows 10", detect.Platform{OS: "windows", Version: "10.0.19045"}, true},
		{"windows 11", detect.Platform{OS: "windows", Version: "10.0.19045"}, false},
		{"windows 11", detect.Platform{OS: "windows", Version: "10.0.22631"}, true},
		{"windows server 2022", detect.Platform{OS: "windows", Version: "10.0.20348", Server: true}, true},
		{"windows server 2008 r2", detect.Platform{OS: "windows", Version: "6.1.7601", Server: true}, true},
		{"macos lion", detect.Platform{OS: "macos", Version: "10.7.5"}, true},
		{"macos mountain lion", detect.Platform{OS: "macos", Version: "10.8"}, true},
		{"macos big sur", detect.Platform{OS: "macos", Version: "10.16"}, true},
		{"macos sierra", detect.Platform{OS: "macos", Version: "10.12.6"}, true},
		{"macos high sierra", detect.Platform{OS: "macos", Version: "10.12.6"}, false},
		{"macos mountain lion", detect.Platform{OS: "macos", Version: "10.8.5", Name: "Mountain Lion"}, true},
		{"macos >= 10.7", detect.Platform{OS: "macos"}, false},
		{"windows xp", detect.Platform{OS: "windows", Version: "5.2.3790", Name: "xp x64"}, true},
		{"windows 2022", detect.Platform{OS: "windows", Version: "10.0.20348", Name: "server 2022", Server: true}, true},
		{"windows server 2003", detect.Platform{OS: "windows", Version: "5.2.3790", Server: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.sel+" "+tt.p.Version, func(t *testing.T) {
			t.Parallel()
			sel, err := ParseSelector(tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			if got := sel.Matches(tt.p); got != tt.want {
				t.Errorf("Matches = %v, want %v", got, tt.want)
			}
		})
	}
}
