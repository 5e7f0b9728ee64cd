package detect

import "testing"

func TestIsMuslLoader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		interp string
		want   bool
	}{
		{"/lib/ld-musl-x86_64.so.1", true},
		{"/lib/ld-musl-aarch64.so.1", true},
		{"/lib64/ld-linux-x86-64.so.2", false},
		{"/lib/ld-linux-aarch64.so.1", false},
		{"/lib/ld-linux.so.2", false},
	}
	for _, tt := range tests {
		if got := isMuslLoader(tt.interp); got != tt.want {
			t.Errorf("isMuslLoader(%q) = %v, want %v", tt.interp, got, tt.want)
		}
	}
}

func TestGlibcVersionFromName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		base, want string
	}{
		{"ld-2.31.so", "2.31"},
		{"libc-2.17.so", "2.17"},
		{"ld-2.5.so", "2.5"},
		{"ld-linux-x86-64.so.2", ""},
		{"libc.so.6", ""},
	}
	for _, tt := range tests {
		if got := glibcVersionFromName(tt.base); got != tt.want {
			t.Errorf("glibcVersionFromName(%q) = %q, want %q", tt.base, got, tt.want)
		}
	}
}

func TestGlibcVersionFromBanner(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data, want string
	}{
		{"debian ld.so", "\x00ld.so (Debian GLIBC 2.36-9+deb12u4) stable release version 2.36.\nCopyright", "2.36"},
		{"libc", "\x00GNU C Library (Ubuntu GLIBC 2.39-0ubuntu8) stable release version 2.39.\n", "2.39"},
		{"development", "GNU C Library development release version 2.40.9000.\n", "2.40"},
		{"none", "\x7fELF no banner here", ""},
		{"cut short", "release version ", ""},
	}
	for _, tt := range tests {
		if got := glibcVersionFromBanner([]byte(tt.data)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestHighestGLIBCVersion uses the version definitions of Debian 12's
// libc.so.6 (glibc 2.36), which skip 2.19 to 2.21.
func TestHighestGLIBCVersion(t *testing.T) {
	t.Parallel()
	defs := []string{
		"libc.so.6", "GLIBC_2.2.5", "GLIBC_2.2.6", "GLIBC_2.3", "GLIBC_2.3.4", "GLIBC_2.9",
		"GLIBC_2.18", "GLIBC_2.22", "GLIBC_2.34", "GLIBC_2.35", "GLIBC_2.36", "GLIBC_ABI_DT_RELR", "GLIBC_PRIVATE",
	}
	if got := highestGLIBCVersion(defs); got != "2.36" {
		t.Errorf("got %q, want 2.36", got)
	}
	if got := highestGLIBCVersion([]string{"GLIBC_2.18", "GLIBC_2.2.5"}); got != "2.18" {
		t.Errorf("got %q, want 2.18 (numeric, not string, order)", got)
	}
	if got := highestGLIBCVersion([]string{"libc.so.6"}); got != "" {
		t.Errorf("got %q, want empty", got)
	}
}

func TestMuslVersionFromAPK(t *testing.T) {
	t.Parallel()
	db := "C:Q1abc=\nP:busybox\nV:1.36.1-r15\nA:x86_64\n\n" +
		"C:Q1def=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\n\n" +
		"C:Q1ghi=\nP:musl-utils\nV:1.2.4-r9\n"
	if got := muslVersionFromAPK([]byte(db)); got != "1.2.4" {
		t.Errorf("got %q", got)
	}
	if got := muslVersionFromAPK([]byte("P:musl\nV:1.2.5-r0\n")); got != "1.2.5" {
		t.Errorf("first block: got %q", got)
	}
	if got := muslVersionFromAPK([]byte("P:musl-utils\nV:1.2.4-r9\n")); got != "" {
		t.Errorf("musl-utils is not musl: got %q", got)
	}
}
