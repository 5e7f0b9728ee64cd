package detect

import (
	"encoding/json"
	"runtime"
	"testing"
)

// TestDetect checks what must hold on any host the tests run on.
func TestDetect(t *testing.T) {
	t.Parallel()
	p, err := Detect()
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(p)
	t.Logf("%s: %s", p, js)
	wantOS, known := map[string]string{"linux": "linux", "darwin": "macos", "windows": "windows"}[runtime.GOOS]
	if !known {
		wantOS = runtime.GOOS
	}
	if p.OS != wantOS {
		t.Errorf("OS %q, want %q", p.OS, wantOS)
	}
	if p.Arch != runtime.GOARCH {
		t.Errorf("Arch %q, want %q", p.Arch, runtime.GOARCH)
	}
	if p.Home == "" || p.Dirs.Data == "" || p.Dirs.Cache == "" || p.Dirs.State == "" || p.Dirs.Bin == "" || p.Dirs.Config == "" {
		t.Errorf("Home %q, Dirs %+v: want all set", p.Home, p.Dirs)
	}
	if p.Foreign {
		t.Error("a detected platform is not foreign")
	}
	if !known { // an OS envup has no rules for
		return
	}
	if p.Name == "" {
		t.Error("no Name")
	}
	if p.Version == "" && p.OS != "linux" { // rolling Linux releases have none
		t.Error("no Version")
	}
	if _, err := ParsePlatform(p.String()); err != nil {
		t.Errorf("String() %q does not read back: %v", p.String(), err)
	}
}

// BenchmarkDetect: Detect runs at every envup start; the target is 5 ms.
func BenchmarkDetect(b *testing.B) {
	for b.Loop() {
		if _, err := Detect(); err != nil {
			b.Fatal(err)
		}
	}
}
