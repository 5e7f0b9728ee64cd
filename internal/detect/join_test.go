package detect

import "testing"

func TestJoinKeepsTheHostsSeparator(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		base string
		elem []string
		want string
	}{
		{"/home/lab/", []string{"envs", "x"}, "/home/lab/envs/x"},
		{`C:\Users\lab`, []string{"AppData", "Local"}, `C:\Users\lab\AppData\Local`},
		{"~", []string{"lab", "seats.py"}, "~/lab/seats.py"},
		{`C:\`, nil, `C:`},
	} {
		if got := Join(tt.base, tt.elem...); got != tt.want {
			t.Errorf("Join(%q, %q) = %q, want %q", tt.base, tt.elem, got, tt.want)
		}
	}
}
