// Package release checks what a release of envup ships: the archives
// .goreleaser.yml makes (their names and files, evaluated with the glob
// library goreleaser itself uses), and install.sh and install.ps1, which
// fetch them. The checks of the config and the scripts' text run in plain
// `go test`; install_test.go (build tag release) builds a release the way
// the config says, serves it on loopback and runs install.sh against it
// (see docs/install.md).
package release

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"

	"github.com/goreleaser/fileglob"
	"gopkg.in/yaml.v3"
)

// root is the project root, from this package's folder.
const root = "../.."

// goreleaserConfig is the part of .goreleaser.yml the tests read.
type goreleaserConfig struct {
	ProjectName string `yaml:"project_name"`
	Builds      []struct {
		ID      string     `yaml:"id"`
		Main    string     `yaml:"main"`
		Binary  string     `yaml:"binary"`
		Env     []string   `yaml:"env"`
		Flags   []string   `yaml:"flags"`
		Ldflags []string   `yaml:"ldflags"`
		Goos    []string   `yaml:"goos"`
		Goarch  []string   `yaml:"goarch"`
		Ignore  []platform `yaml:"ignore"`
	} `yaml:"builds"`
	Archives []struct {
		ID              string   `yaml:"id"`
		Formats         []string `yaml:"formats"`
		FormatOverrides []struct {
			Goos    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
		NameTemplate string   `yaml:"name_template"`
		Files        []string `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
		Algorithm    string `yaml:"algorithm"`
	} `yaml:"checksum"`
}

func readConfig(t testing.TB) *goreleaserConfig {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, ".goreleaser.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var c goreleaserConfig
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatalf(".goreleaser.yml: %v", err)
	}
	if len(c.Builds) != 1 || len(c.Archives) != 1 {
		t.Fatalf(".goreleaser.yml: %d builds and %d archives; the tests know one of each", len(c.Builds), len(c.Archives))
	}
	return &c
}

// platform is a GOOS and GOARCH.
type platform struct {
	Goos   string `yaml:"goos"`
	Goarch string `yaml:"goarch"`
}

// platforms are the builds' targets, less the ignored ones.
func (c *goreleaserConfig) platforms() []platform {
	var ps []platform
	b := c.Builds[0]
	for _, goos := range b.Goos {
		for _, goarch := range b.Goarch {
			if p := (platform{goos, goarch}); !slices.Contains(b.Ignore, p) {
				ps = append(ps, p)
			}
		}
	}
	return ps
}

// tmplData is what goreleaser's templates see, as far as ours use it.
type tmplData struct {
	ProjectName, Version, Os, Arch string
}

// render applies a goreleaser template (Go text/template, as goreleaser's).
func render(t testing.TB, text string, data tmplData) string {
	t.Helper()
	tmpl, err := template.New("").Option("missingkey=error").Parse(text)
	if err != nil {
		t.Fatalf("template %q: %v", text, err)
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, data); err != nil {
		t.Fatalf("template %q: %v", text, err)
	}
	return b.String()
}

// archiveName is the archive of one platform, with its extension.
func (c *goreleaserConfig) archiveName(t testing.TB, version, goos, goarch string) string {
	a := c.Archives[0]
	format := "tar.gz"
	if len(a.Formats) > 0 {
		format = a.Formats[0]
	}
	for _, o := range a.FormatOverrides {
		if o.Goos == goos {
			format = o.Formats[0]
		}
	}
	return render(t, a.NameTemplate, tmplData{c.ProjectName, version, goos, goarch}) + "." + format
}

// archiveFiles is what the archive holds beside the binary, each file by
// its path in the archive (relative to root), as goreleaser's archivefiles
// evaluates `files:` entries without dst: each glob through
// goreleaser/fileglob from the project root, a matched folder taken whole,
// the path kept. A glob that matches nothing fails (goreleaser only warns).
func archiveFiles(t testing.TB, c *goreleaserConfig) []string {
	t.Helper()
	var files []string
	for _, glob := range c.Archives[0].Files {
		matches, err := fileglob.Glob(glob, fileglob.WithFs(os.DirFS(root)))
		if err != nil {
			t.Fatalf(".goreleaser.yml: archives files %q: %v", glob, err)
		}
		if len(matches) == 0 {
			t.Errorf(".goreleaser.yml: archives files %q matches nothing", glob)
		}
		files = append(files, matches...)
	}
	slices.Sort(files)
	return slices.Compact(files)
}

// TestArchiveFiles: the archive holds every file under recipes/ (the
// recipes README's first command names, in the folder itself, and their
// fonts, demos and includes), the docs, README and LICENSE.
func TestArchiveFiles(t *testing.T) {
	t.Parallel()
	files := archiveFiles(t, readConfig(t))
	var want []string
	for _, dir := range []string{"recipes", "docs"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(root, path)
				want = append(want, filepath.ToSlash(rel))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	want = append(want, "LICENSE", "README.md")
	for _, f := range append(readmeRecipes(t), "recipes/ci-python.yml") {
		if !slices.Contains(want, f) {
			t.Fatalf("%s is not in the tree", f)
		}
	}
	for _, f := range want {
		if !slices.Contains(files, f) {
			t.Errorf("the archive lacks %s", f)
		}
	}
	if len(files) != len(want) {
		t.Errorf("the archive holds %d files, want %d: %q", len(files), len(want), files)
	}
	t.Logf("%d files in the archive beside the binary", len(files))
}

// TestRecipesGlobBefore: the glob the archive had before, recipes/**/*,
// takes only the files in recipes' sub-folders (fileglob's "**" matches
// across separators but the "/" after it is literal): the archive lacked
// study-hall.yml, the recipe README's first command names.
func TestRecipesGlobBefore(t *testing.T) {
	t.Parallel()
	matches, err := fileglob.Glob("recipes/**/*", fileglob.WithFs(os.DirFS(root)))
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(matches, "recipes/study-hall.yml") || slices.Contains(matches, "recipes/ci-python.yml") {
		t.Errorf("recipes/**/* matches a recipe in recipes/ itself: %q", matches)
	}
	if !slices.Contains(matches, "recipes/common/build-tools.yml") {
		t.Errorf("recipes/**/* lacks recipes/common/build-tools.yml: %q", matches)
	}
}

// readmeRecipes are the recipe files README's first set-up command names:
// the first line of its sh blocks that names a recipes/*.yml.
func readmeRecipes(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	inSh := false
	for line := range strings.Lines(string(data)) {
		switch {
		case strings.HasPrefix(line, "```"):
			inSh = strings.TrimSpace(line) == "```sh"
			continue
		case !inSh || strings.HasPrefix(line, "#"):
			continue
		}
		var recipes []string
		for _, f := range strings.Fields(line) {
			if strings.HasPrefix(f, "recipes/") && strings.HasSuffix(f, ".yml") && !slices.Contains(recipes, f) {
				recipes = append(recipes, f)
			}
		}
		if len(recipes) > 0 {
			return recipes
		}
	}
	t.Fatal("README.md: no sh block names a recipes/*.yml")
	return nil
}

// scriptPattern is the archive name pattern a script matches in
// checksums.txt, read from its one line that sets it.
func scriptPattern(t *testing.T, script, line string, vars map[string]string) *regexp.Regexp {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, script))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(line).FindSubmatch(data)
	if m == nil {
		t.Fatalf("%s: no line matching %s", script, line)
	}
	p := string(m[1])
	for k, v := range vars {
		p = strings.ReplaceAll(p, k, v)
	}
	re, err := regexp.Compile(p)
	if err != nil {
		t.Fatalf("%s: archive pattern %q: %v", script, p, err)
	}
	return re
}

// TestScriptsAgreeWithConfig: install.sh and install.ps1 fetch what
// goreleaser publishes: checksums.txt of sha256 sums, and archives named
// by the config's template, tar.gz for Linux and macOS, zip for Windows,
// each script taking its own platforms' and no other.
func TestScriptsAgreeWithConfig(t *testing.T) {
	t.Parallel()
	c := readConfig(t)
	if c.Checksum.NameTemplate != "checksums.txt" || c.Checksum.Algorithm != "sha256" {
		t.Errorf(".goreleaser.yml checksum: %q %q, the scripts read checksums.txt of sha256", c.Checksum.NameTemplate, c.Checksum.Algorithm)
	}
	for _, script := range []string{"install.sh", "install.ps1"} {
		data, err := os.ReadFile(filepath.Join(root, script))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"https://github.com/envup/envup", "/releases/latest/download", "/releases/download/v",
			"checksums.txt", "ENVUP_INSTALL_BASE_URL", "ENVUP_INSTALL_DIR", "ENVUP_VERSION"} {
			if !bytes.Contains(data, []byte(want)) {
				t.Errorf("%s does not name %s", script, want)
			}
		}
	}
	ps := c.platforms()
	if len(ps) < 6 {
		t.Fatalf(".goreleaser.yml builds %d platforms: %v", len(ps), ps)
	}
	for _, p := range ps {
		name := c.archiveName(t, "1.2.3-SNAPSHOT-af81d57", p.Goos, p.Goarch)
		for _, goos := range []string{"linux", "darwin", "windows"} {
			sh := scriptPattern(t, "install.sh", `(?m)^\s*pattern="(.*)"$`, map[string]string{"${os}": goos, "${arch}": p.Goarch, `\$`: "$"})
			if want := goos == p.Goos && goos != "windows"; sh.MatchString(name) != want {
				t.Errorf("install.sh on %s/%s takes %s: %v, want %v", goos, p.Goarch, name, !want, want)
			}
		}
		ps1 := scriptPattern(t, "install.ps1", `(?m)^\s*\$pattern = '(.*)' -f \$arch\r?$`, map[string]string{"{0}": p.Goarch})
		if want := p.Goos == "windows"; ps1.MatchString(name) != want {
			t.Errorf("install.ps1 on windows/%s takes %s: %v, want %v", p.Goarch, name, !want, want)
		}
	}
}
