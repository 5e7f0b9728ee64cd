package venv

import (
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/pep508"
)

func TestSpecifierAllows(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec, version string
		want          bool
	}{
		{"", "1.0", true},
		{"", "not a version", true},
		{"==1.0", "1.0", true},
		{"==1.0", "1.0.0", true}, // trailing zeros
		{"==1.0", "1.0.1", false},
		{"==1.0", "1.0+local.7", true},  // a local version matches its public one
		{"==1.0+local.7", "1.0", false}, // but not the other way
		{"==1.0+local.7", "1.0+local.7", true},
		{"==1.*", "1.9.3", true},
		{"==1.*", "2.0", false},
		{"!=1.5", "1.5", false},
		{"!=1.5", "1.6", true},
		{"!=1.*", "1.2", false},
		{">=2", "2.0", true},
		{">=2", "1.9", false},
		{">=2", "2.0b1", false}, // 2.0b1 sorts before 2.0
		{">=1", "2.0b1", true},  // pip accepts an installed pre-release
		{">=1", "2.0.dev3", true},
		{"<2", "1.9.9", true},
		{"<2", "2.0", false},
		{"<2", "2.0rc1", false}, // a pre-release of the version named is not below it
		{"<2", "1.0rc1", true},
		{"<2.0rc2", "2.0rc1", true},
		{">1.0", "1.0.post1", false}, // a post release of the version named is not above it
		{">1.0", "1.1", true},
		{">1.0", "1.0+local", false},
		{"<=1.0", "1.0+local", true},
		{"~=1.4", "1.4.5", true},
		{"~=1.4", "1.9", true},
		{"~=1.4", "2.0", false},
		{"~=1.4.2", "1.4.9", true},
		{"~=1.4.2", "1.5.0", false},
		{"~=1.4.2", "1.4.1", false},
		{"===1.0", "1.0", true},
		{"===1.0", "1.0.0", false}, // arbitrary equality is string equality
		{"===1.0-custom", "1.0-custom", true},
		{">=2,<3", "2.5", true},
		{">=2,<3", "3.0", false},
		{">=2, !=2.1, <3", "2.1", false},
		{">= 2 , < 3", "2.9", true},
		{"1!>=1.0", "2.0", false}, // not a specifier: ParseSpecifier refuses
		{">=1", "not-a-version", false},
		{">=2021.10", "2023.5.7", true},
		{"==2.9.0.post0", "2.9.0.post0", true},
		{"<24", "23.2.1", true},
		{"<24", "24.0", false},
		// issue 16's disagreements with pip's packaging, now agreements
		{"==3.0RC1", "3.0rc1", true}, // letters in any case
		{"~=1.0a1", "1.1", true},
		{"==2.0.*", "2", true},
		{"!=1!1.*", "1!0.5", true}, // epochs in wildcards
		{"==1!1.*", "1!1.5", true},
		{"==1.*", "1!1.5", false},
		{">=1.0,", "1.5", true}, // an empty clause is skipped
		{">=1.0", "1.0.0.dev1", false},
	}
	for _, tt := range tests {
		t.Run(tt.spec+" "+tt.version, func(t *testing.T) {
			t.Parallel()
			s, err := ParseSpecifier(tt.spec)
			if err != nil {
				if tt.want {
					t.Fatalf("ParseSpecifier(%q): %v", tt.spec, err)
				}
				return
			}
			if got := s.Allows(tt.version); got != tt.want {
				t.Errorf("%q allows %q = %v, want %v", tt.spec, tt.version, got, tt.want)
			}
		})
	}
}

func TestParseSpecifierErrors(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"=1.0", ">=1 || <0", "1.0", ">=", "~=1", ">=1.0.*", "==1.0 <2", "latest", "==2.0a1.*", "==1.2.3.post4.*", ">=1.0+local"} {
		if _, err := ParseSpecifier(s); err == nil {
			t.Errorf("ParseSpecifier(%q) took it", s)
		}
	}
}

func TestMarkers(t *testing.T) {
	t.Parallel()
	linux := detect.Platform{OS: "linux", Arch: "amd64"}
	win := detect.Platform{OS: "windows", Arch: "amd64"}
	mac := detect.Platform{OS: "macos", Arch: "arm64"}
	tests := []struct {
		marker  string
		p       detect.Platform
		version string
		impl    string
		extra   string
		want    pep508.Truth
	}{
		{`python_version < "3.8"`, linux, "3.11.2", "", "", pep508.False},
		{`python_version >= "3.8"`, linux, "3.11.2", "", "", pep508.True},
		{`python_version > "3.9"`, linux, "3.11.2", "", "", pep508.True}, // as versions: 3.11 > 3.9
		{`python_version == "3.11.*"`, linux, "3.11.2", "", "", pep508.True},
		{`python_version in "2.6 2.7 3.2 3.3"`, linux, "3.11.2", "", "", pep508.False},
		{`python_version in "2.6 2.7 3.2 3.3"`, linux, "2.7.18", "", "", pep508.True},
		{`python_full_version >= "3.11.1"`, linux, "3.11.2", "", "", pep508.True},
		{`python_full_version >= "3.11.1"`, linux, "3.12", "", "", pep508.Unknown}, // only the minor known
		{`"3.8" > python_version`, linux, "3.11.2", "", "", pep508.False},
		{`sys_platform == "win32"`, win, "3.11.2", "", "", pep508.True},
		{`sys_platform == "win32"`, linux, "3.11.2", "", "", pep508.False},
		{`sys_platform == "linux2"`, linux, "2.7.18", "", "", pep508.True},
		{`sys_platform == "darwin" and platform_machine == "arm64"`, mac, "3.12.1", "", "", pep508.True},
		{`platform_system == "Windows" or os_name == "nt"`, linux, "3.11", "", "", pep508.False},
		{`os_name == "posix"`, mac, "3.11", "", "", pep508.True},
		{`platform_machine == "x86_64"`, linux, "3.11", "", "", pep508.True},
		{`platform_machine == "AMD64"`, win, "3.11", "", "", pep508.True},
		{`platform_release >= "5"`, linux, "3.11", "", "", pep508.Unknown},
		{`platform_release >= "5" and python_version < "3"`, linux, "3.11", "", "", pep508.False},
		{`platform_release >= "5" or python_version > "3"`, linux, "3.11", "", "", pep508.True},
		{`implementation_name == "cpython"`, linux, "3.11", "CPython", "", pep508.True},
		{`implementation_name == "cpython"`, linux, "3.11", "", "", pep508.Unknown},
		{`platform_python_implementation != "PyPy"`, linux, "3.11", "CPython", "", pep508.True},
		{`python_implementation == "CPython"`, linux, "3.11", "CPython", "", pep508.True}, // legacy name
		{`os.name == "nt"`, win, "3.11", "", "", pep508.True},
		{`extra == "socks"`, linux, "3.11", "", "", pep508.False},
		{`extra == "socks"`, linux, "3.11", "", "socks", pep508.True},
		{`extra == "Use_Chardet.on-py3"`, linux, "3.11", "", "use-chardet-on-py3", pep508.True},
		{`(python_version < "3" or sys_platform == "win32") and extra == "test"`, win, "3.11", "", "test", pep508.True},
		{`python_version < "3.8"`, linux, "", "", "", pep508.Unknown}, // base not known yet
		{`'linux' in sys_platform`, linux, "3.11", "", "", pep508.True},
		{`sys_platform not in "win32 cygwin"`, linux, "3.11", "", "", pep508.True},
		// packaging >= 22: names that are not versions are never ordered
		{`os_name < "z"`, linux, "3.11", "", "", pep508.False},
		{`sys_platform >= "linux"`, linux, "3.11", "", "", pep508.True}, // >= is ==
		{`os_name ~= "posix"`, linux, "3.11", "", "", pep508.Unknown},   // undefined
		{`"foo" in extras`, linux, "3.11", "", "", pep508.Unknown},      // a set envup does not know
		{`python_version > "3.9" and platform_python_implementation == "CPython"`, linux, "3.11", "CPython", "", pep508.True},
	}
	for _, tt := range tests {
		t.Run(tt.marker, func(t *testing.T) {
			t.Parallel()
			m, err := pep508.ParseMarker(tt.marker)
			if err != nil {
				t.Fatal(err)
			}
			env := newMarkerEnv(tt.p, tt.version, tt.impl).withExtra(tt.extra)
			if got := env.holds(m); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseMarkerErrors(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		`python_version`, `python_version <`, `python_version < "3`, `(python_version < "3"`,
		`nonsense == "x"`, `python_version ?? "3"`, `python_version < "3" and`, `python_version < "3" xor os_name == "nt"`,
	} {
		if _, err := pep508.ParseMarker(s); err == nil {
			t.Errorf("ParseMarker(%q) took it", s)
		}
	}
}
