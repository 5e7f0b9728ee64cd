package facts

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"
)

// A probe's output reads the same as UTF-8, UTF-8 with a BOM, and the
// UTF-16 PowerShell's > writes.
func TestReadEncodings(t *testing.T) {
	t.Parallel()
	text := `{"os":"windows","version":"5.1","arch":"386","home":"C:\\Documents and Settings\\ann"}`
	u := utf16.Encode([]rune(text))
	wide := []byte{0xFF, 0xFE}
	for _, c := range u {
		wide = append(wide, byte(c), byte(c>>8))
	}
	for name, data := range map[string][]byte{
		"utf8":  []byte(text),
		"bom":   append([]byte{0xEF, 0xBB, 0xBF}, text...),
		"utf16": wide,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "facts.json")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			p, err := Read(path)
			if err != nil {
				t.Fatal(err)
			}
			if p.OS != "windows" || p.Home != `C:\Documents and Settings\ann` {
				t.Errorf("Read = %s, home %q", p, p.Home)
			}
		})
	}
}

func TestReadNotAPlatform(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "facts.json")
	if err := os.WriteFile(path, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(path); err == nil {
		t.Error("Read of a file that is no JSON: no error")
	}
}
