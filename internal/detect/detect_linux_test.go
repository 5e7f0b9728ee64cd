package detect

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"testing"
)

// TestDetectLinux checks Detect against this host, reading what it
// should find by other means: os-release through ParseOSRelease, the
// package managers through exec.LookPath. On the project's Debian 12
// machines that is debian 12, glibc 2.36, apt.
func TestDetectLinux(t *testing.T) {
	t.Parallel()
	p, err := Detect()
	if err != nil {
		t.Fatal(err)
	}
	want := hostOSRelease(t)
	if p.OS != "linux" || p.Distro.ID != want["ID"] || p.Version != want["VERSION_ID"] {
		t.Errorf("got %s %q %q, want linux %q %q", p.OS, p.Distro.ID, p.Version, want["ID"], want["VERSION_ID"])
	}
	if p.Name != linuxName(p.Distro) || p.Edition != want["PRETTY_NAME"] {
		t.Errorf("Name %q Edition %q", p.Name, p.Edition)
	}
	if want["ID"] == "debian" && want["VERSION_ID"] == "12" {
		if p.Libc != (Libc{Name: "glibc", Version: "2.36"}) {
			t.Errorf("Libc %+v, want glibc 2.36 on Debian 12", p.Libc)
		}
	}
	switch {
	case want["ID"] == "alpine":
		if p.Libc.Name != "musl" {
			t.Errorf("Libc %+v, want musl", p.Libc)
		}
	case p.Libc.Name != "glibc" || !regexp.MustCompile(`^2\.\d+$`).MatchString(p.Libc.Version):
		t.Errorf("Libc %+v, want glibc 2.x", p.Libc)
	}
	kernel, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	if p.Kernel == "" || p.Kernel+"\n" != string(kernel) {
		t.Errorf("Kernel %q, /proc says %q", p.Kernel, kernel)
	}
	if p.Admin != (os.Geteuid() == 0) {
		t.Errorf("Admin %v as uid %d", p.Admin, os.Geteuid())
	}
	if p.Home == "" {
		t.Error("no Home")
	}
	for name, cmd := range map[string]string{"apt": "apt-get", "dnf": "dnf", "zypper": "zypper", "pacman": "pacman", "apk": "apk"} {
		_, err := exec.LookPath(cmd)
		if got := slices.Contains(p.Managers, name); got != (err == nil) {
			t.Errorf("Managers %q: %s listed %v, on PATH %v", p.Managers, name, got, err == nil)
		}
	}
	if native := nativeManagers(p.Distro); len(native) > 0 && len(p.Managers) > 0 && slices.Contains(p.Managers, native[0]) && p.Managers[0] != native[0] {
		t.Errorf("Managers %q: want the distribution's %s first", p.Managers, native[0])
	}
	t.Logf("%s: libc %+v, kernel %s, wsl %d, container %q, managers %q", p, p.Libc, p.Kernel, p.WSL, p.Container, p.Managers)
}

func hostOSRelease(t *testing.T) map[string]string {
	t.Helper()
	for _, path := range []string{"/etc/os-release", "/usr/lib/os-release"} {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		vars, err := ParseOSRelease(data)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return vars
	}
	t.Skip("no os-release on this host")
	return nil
}
