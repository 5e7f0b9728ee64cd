package recipe

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envup/envup/internal/detect"
)

func TestDisjoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{"windows", "linux", true},
		{"windows < 6.1", "windows >= 6.1", true},
		{"windows < 10", "windows >= 6.1", false}, // 7, 8, 8.1
		{"windows 5.1", "windows 6.1", true},
		{"windows 6.1", "windows != 6.1", false}, // 6.1.7601 is not 6.1
		{"windows 6.1", "windows < 6.1.7601", false},
		{"macos 10.7", "macos 10.7.5", false},
		{"macos ~> 10.7", "macos >= 11", true}, // ~> 10.7 ends before 11
		{"macos ~> 10.7.2", "macos 10.8", true},
		{"macos ~> 10.7.2", "macos 10.7", false},
		{"macos > 10.6, < 10.8", "macos 10.7", false},
		{"macos > 10.6, < 10.7", "macos 10.7", true},
		{"linux ubuntu >= 22.04", "linux ubuntu < 22.04", true},
		{"linux ubuntu >= 22.04", "linux debian >= 11", true}, // with a version, the distro is the ID
		{"linux ubuntu", "linux debian", false},               // ubuntu's ID_LIKE is debian
		{"linux ubuntu >= 22.04", "linux >= 12", false},
		{"windows xp", "windows < 6.1", false}, // names are not compared
	}
	for _, tt := range tests {
		t.Run(tt.a+" | "+tt.b, func(t *testing.T) {
			t.Parallel()
			a, err := ParseSelector(tt.a)
			if err != nil {
				t.Fatal(err)
			}
			b, err := ParseSelector(tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if got := disjoint(a, b); got != tt.want {
				t.Errorf("disjoint(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := disjoint(b, a); got != tt.want {
				t.Errorf("disjoint(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
			}
		})
	}
	for _, sel := range []string{"linux", "windows < 6.1"} {
		s, _ := ParseSelector(sel)
		if disjoint(s, nil) || disjoint(nil, s) {
			t.Errorf("disjoint with no when: is true for %q", sel)
		}
	}
}

// corpora is the shared folder of real files beside the project
// (../shared/corpora from its root); see its README.
const corpora = "../../../shared/corpora"

// TestDisjointOnRealHosts checks that disjoint is sound: for every pair
// of selectors it calls disjoint, no host matches both. The hosts are
// the test platforms and one Linux host per os-release file of the
// corpus (458 real files from chef/os_release, which-distro/os-release,
// puppetlabs/facter and nixinfo; SOURCES.md names each).
func TestDisjointOnRealHosts(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join(corpora, "os-release", "files", "*"))
	if len(files) == 0 {
		t.Skip("no os-release corpus beside the project (../shared/corpora)")
	}
	var platforms []detect.Platform
	for _, p := range hosts {
		platforms = append(platforms, p)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		vars, _ := detect.ParseOSRelease(data) // a malformed line or two: the rest still names the host
		d := detect.Distro{ID: strings.ToLower(vars["ID"]), IDLike: strings.Fields(strings.ToLower(vars["ID_LIKE"])),
			Version: vars["VERSION_ID"], Codename: vars["VERSION_CODENAME"]}
		for _, arch := range []string{"amd64", "arm64"} {
			platforms = append(platforms, detect.Platform{OS: "linux", Arch: arch, Version: d.Version, Distro: d,
				Libc: detect.Libc{Name: "glibc"}})
		}
	}
	selectors := []string{
		"linux", "windows", "macos", "linux debian", "linux ubuntu", "linux debian >= 11", "linux debian < 11",
		"linux debian 12", "linux ubuntu >= 22.04", "linux ubuntu < 22.04", "linux ubuntu 20.04", "linux >= 12",
		"linux < 10", "linux fedora >= 39", "linux fedora", "linux rhel ~> 8", "linux centos < 8", "linux centos 7",
		"linux alpine >= 3.19", "linux alpine < 3.19", "linux alpine 3.18", "linux opensuse-leap 15.5",
		"linux rocky >= 9", "linux almalinux ~> 9.2", "linux amzn 2", "linux amzn >= 2023",
		"windows < 6.1", "windows >= 6.1", "windows 10", "macos 10.7", "macos >= 10.8",
	}
	parsed := make([]*Selector, len(selectors))
	for i, s := range selectors {
		sel, err := ParseSelector(s)
		if err != nil {
			t.Fatal(err)
		}
		parsed[i] = sel
	}
	pairs := 0
	for i, a := range parsed {
		for _, b := range parsed[i+1:] {
			if !disjoint(a, b) {
				continue
			}
			pairs++
			for _, p := range platforms {
				if a.Matches(p) && b.Matches(p) {
					t.Errorf("disjoint(%q, %q), yet %s %s %s matches both", a.Text, b.Text, p.OS, p.Distro.ID, p.Version)
				}
			}
		}
	}
	t.Logf("%d disjoint pairs of %d selectors, none matched together by %d hosts", pairs, len(selectors), len(platforms))
}
