package mirror

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/lock"
)

// An optional file that cannot be had is missed, with its own error, and
// fails nothing; one that can is placed like the others. A file optional
// for one resource and needed by another is needed.
func TestFillOptional(t *testing.T) {
	t.Parallel()
	cache := t.TempDir()
	files := map[string]string{} // URL: cached path
	sums := map[string]string{}  // name: sha256
	for _, name := range []string{"alpha-1.0-py3-none-any.whl", "pip-24.0-py3-none-any.whl", "shared-1.0.tar.gz"} {
		path := filepath.Join(cache, name)
		if err := os.WriteFile(path, []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(name))
		sums[name] = hex.EncodeToString(sum[:])
		files["https://example.org/"+name] = path
	}
	art := func(name string, optional bool) install.Artifact {
		return install.Artifact{Name: name, URL: "https://example.org/" + name, SHA256: sums[name], Optional: optional, Instead: "without " + name}
	}
	lf := &lock.File{Platforms: map[string]*lock.Platform{"linux/debian/12/amd64": {Resources: map[string]install.Pinned{
		"virtualenv/lab": {Artifacts: []install.Artifact{art("alpha-1.0-py3-none-any.whl", false), art("pip-24.0-py3-none-any.whl", true), art("shared-1.0.tar.gz", true)}},
		"service/redis":  {Artifacts: []install.Artifact{art("shared-1.0.tar.gz", false)}},
	}}}}
	needs := Needs(lf, []string{"linux/debian/12/amd64"}, "")
	for _, n := range needs {
		if n.Optional != (n.Name == "pip-24.0-py3-none-any.whl") {
			t.Errorf("Needs: %s Optional %v", n.Name, n.Optional)
		}
	}

	offline := errors.New("no network")
	get := func(reach bool) func(context.Context, []fetch.Want) ([]string, error) {
		return func(_ context.Context, wants []fetch.Want) ([]string, error) {
			out := make([]string, len(wants))
			var errs []error
			for i, w := range wants {
				if !reach && strings.HasPrefix(w.Name, "pip-") {
					errs = append(errs, offline)
					continue
				}
				out[i] = files[w.URL]
			}
			return out, errors.Join(errs...)
		}
	}

	dir := t.TempDir()
	added, missed, failed, err := Fill(context.Background(), dir, needs, get(false))
	if err != nil || failed != nil {
		t.Fatalf("Fill: err %v, failed %v", err, failed)
	}
	if added != 2 || len(missed) != 1 || missed[0].File.Name != "pip-24.0-py3-none-any.whl" || !errors.Is(missed[0].Err, offline) || missed[0].File.Instead != "without pip-24.0-py3-none-any.whl" {
		t.Fatalf("Fill: added %d, missed %+v; want 2 and the pip wheel", added, missed)
	}
	if _, err := os.Stat(filepath.Join(dir, "pip-24.0-py3-none-any.whl")); err == nil {
		t.Error("the missed wheel is in the folder")
	}
	ix, err := ReadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ix.Files) != 2 {
		t.Errorf("index lists %d files, want 2", len(ix.Files))
	}

	added, missed, failed, err = Fill(context.Background(), dir, needs, get(true))
	if err != nil || failed != nil || len(missed) != 0 || added != 3 {
		t.Fatalf("Fill with the network: added %d, missed %v, failed %v, err %v", added, missed, failed, err)
	}
	if ix, err = ReadIndex(dir); err != nil || len(ix.Files) != 3 {
		t.Errorf("index: %v, %v; want 3 files", ix, err)
	}
}
