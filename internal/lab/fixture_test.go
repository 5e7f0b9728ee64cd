package lab

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/snapshot"
	"github.com/envup/envup/internal/system"
)

// The recipe the tests' lab shows the room against: the font and the VS
// Code settings are what a snapshot records, so a seat's drift from it
// has something to say.
const labRecipe = `envup: 1
fonts:
  DejaVu Sans Mono: {path: DejaVuSansMono.ttf}
editors:
  vscode:
    settings: {"editor.fontSize": 14}
files:
  ~/lab/README.txt: {content: "Start redis, then run seats.py\n"}
`

// labColumns are labRecipe's resources as a seat reports them.
var labColumns = []string{"font/DejaVu Sans Mono", "editor/vscode", "file/~/lab/README.txt"}

// fontFile is a real font (recipes/fonts/README.txt says where it is from).
const fontFile = "../../recipes/fonts/DejaVuSansMono.ttf"

// seatKinds are the machines the tests' seats are, each a real snapshot
// of a temp HOME taken with envup's own code (snapshot.Take through
// system.Real): "ready" has the font and VS Code's font size 14, as the
// recipe wants; "nofont" lacks the font; "bigfont" has font size 16.
var seatKinds = []string{"ready", "nofont", "bigfont"}

var (
	snapsOnce sync.Once
	snaps     map[string][]byte
	snapsErr  error
)

// realSnapshots takes the seats' snapshots once per test binary. It sets
// PATH to nowhere while it runs, so no interpreter on this machine is
// asked its version (the snapshots do not depend on the machine).
func realSnapshots(t *testing.T) map[string][]byte {
	t.Helper()
	snapsOnce.Do(func() {
		dir, err := os.MkdirTemp("", "envup-lab-snap-")
		if err != nil {
			snapsErr = err
			return
		}
		defer os.RemoveAll(dir)
		oldPath := os.Getenv("PATH")
		os.Setenv("PATH", filepath.Join(dir, "nowhere"))
		defer os.Setenv("PATH", oldPath)
		ttf, err := os.ReadFile(fontFile)
		if err != nil {
			snapsErr = err
			return
		}
		snaps = map[string][]byte{}
		for _, kind := range seatKinds {
			home := filepath.Join(dir, kind)
			size := 14
			if kind == "bigfont" {
				size = 16
			}
			files := map[string][]byte{
				".config/Code/User/settings.json": fmt.Appendf(nil, "{\n  // the lab's\n  \"editor.fontSize\": %d,\n}\n", size),
			}
			if kind != "nofont" {
				files[".local/share/fonts/DejaVuSansMono.ttf"] = ttf
			}
			for name, data := range files {
				p := filepath.Join(home, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					snapsErr = err
					return
				}
				if err := os.WriteFile(p, data, 0o644); err != nil {
					snapsErr = err
					return
				}
			}
			p := detect.Platform{OS: "linux", Version: "12", Name: "debian 12", Edition: "Debian GNU/Linux 12 (bookworm)", Arch: "amd64", Home: home,
				Distro: detect.Distro{ID: "debian"}, Dirs: detect.DirsFor("linux", home, func(string) string { return "" })}
			s, err := snapshot.Take(context.Background(), system.NewReal(), p, snapshot.Options{Root: filepath.Join(dir, "root")})
			if err != nil {
				snapsErr = err
				return
			}
			var buf bytes.Buffer
			if err := s.Write(&buf); err != nil {
				snapsErr = err
				return
			}
			snaps[kind] = buf.Bytes()
		}
	})
	if snapsErr != nil {
		t.Fatal(snapsErr)
	}
	return snaps
}

// seatReport is the report of seat host, a machine of kind (seatKinds),
// with the statuses a plan of labRecipe finds there; failed, when set,
// is the VS Code settings' failure.
func seatReport(t *testing.T, host, kind, failed string) []byte {
	t.Helper()
	snap := realSnapshots(t)[kind]
	// The seat's own host name, as its snapshot says it.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(snap, &raw); err != nil {
		t.Fatal(err)
	}
	raw["host"], _ = json.Marshal(host)
	snapJS, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	res := []Resource{
		{ID: labColumns[0], Status: plan.Unchanged, Reason: "DejaVu Sans Mono"},
		{ID: labColumns[1], Status: plan.Unchanged},
		{ID: labColumns[2], Status: plan.Unchanged},
	}
	switch kind {
	case "nofont":
		res[0] = Resource{ID: labColumns[0], Status: plan.Pending, Reason: "create font DejaVu Sans Mono: absent"}
	case "bigfont":
		res[1] = Resource{ID: labColumns[1], Status: plan.Pending, Reason: "update editor.fontSize: 16, the recipe wants 14"}
	}
	if failed != "" {
		res[1] = Resource{ID: labColumns[1], Status: plan.Failed, Reason: failed}
	}
	data, err := json.Marshal(Report{
		Schema: Schema, Sent: time.Now().UTC(), Command: "apply", Host: host, User: "student",
		Platform: "linux/debian/12/amd64", Recipe: Recipe{Name: "lab.yml", Digest: Digest([]byte(labRecipe))},
		Resources: res, Checks: []Check{{Name: "python runs", Passed: failed == ""}}, Snapshot: snapJS,
	})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// testLab is a lab served by httptest, over a store in db.
type testLab struct {
	*httptest.Server
	lab   *Server
	store *Store
	db    string
}

const testToken = "lab-token"

// startLab serves a lab of labRecipe over the store in db (a new one in
// a temp folder when "").
func startLab(t *testing.T, db string) *testLab {
	t.Helper()
	dir := t.TempDir()
	if db == "" {
		db = filepath.Join(dir, "mirror.lab.db")
	}
	path := filepath.Join(dir, "lab.yml")
	ttf, err := os.ReadFile(fontFile)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{path: []byte(labRecipe), filepath.Join(dir, "DejaVuSansMono.ttf"): ttf} {
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	store, err := Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(store, testToken, Lab{
		Name: "lab.yml", Digest: Digest([]byte(labRecipe)), Resources: labColumns,
		Load: func(p detect.Platform) (*recipe.Recipe, error) { return recipe.Load(path, p) },
	})
	l := &testLab{Server: httptest.NewServer(srv), lab: srv, store: store, db: db}
	t.Cleanup(func() {
		srv.Stop()
		l.Close()
		store.Close()
	})
	return l
}

// post sends body as a report with token ("" sends none) and returns the
// status and the answer.
func (l *testLab) post(t *testing.T, token string, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, l.URL+"/api/v1/reports", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := l.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.String()
}

// get decodes the JSON answer of GET path into v.
func (l *testLab) get(t *testing.T, path string, v any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, l.URL+path, http.NoBody)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := l.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

func queryEscape(s string) string { return url.QueryEscape(s) }

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// Count is how many reports the store holds (the tests' count: the
// lab itself never needs it).
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM reports`).Scan(&n)
	return n, err
}
