package detect

import "testing"

func TestNormalizeName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"mountain lion", "mountainlion"},
		{"Mountain-Lion", "mountainlion"},
		{"mountain_lion", "mountainlion"},
		{"mountainlion", "mountainlion"},
		{" Server 2008 R2 ", "server2008r2"},
		{"8.1", "8.1"},
		{"ubuntu 22.04", "ubuntu22.04"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNameMatches(t *testing.T) {
	t.Parallel()
	xp64 := Platform{OS: "windows", Name: "xp x64"}
	srv := Platform{OS: "windows", Name: "server 2022", Server: true}
	r2 := Platform{OS: "windows", Name: "server 2008 r2", Server: true}
	lion := Platform{OS: "macos", Name: "mountain lion"}
	ubuntu := Platform{OS: "linux", Name: "ubuntu 22.04", Distro: Distro{ID: "ubuntu", IDLike: []string{"debian"}, Version: "22.04"}}
	tests := []struct {
		name string
		p    Platform
		in   string
		want bool
	}{
		{"xp x64 itself", xp64, "xp x64", true},
		{"xp names xp x64", xp64, "xp", true},
		{"xp64 spelled close", xp64, "XP-x64", true},
		{"xp does not name 7", Platform{OS: "windows", Name: "7"}, "xp", false},
		{"server name", srv, "server 2022", true},
		{"server year alone", srv, "2022", true},
		{"server with hyphen", srv, "Server-2022", true},
		{"other server", srv, "2019", false},
		{"r2 alone", r2, "2008 r2", true},
		{"2008 is not 2008 r2", r2, "2008", false},
		{"mac with space", lion, "mountain lion", true},
		{"mac with hyphen", lion, "mountain-lion", true},
		{"mac run together", lion, "mountainlion", true},
		{"lion is not mountain lion", lion, "lion", false},
		{"distro name", ubuntu, "ubuntu 22.04", true},
		{"distro id", ubuntu, "ubuntu", true},
		{"distro id in capitals", ubuntu, "Ubuntu", true},
		{"ID_LIKE is not a name", ubuntu, "debian", false},
		{"other version", ubuntu, "ubuntu 24.04", false},
		{"empty", ubuntu, "", false},
		{"distro id is linux only", Platform{OS: "macos", Name: "sonoma", Distro: Distro{ID: "x"}}, "x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := NameMatches(tt.p, tt.in); got != tt.want {
				t.Errorf("NameMatches(%q, %q) = %v, want %v", tt.p.Name, tt.in, got, tt.want)
			}
		})
	}
}
