package venv

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/envup/envup/internal/system"
)

func TestParseMetadataRealFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file     string
		name     string
		version  string
		requires []string // nil: not compared beyond the count
		nreq     int
	}{
		{"requests-2.34.2.METADATA", "requests", "2.34.2", []string{
			"charset_normalizer<4,>=2", "idna<4,>=2.5", "urllib3<3,>=1.26", "certifi>=2023.5.7",
			`PySocks!=1.5.7,>=1.5.6; extra == "socks"`, `chardet<8,>=3.0.2; extra == "use-chardet-on-py3"`,
		}, 6},
		{"pickleshare-0.7.5.METADATA", "pickleshare", "0.7.5", []string{`pathlib2; python_version in "2.6 2.7 3.2 3.3"`}, 1},
		{"python_dateutil-2.9.0.post0.METADATA", "python-dateutil", "2.9.0.post0", nil, 1},
		{"setuptools-41.2.0.METADATA", "setuptools", "41.2.0", nil, 2},
		{"PyYAML-6.0.METADATA", "PyYAML", "6.0", nil, 0},
		{"toml-0.10.2.PKG-INFO", "toml", "0.10.2", nil, 0}, // folded Description header
		{"lazr.uri-1.0.6.PKG-INFO", "lazr.uri", "1.0.6", nil, 0},
		{"wsgiref.egg-info", "wsgiref", "0.1.2", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", "metadata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			m, err := ParseMetadata(data)
			if err != nil {
				t.Fatal(err)
			}
			if m.Name != tt.name || m.Version != tt.version {
				t.Errorf("got %s %s, want %s %s", m.Name, m.Version, tt.name, tt.version)
			}
			if len(m.Requires) != tt.nreq {
				t.Errorf("got %d Requires-Dist %q, want %d", len(m.Requires), m.Requires, tt.nreq)
			}
			if tt.requires != nil && !slices.Equal(m.Requires, tt.requires) {
				t.Errorf("Requires-Dist:\n got %q\nwant %q", m.Requires, tt.requires)
			}
		})
	}
}

func TestParseMetadataEdges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in     string
		wantN, wantV string
		wantErr      bool
	}{
		{"crlf", "Metadata-Version: 2.1\r\nName: Foo\r\nVersion: 1.0\r\n\r\nName: body\r\n", "Foo", "1.0", false},
		{"lower case keys", "metadata-version: 1.0\nname: foo\nversion: 2\n", "foo", "2", false},
		{"body not read", "Name: foo\nVersion: 1\n\nVersion: 9\n", "foo", "1", false},
		{"folded value skipped", "Name: foo\nDescription: a\n        Version: 9\nVersion: 3\n", "foo", "3", false},
		{"no version", "Name: foo\n", "", "", true},
		{"empty", "", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := ParseMetadata([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr && (m.Name != tt.wantN || m.Version != tt.wantV) {
				t.Errorf("got %s %s, want %s %s", m.Name, m.Version, tt.wantN, tt.wantV)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"PyYAML":             "pyyaml",
		"python_dateutil":    "python-dateutil",
		"zope.interface":     "zope-interface",
		"Foo__Bar--baz..Qux": "foo-bar-baz-qux",
		"lazr.restfulclient": "lazr-restfulclient",
		"a-_.b":              "a-b",
		"x":                  "x",
		"":                   "",
	}
	for in, want := range tests {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRequiresTxt(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "metadata", "lazr.restfulclient-0.14.5.requires.txt"))
	if err != nil {
		t.Fatal(err)
	}
	got := parseRequiresTxt(string(data))
	want := []string{
		`httplib2 ; (python_version < "3")`,
		`Sphinx ; extra == "docs"`,
		`fixtures>=1.3.0 ; extra == "test"`,
		`lazr.authentication ; extra == "test"`,
		`lazr.restful>=0.11.0 ; extra == "test"`,
		`oauth ; extra == "test"`,
		`testtools ; extra == "test"`,
		`wsgi_intercept ; extra == "test"`,
		`zope.testrunner ; extra == "test"`,
		`mock ; extra == "test" and (python_version < "3")`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
	for _, line := range got {
		if _, err := ParseRequirement(line, ""); err != nil {
			t.Errorf("%q does not parse back: %v", line, err)
		}
	}
}

// writeDist makes an installed distribution in site: a .dist-info folder
// with METADATA (or, with egg, an .egg-info folder with PKG-INFO).
func writeDist(t testing.TB, site, name, version string, requires ...string) {
	t.Helper()
	dir := filepath.Join(site, Normalize(name)+"-"+version+".dist-info")
	body := "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\nSummary: test\n"
	for _, r := range requires {
		body += "Requires-Dist: " + r + "\n"
	}
	body += "\nA long description.\n"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "METADATA"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReadSite(t *testing.T) {
	t.Parallel()
	site := t.TempDir()
	writeDist(t, site, "requests", "2.31.0")
	writeDist(t, site, "PyYAML", "6.0.1")
	// Debian ships some packages twice: the dist-info wins.
	egg := filepath.Join(site, "cryptography.egg-info")
	mustWrite(t, filepath.Join(egg, "PKG-INFO"), "Metadata-Version: 2.1\nName: cryptography\nVersion: 1.0\n")
	writeDist(t, site, "cryptography", "38.0.4")
	// an egg-info folder, an egg-info file, a broken dist-info
	mustWrite(t, filepath.Join(site, "toml-0.10.2.egg-info", "PKG-INFO"), readTestdata(t, "metadata/toml-0.10.2.PKG-INFO"))
	mustWrite(t, filepath.Join(site, "wsgiref.egg-info"), readTestdata(t, "metadata/wsgiref.egg-info"))
	if err := os.MkdirAll(filepath.Join(site, "broken_pkg-0.3.dist-info"), 0o755); err != nil {
		t.Fatal(err)
	}
	// a develop install: the link names a project folder with an egg-info
	proj := t.TempDir()
	mustWrite(t, filepath.Join(proj, "mylib.egg-info", "PKG-INFO"), "Metadata-Version: 1.0\nName: mylib\nVersion: 0.1.dev0\n")
	mustWrite(t, filepath.Join(site, "mylib.egg-link"), proj+"\n.\n")
	// noise
	mustWrite(t, filepath.Join(site, "distutils-precedence.pth"), "import os\n")
	mustWrite(t, filepath.Join(site, "requests", "__init__.py"), "")

	got := map[string]*Dist{}
	readSite(system.NewReal(), site, joiner{}, got)
	want := map[string]string{
		"requests": "2.31.0", "pyyaml": "6.0.1", "cryptography": "38.0.4", "toml": "0.10.2",
		"wsgiref": "0.1.2", "broken-pkg": "0.3", "mylib": "0.1.dev0",
	}
	if v := versions(got); !mapsEqual(v, want) {
		t.Errorf("got %v\nwant %v", v, want)
	}
	readSite(system.NewReal(), filepath.Join(site, "missing"), joiner{}, got) // no error, nothing added
}

func mustWrite(t testing.TB, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}
