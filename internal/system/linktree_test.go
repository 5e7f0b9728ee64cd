package system

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestRealLinkTree: files come as hard links, folders and symlinks as
// they are; a file already there is an error.
func TestRealLinkTree(t *testing.T) {
	t.Parallel()
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "site")
	for name, body := range map[string]string{"pip/__init__.py": "x = 1\n", "pip/__pycache__/__init__.cpython-311.pyc": "pyc"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(src, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("pip", filepath.Join(src, "alias")); err != nil {
		t.Fatal(err)
	}
	r := &Real{}
	if err := r.LinkTree(src, dst); err != nil {
		t.Fatal(err)
	}
	a, _ := os.Stat(filepath.Join(src, "pip", "__init__.py"))
	b, err := os.Stat(filepath.Join(dst, "pip", "__init__.py"))
	if err != nil || !os.SameFile(a, b) {
		t.Errorf("not a hard link: %v", err)
	}
	if target, err := os.Readlink(filepath.Join(dst, "alias")); err != nil || target != "pip" {
		t.Errorf("symlink: %q %v", target, err)
	}
	if err := r.LinkTree(src, dst); err == nil {
		t.Error("linking over existing files: no error")
	}
}

// TestCopyKeeping: where no link can be made the copy keeps the mode
// and the mtime (a .pyc records its source's mtime: a copy with a new
// one would make every .pyc stale).
func TestCopyKeeping(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "pip"), filepath.Join(dir, "pip-copy")
	if err := os.WriteFile(src, []byte("#!/usr/bin/python3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	when := time.Date(2023, 2, 1, 12, 0, 0, 0, time.UTC)
	if err := os.Chtimes(src, when, when); err != nil {
		t.Fatal(err)
	}
	if err := copyKeeping(src, dst); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dst)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.ModTime().Equal(when) || fi.Mode().Perm() != 0o755 {
		t.Errorf("copy: mtime %v mode %v, want %v 0755", fi.ModTime(), fi.Mode().Perm(), when)
	}
	if b, _ := os.ReadFile(dst); string(b) != "#!/usr/bin/python3\n" {
		t.Errorf("copy holds %q", b)
	}
	if err := copyKeeping(src, dst); err == nil {
		t.Error("copying over an existing file: no error")
	}
}
