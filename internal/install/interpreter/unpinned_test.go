package interpreter

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/systemtest"
)

// A lock pinned python 3.12.9, whose archive cannot be fetched; python
// 3.12.0 is on the PATH. Without --locked the recipe's other source
// (existing) is tried for its own "3.12", and that is said; with
// --locked, or when the archive's bytes are wrong, it is not.
func TestPinnedUnreachableFallsBackUnlessLocked(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		locked  bool
		fail    error // what downloading the pinned archive gives
		want    string
		wantErr string
	}{
		{name: "network", fail: errors.New("dial tcp 140.82.112.4:443: connect: network is unreachable"), want: "3.12.0"},
		{name: "offline", fail: &fetch.OfflineError{URL: "u", Name: "cpython-3.12.9.tar.gz", Looked: []string{"/mirror/cpython-3.12.9.tar.gz"}}, want: "3.12.0"},
		{name: "locked", locked: true, fail: errors.New("connect: network is unreachable"), wantErr: "--locked: the lock pins python 3.12.9 from archive, which could not be fetched (archive: connect: network is unreachable)"},
		{name: "tampered", fail: &fetch.DigestError{URL: "u", Want: "a", Got: "b"}, wantErr: "archive: u: sha256 mismatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			pinned := "https://example.org/cpython-3.12.9.tar.gz"
			f.sys.Hook(func(v systemtest.Verb, name string) error {
				if v == systemtest.Download && name == pinned {
					return tc.fail
				}
				return nil
			})
			f.cat, _ = catalog.New(catalog.Release{Tool: "python", Version: "3.12.9", Artifacts: []catalog.Artifact{{
				Kind: catalog.KindArchive, URL: pinned, SHA256: strings.Repeat("a", 64), Filename: "cpython-3.12.9.tar.gz", OS: "linux", Arch: "amd64", Libc: "glibc",
			}}})
			old := filepath.Join(f.path, "python3.12")
			if err := os.MkdirAll(f.path, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(old, []byte(strings.ReplaceAll(healthy, "%s", "3.12.0")), 0o755); err != nil {
				t.Fatal(err)
			}
			f.standIn(old)
			spec := &recipe.Interpreter{Version: "3.12.9", Unpinned: "3.12", Sources: []string{"existing", "archive"}}
			r, err := New("python", spec, f.p, Options{Catalog: f.cat, Memo: f.memo, Locked: tc.locked, Log: &f.log})
			if err != nil {
				t.Fatal(err)
			}
			o, err := r.Observe(t.Context(), f.sys)
			if err != nil {
				t.Fatal(err)
			}
			if o.Have != nil || len(o.Plan) == 0 || o.Plan[0].Version != "3.12.9" {
				t.Fatalf("observed %+v, want the pinned archive planned", o)
			}
			err = r.Apply(t.Context(), f.sys, o)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("apply err = %v, want %q", err, tc.wantErr)
				}
				if strings.Contains(f.log.String(), "trying the recipe's other sources") {
					t.Errorf("fell back anyway: %q", f.log.String())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			log := f.log.String()
			for _, want := range []string{
				"envup: interpreter/python: the lock pins python 3.12.9 from archive, which could not be fetched (archive: ",
				"; trying the recipe's other sources: existing\n",
				"instead of the lock's python 3.12.9, python 3.12.0 (",
			} {
				if !strings.Contains(log, want) {
					t.Errorf("log lacks %q:\n%s", want, log)
				}
			}
			if _, err := os.Stat(filepath.Join(f.p.Dirs.Data, "python")); err == nil {
				t.Error("an install was made")
			}
		})
	}
}

// An interpreter already here at the pinned version is the one used:
// nothing is planned, nothing downloaded.
func TestPinnedVersionHereIsUsed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.cat, _ = catalog.New(catalog.Release{Tool: "python", Version: "3.12.9", Artifacts: []catalog.Artifact{{
		Kind: catalog.KindArchive, URL: "https://unreachable.example.org/cpython-3.12.9.tar.gz", SHA256: strings.Repeat("a", 64), Filename: "cpython-3.12.9.tar.gz", OS: "linux", Arch: "amd64", Libc: "glibc",
	}}})
	here := filepath.Join(f.path, "python3.12")
	if err := os.MkdirAll(f.path, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(here, []byte(strings.ReplaceAll(healthy, "%s", "3.12.9")), 0o755); err != nil {
		t.Fatal(err)
	}
	f.standIn(here)
	spec := &recipe.Interpreter{Version: "3.12.9", Unpinned: "3.12", Sources: []string{"existing", "archive"}}
	st, err := f.apply(f.resource(spec, false))
	if err != nil {
		t.Fatal(err)
	}
	if st.Have == nil || st.Have.Path != here || st.Have.Version != "3.12.9" {
		t.Fatalf("have %+v, want the python already here", st.Have)
	}
	if f.log.Len() > 0 {
		t.Errorf("said %q", f.log.String())
	}
}
