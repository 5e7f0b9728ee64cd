package snapshot

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realSnapshot is the fixture written by `envup snapshot` (testdata/README.md).
const realSnapshot = "testdata/debian12.json"

func TestReadReal(t *testing.T) {
	t.Parallel()
	f, err := os.Open(realSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := Read(f, realSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Summary(), "106 packages, 11 interpreters, 1 virtualenvs, 0 services, 1 fonts, 1 editors"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
	if s.Platform.Distro.Codename != "bookworm" || venvs(s)[0].Packages["requests"] != "2.31.0" || fonts(s)[0].Family != "DejaVu Sans Mono" {
		t.Errorf("read %+v, %+v, %+v", s.Platform.Distro, venvs(s), fonts(s))
	}
}

// A snapshot over MaxSize is refused: a file by its size, before a byte
// is read (a sparse 150 MB file, as the issue's), a stream once more
// than MaxSize has come.
func TestReadTooLarge(t *testing.T) {
	t.Parallel()
	big := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(big, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 150<<20); err != nil {
		t.Fatal(err)
	}
	_, _, err := readSide(big)
	var tooLarge *TooLargeError
	if !errors.As(err, &tooLarge) || tooLarge.Size != 150<<20 {
		t.Fatalf("a 150 MiB file: %v", err)
	}
	if want := big + ": 150.0 MiB, larger than a snapshot may be (32 MiB; a large machine's is a few MB): not read"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	_, err = Sides(big, "here", SideSource{})
	if !errors.As(err, &tooLarge) {
		t.Errorf("diff of a 150 MiB file: %v", err)
	}

	stream := io.MultiReader(strings.NewReader(`{"envup_snapshot": 1, "host": "`), neverEnding('x'))
	_, err = Read(stream, "standard input")
	if !errors.As(err, &tooLarge) || err.Error() != "standard input: more than 32 MiB, larger than a snapshot may be (32 MiB; a large machine's is a few MB): not read" {
		t.Errorf("an endless stream: %v", err)
	}
	// MaxSize bytes are read and decoded (here, found cut short).
	at := io.MultiReader(strings.NewReader(`{"host": "`), io.LimitReader(neverEnding('x'), MaxSize-10))
	if _, err := Read(at, "at.json"); errors.As(err, &tooLarge) || err == nil || !strings.Contains(err.Error(), "unexpected end of JSON input") {
		t.Errorf("a snapshot of exactly MaxSize: %v", err)
	}
}

type neverEnding byte

func (b neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

// readSide tells a snapshot from a recipe by extension, else by its first
// byte, reading the file once.
func TestReadSide(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data, err := os.ReadFile(realSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"snap":        "\n  " + string(data),
		"snap.json":   string(data),
		"lab.yml":     string(data), // by its extension, whatever it holds
		"lab":         "envup: 1\n",
		"broken.json": "envup: 1\n",
		"empty":       "",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]string{
		"snap": "snapshot", "snap.json": "snapshot", "lab.yml": "recipe", "lab": "recipe", "empty": "recipe",
	} {
		recipePath, snap, err := readSide(filepath.Join(dir, name))
		switch {
		case err != nil:
			t.Errorf("%s: %v", name, err)
		case want == "recipe" && (recipePath != filepath.Join(dir, name) || snap != nil):
			t.Errorf("%s: read as a snapshot", name)
		case want == "snapshot" && (recipePath != "" || snap == nil || snap.Platform.OS != "linux"):
			t.Errorf("%s: not read as the snapshot: %q %+v", name, recipePath, snap)
		}
	}
	_, _, err = readSide(filepath.Join(dir, "broken.json"))
	if err == nil || !strings.Contains(err.Error(), "broken.json: not a snapshot: line 1, column 1") {
		t.Errorf("broken.json: %v", err)
	}
}
