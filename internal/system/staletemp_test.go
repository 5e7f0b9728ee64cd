package system

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestIsTemp(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		".settings.json.envup-123456": true,
		".a.envup-1":                  true,
		".a.envup-":                   false,
		".a.envup-backup":             false,
		"a.envup-123":                 false,
		".envup-123":                  false,
		".envup-install.json":         false,
		".a.envup-12x":                false,
		"settings.json":               false,
		".a.envup-tmp-123":            false,
	} {
		if got := IsTemp(name); got != want {
			t.Errorf("IsTemp(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestRemoveStaleTempsRemovesOnlyOldTempFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	write := func(name string, mtime time.Time) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	write(".settings.json.envup-4242", old)             // left by a killed run: removed
	write(".settings.json.envup-backup", old)           // not envup's temp name
	write("settings.json", old)                         // the user's
	write(".vimrc.envup-77", time.Now().Add(time.Hour)) // written during this run
	if err := os.Mkdir(filepath.Join(dir, ".d.envup-5"), 0o700); err != nil {
		t.Fatal(err)
	}
	want := []string{".d.envup-5", ".settings.json.envup-backup", ".vimrc.envup-77", "settings.json"}
	if err := os.Symlink("settings.json", filepath.Join(dir, ".l.envup-6")); err == nil {
		want = []string{".d.envup-5", ".l.envup-6", ".settings.json.envup-backup", ".vimrc.envup-77", "settings.json"}
	}

	removed, err := RemoveStaleTemps(NewReal(), dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(dir, ".settings.json.envup-4242")}; !slices.Equal(removed, want) {
		t.Errorf("removed %q, want %q", removed, want)
	}
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if !slices.Equal(left, want) {
		t.Errorf("left %q, want %q", left, want)
	}
	if removed, err := RemoveStaleTemps(NewReal(), filepath.Join(dir, "none"), time.Now()); err != nil || removed != nil {
		t.Errorf("missing dir: %q, %v", removed, err)
	}
}
