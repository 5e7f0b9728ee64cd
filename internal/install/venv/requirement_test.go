package venv

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseRequirement(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in        string
		name      string
		extras    []string
		spec      string
		url       string
		marker    string
		versioned bool
	}{
		{in: "requests", name: "requests", versioned: true},
		{in: "redis>=4", name: "redis", spec: ">=4", versioned: true},
		{in: "requests[socks,security] >=2.31, <3", name: "requests", extras: []string{"socks", "security"}, spec: ">=2.31, <3", versioned: true},
		{in: "Foo.Bar_baz (>=1.0)", name: "Foo.Bar_baz", spec: ">=1.0", versioned: true},
		{in: "six; python_version < '3'", name: "six", marker: "python_version < '3'", versioned: true},
		{in: "six >= 1.16 ; sys_platform == 'win32'", name: "six", spec: ">= 1.16", marker: "sys_platform == 'win32'", versioned: true},
		{in: "pip @ https://example.test/pip-24.0-py3-none-any.whl", name: "pip", url: "https://example.test/pip-24.0-py3-none-any.whl"},
		{in: "pip@https://example.test/p.whl", name: "pip", url: "https://example.test/p.whl"},
		{in: "tiny[x] @ file:///srv/wheels/tiny-1.0-py3-none-any.whl ; os_name == 'posix'", name: "tiny", extras: []string{"x"}, url: "file:///srv/wheels/tiny-1.0-py3-none-any.whl", marker: "os_name == 'posix'"},
		{in: "https://example.test/wheels/Tiny_Pkg-1.0-py3-none-any.whl", name: "Tiny_Pkg", url: "https://example.test/wheels/Tiny_Pkg-1.0-py3-none-any.whl"},
		{in: "git+https://example.test/repo.git@v1#egg=mylib", name: "mylib", url: "git+https://example.test/repo.git@v1#egg=mylib"},
		{in: "/srv/sdists/python-dateutil-2.9.0.tar.gz", name: "python-dateutil", url: "/srv/sdists/python-dateutil-2.9.0.tar.gz"},
		{in: "/srv/projects/mylib", url: "/srv/projects/mylib"},
		{in: "/srv/w/a-1.0-py3-none-any.whl; python_version >= '3'", name: "a", url: "/srv/w/a-1.0-py3-none-any.whl", marker: "python_version >= '3'"},
		{in: "zope.interface==6.*", name: "zope.interface", spec: "==6.*", versioned: true},
		{in: "Django==3.0RC1", name: "Django", spec: "==3.0RC1", versioned: true}, // pip takes capitals
		{in: "name>=1.0,", name: "name", spec: ">=1.0,", versioned: true},         // an empty clause is skipped
		{in: "foo_", name: "foo_", versioned: true},                               // packaging's \b lets a name end in _
		{in: "name[]", name: "name", versioned: true},
		{in: "name()", name: "name", versioned: true},
		{in: "name\n", name: "name", versioned: true}, // Python's $ before a final newline
		{in: "gopher @ gopher:/foo/com", name: "gopher", url: "gopher:/foo/com"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			r, err := ParseRequirement(tt.in, "/recipe")
			if err != nil {
				t.Fatal(err)
			}
			if r.Name != tt.name || r.Key != Normalize(tt.name) || !slices.Equal(r.Extras, tt.extras) ||
				r.Specifier.String() != tt.spec || r.URL != tt.url || r.Marker != tt.marker || r.versioned() != tt.versioned {
				t.Errorf("got name %q extras %q spec %q url %q marker %q versioned %v",
					r.Name, r.Extras, r.Specifier, r.URL, r.Marker, r.versioned())
			}
		})
	}
}

func TestParseRequirementRelativePath(t *testing.T) {
	t.Parallel()
	r, err := ParseRequirement("./wheels/tiny-1.0-py3-none-any.whl", "/lab/recipe")
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join("/lab/recipe", "wheels", "tiny-1.0-py3-none-any.whl")
	if r.URL != want || r.args()[0] != want || r.Key != "tiny" {
		t.Errorf("got url %q args %q key %q", r.URL, r.args(), r.Key)
	}
	r, err = ParseRequirement(`C:\wheels\tiny-1.0-py3-none-any.whl`, "/lab/recipe")
	if err != nil {
		t.Fatal(err)
	}
	if r.URL != `C:\wheels\tiny-1.0-py3-none-any.whl` || r.Key != "tiny" {
		t.Errorf("a Windows path: got url %q key %q", r.URL, r.Key)
	}
}

func TestParseRequirementErrors(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"", ">=1", "foo[bar", "foo (>=1", "foo >=1 <2", "foo == latest", "foo @ ", "foo @ notaurl",
		"foo; nonsense == 'x'", "foo >=1 junk", "-e",
		// issue 16: packaging refuses these
		"name[bar, baz,]", "foo==1.2.3.post4.*", "foo==2.0a1.*", "foo\r", "foo>=1.0+local", "foo-",
		`foo; os_name == "C:\"`, "foo; extra ==", "foo; 'a' notin os_name",
	} {
		if _, err := ParseRequirement(s, ""); err == nil {
			t.Errorf("ParseRequirement(%q) took it", s)
		}
	}
}

func TestNameFromLocation(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"https://x.test/numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.whl": "numpy",
		"file:///w/zope.interface-6.0.tar.gz":                               "zope.interface",
		"./dist/my-lib-2.0rc1.zip":                                          "my-lib",
		"git+ssh://git@host/r.git#egg=thing&subdirectory=py":                "thing",
		"./project":                     "",
		"https://x.test/archive.tar.gz": "",
	}
	for in, want := range tests {
		if got := nameFromLocation(in); got != want {
			t.Errorf("nameFromLocation(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRequirementsFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "requirements.txt"), strings.Join([]string{
		"# the lab's packages",
		"--index-url https://pypi.example.test/simple",
		"--extra-index-url=https://extra.example.test/simple",
		"-f ./wheels",
		"requests[socks]>=2.31 \\",
		"    ,<3   # pinned below 3",
		"-r sub/more.txt",
		"-c constraints.txt",
		"numpy==1.26.4 \\",
		"    --hash=sha256:aaaa \\",
		"    --hash=sha256:bbbb",
		"-e ./local/project#egg=localproj",
		"./wheels/tiny-1.0-py3-none-any.whl",
		"six ; python_version < '3'",
		"token-${LAB_VERSION}==1.0",
		"https://x.test/w/tiny2-2.0-py3-none-any.whl#sha256=abc",
		"",
	}, "\n"))
	mustWrite(t, filepath.Join(dir, "sub", "more.txt"), "attrs>=23\r\n--pre\r\n-r ../base.txt\r\n")
	mustWrite(t, filepath.Join(dir, "base.txt"), "click\n")
	mustWrite(t, filepath.Join(dir, "constraints.txt"), "requests<2.32\nurllib3<2\n")
	rd := fileReader{read: os.ReadFile, getenv: func(k string) string {
		return map[string]string{"LAB_VERSION": "v2"}[k]
	}, base: dir}
	w := &wanted{}
	if err := w.readFile(rd, filepath.Join(dir, "requirements.txt"), false, map[string]bool{}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range w.reqs {
		got = append(got, r.From+" "+r.line())
	}
	want := []string{
		"requirements.txt:5 requests[socks]>=2.31     ,<3",
		"sub/more.txt:1 attrs>=23",
		"base.txt:1 click",
		"requirements.txt:9 numpy==1.26.4 --hash=sha256:aaaa --hash=sha256:bbbb",
		"requirements.txt:12 -e " + filepath.Join(dir, "local/project#egg=localproj"),
		"requirements.txt:13 " + filepath.Join(dir, "wheels/tiny-1.0-py3-none-any.whl"),
		"requirements.txt:14 six ; python_version < '3'",
		"requirements.txt:15 token-v2==1.0",
		"requirements.txt:16 https://x.test/w/tiny2-2.0-py3-none-any.whl#sha256=abc",
	}
	if !slices.Equal(got, want) {
		t.Errorf("requirements:\n got %q\nwant %q", got, want)
	}
	if r := w.reqs[0]; r.Specifier.String() != ">=2.31     ,<3" || !slices.Equal(r.Extras, []string{"socks"}) {
		t.Errorf("continued line: spec %q extras %q", r.Specifier, r.Extras)
	}
	if r := w.reqs[3]; !slices.Equal(r.Hashes, []string{"sha256:aaaa", "sha256:bbbb"}) || !r.needsFile() {
		t.Errorf("hashes: %q", r.Hashes)
	}
	if r := w.reqs[4]; !r.Editable || r.Key != "localproj" {
		t.Errorf("editable: %+v", r)
	}
	if !w.hashes {
		t.Error("a --hash must turn on hash-checking mode")
	}
	if w.opts.indexURL != "https://pypi.example.test/simple" || !slices.Equal(w.opts.extraIndex, []string{"https://extra.example.test/simple"}) ||
		!slices.Equal(w.opts.findLinks, []string{filepath.Join(dir, "wheels")}) || !w.opts.pre {
		t.Errorf("options: %+v", w.opts)
	}
	if !slices.Equal(w.cFiles, []string{filepath.Join(dir, "constraints.txt")}) {
		t.Errorf("constraints files: %q", w.cFiles)
	}
	if c := w.constraints["requests"]; c.String() != "<2.32" || w.constraints["urllib3"].String() != "<2" {
		t.Errorf("constraints: %v", w.constraints)
	}
}

func TestRequirementsFileErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"loop":           "-r requirements.txt\n",
		"unknown option": "--frobnicate\n",
		"bad line":       "requests >= \n",
		"bad req option": "requests --frob=1\n",
		"missing -r":     "-r nowhere.txt\n",
		"-r no value":    "-r\n",
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			mustWrite(t, filepath.Join(dir, "requirements.txt"), content)
			w := &wanted{}
			rd := fileReader{read: os.ReadFile, getenv: os.Getenv, base: dir}
			err := w.readFile(rd, filepath.Join(dir, "requirements.txt"), false, map[string]bool{})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), "requirements.txt") {
				t.Errorf("error %q does not say which file", err)
			}
		})
	}
}

func TestLogicalLines(t *testing.T) {
	t.Parallel()
	in := "a \\\nb\n# comment \\\nc\n  # indented comment\nd # trailing\nurl#frag\n\\\n"
	var got []string
	for _, l := range logicalLines(in, os.Getenv) {
		got = append(got, l.text)
	}
	want := []string{"a b", "c", "d", "url#frag"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSplitArgs(t *testing.T) {
	t.Parallel()
	got := splitArgs(`--trusted-host 'a host'  -f "./w w" --pre`)
	want := []string{"--trusted-host", "a host", "-f", "./w w", "--pre"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
