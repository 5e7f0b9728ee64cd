package detect

import "testing"

func TestJoinKeepsTheHostsSeparator(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		os   string
		base string
		elem []string
		want string
	}{
		{"linux", "/home/lab/", []string{"envs", "x"}, "/home/lab/envs/x"},
		{"windows", `C:\Users\lab`, []string{"AppData", "Local"}, `C:\Users\lab\AppData\Local`},
		{"windows", "~", []string{"lab", "seats.py"}, "~/lab/seats.py"},
		{"windows", `C:\`, nil, `C:`},
	} {
		if got := (Platform{OS: tt.os}).Join(tt.base, tt.elem...); got != tt.want {
			t.Errorf("%s: Join(%q, %q) = %q, want %q", tt.os, tt.base, tt.elem, got, tt.want)
		}
	}
}
