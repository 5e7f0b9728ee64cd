package mirror

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// IndexVersion is the envup_mirror version this envup reads and writes.
const IndexVersion = 1

// Index is index.json in a mirror folder: every artifact it holds. The
// zero Index is empty and ready for Add.
type Index struct {
	Envup int         `json:"envup_mirror"` // IndexVersion
	Files []IndexFile `json:"files"`        // sorted by Name, one entry per Name
}

// IndexFile is one artifact in a mirror folder.
type IndexFile struct {
	Name      string   `json:"name"`      // file name in the folder: the artifact's base name
	URL       string   `json:"url"`       // where it comes from
	SHA256    string   `json:"sha256"`    // lowercase hex
	Size      int64    `json:"size"`      // bytes
	Platforms []string `json:"platforms"` // the platforms it is for, sorted: "linux/debian/12/amd64", "windows/5.1/386"
	// Kinds are the kinds of resource it is for, sorted: "virtualenv",
	// "service". An index written before envup recorded them has none.
	Kinds []string `json:"kinds,omitempty"`
	// Optional is a file the lock marks optional (install.Artifact): fetch
	// does without it when it cannot be had. Not written to the index.
	Optional bool   `json:"-"`
	Instead  string `json:"-"` // what a seat does without it
}

// ForPip says whether f belongs on the page pip reads as --find-links:
// a virtualenv's distribution, or any file of an index that does not say
// (as before kinds were recorded). A Redis source tarball must not be
// there: pip reads redis-7.0.15.tar.gz as redis-py's sdist 7.0.15.
func (f IndexFile) ForPip() bool {
	return len(f.Kinds) == 0 || slices.Contains(f.Kinds, "virtualenv")
}

// ConflictError is Add's refusal of a second, different file under a name
// the index already holds: a mirror folder keeps one file per base name,
// and fetch looks files up by base name alone.
type ConflictError struct {
	Name      string
	Have, Got string // the sha256 in the index, and the one added
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s: the mirror already holds a file of this name with sha256 %s, not %s", e.Name, e.Have, e.Got)
}

// ReadIndex reads dir/index.json. A folder without one has an empty index
// (nil error): a new mirror folder starts that way. An index of another
// envup_mirror version, a malformed entry or a name listed twice is an
// error.
func ReadIndex(dir string) (*Index, error) {
	path := filepath.Join(dir, indexName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Index{Envup: IndexVersion}, nil
	}
	if err != nil {
		return nil, err
	}
	var ix Index
	if err := json.Unmarshal(data, &ix); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if ix.Envup != IndexVersion {
		return nil, fmt.Errorf("%s: envup_mirror %d: this envup reads version %d", path, ix.Envup, IndexVersion)
	}
	if err := ix.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ix.sort()
	return &ix, nil
}

// Add puts f in the index. A file already there under the same name and
// sha256 gains f's platforms (and keeps the smaller of the two URLs, so the
// index does not depend on the order of the Adds). The same name with
// another sha256 is a *ConflictError, and the index is unchanged.
func (ix *Index) Add(f IndexFile) error {
	f.SHA256 = strings.ToLower(f.SHA256)
	if err := checkFile(f); err != nil {
		return err
	}
	f.Platforms = sortedSet(f.Platforms)
	f.Kinds = kindSet(f.Kinds)
	i, found := slices.BinarySearchFunc(ix.Files, f.Name, func(e IndexFile, name string) int {
		return strings.Compare(e.Name, name)
	})
	if !found {
		ix.Files = slices.Insert(ix.Files, i, f)
		return nil
	}
	have := &ix.Files[i]
	if have.SHA256 != f.SHA256 {
		return &ConflictError{Name: f.Name, Have: have.SHA256, Got: f.SHA256}
	}
	if have.Size != f.Size {
		return fmt.Errorf("%s: sha256 %s listed with size %d and %d", f.Name, f.SHA256, have.Size, f.Size)
	}
	have.Platforms = sortedSet(append(have.Platforms, f.Platforms...))
	// An entry of an older index says no kinds: what a fill says now
	// completes it (only a fill adds, and a fill always says).
	have.Kinds = kindSet(append(have.Kinds, f.Kinds...))
	if f.URL < have.URL {
		have.URL = f.URL
	}
	return nil
}

// Write writes the index to dir/index.json: envup_mirror 1, the files
// sorted by name with their platforms sorted, indented, with a trailing
// newline, so the same artifacts always give the same bytes. It writes a
// hidden temporary file (never served) and renames it into place, so a
// reader sees the old index or the new one, never half of one.
func (ix *Index) Write(dir string) error {
	out := Index{Envup: IndexVersion, Files: make([]IndexFile, 0, len(ix.Files))}
	for _, f := range ix.Files {
		f.SHA256 = strings.ToLower(f.SHA256)
		f.Platforms = sortedSet(f.Platforms)
		f.Kinds = kindSet(f.Kinds)
		out.Files = append(out.Files, f)
	}
	out.sort()
	if err := out.check(); err != nil {
		return fmt.Errorf("write %s: %w", indexName, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write %s: %w", indexName, err)
	}
	if err := writeAtomic(filepath.Join(dir, indexName), buf.Bytes()); err != nil {
		return fmt.Errorf("write %s: %w", indexName, err)
	}
	return nil
}

func (ix *Index) sort() {
	slices.SortFunc(ix.Files, func(a, b IndexFile) int { return strings.Compare(a.Name, b.Name) })
}

// check validates every entry of a sorted index and refuses a name listed
// twice.
func (ix *Index) check() error {
	for i, f := range ix.Files {
		if err := checkFile(f); err != nil {
			return err
		}
		if i > 0 && ix.Files[i-1].Name == f.Name {
			return fmt.Errorf("%s: listed twice", f.Name)
		}
	}
	return nil
}

// checkFile validates one entry: a name the server would serve, a sha256
// of 64 lowercase hex digits, a size that is not negative.
func checkFile(f IndexFile) error {
	if name, code := nameFor("/" + f.Name); code != 0 || name != f.Name || name == indexName {
		return fmt.Errorf("%q: not a file name a mirror folder can serve", f.Name)
	}
	if len(f.SHA256) != 64 || strings.Trim(f.SHA256, "0123456789abcdef") != "" {
		return fmt.Errorf("%s: sha256 %q: want 64 hex digits", f.Name, f.SHA256)
	}
	if f.Size < 0 {
		return fmt.Errorf("%s: negative size %d", f.Name, f.Size)
	}
	return nil
}

// sortedSet returns s sorted without duplicates, never nil (so it encodes
// as [] rather than null).
func sortedSet(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// kindSet is s sorted without duplicates, nil when empty (so an entry
// that does not say has no "kinds" key).
func kindSet(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return sortedSet(s)
}

// writeAtomic writes data to a hidden temporary file beside path, flushes
// it to disk and renames it over path.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// ValidName says whether name can be a file in a mirror folder: a plain
// name (no folder, no "..", not hidden), as a lock or a URL gives it.
func ValidName(name string) bool {
	return checkFile(IndexFile{Name: name, SHA256: strings.Repeat("0", 64)}) == nil
}

// Drop removes the entry called name unless it has digest sum: the folder
// is about to hold other bytes under that name.
func (ix *Index) Drop(name, sum string) {
	ix.Files = slices.DeleteFunc(ix.Files, func(f IndexFile) bool {
		return f.Name == name && f.SHA256 != strings.ToLower(sum)
	})
}
