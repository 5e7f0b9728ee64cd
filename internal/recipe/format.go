package recipe

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/envup/envup/internal/pep440"
)

// Format is the recipe format version this package reads.
const Format = 1

// The known names of format 1.
var (
	// PackageManagers are the keys of a packages group.
	PackageManagers = []string{"apt", "dnf", "yum", "zypper", "pacman", "apk", "brew", "port", "choco", "scoop", "winget"}
	// VSCodeFlavors are the builds of VS Code an editors.vscode entry can
	// name; the first is the default.
	VSCodeFlavors = []string{"code", "insiders", "vscodium"}
	// JetBrainsEditors are the JetBrains IDEs the editors section knows.
	JetBrainsEditors = []string{"pycharm", "pycharm-ce", "idea", "idea-ce", "goland", "webstorm", "clion", "phpstorm", "rubymine", "rider", "datagrip", "rustrover", "dataspell"}
	// Tools are the interpreters the catalog has.
	Tools = []string{"python", "node"}
	// ServiceKinds are the services envup runs.
	ServiceKinds = []string{"redis", "valkey"}
	// InterpreterSources are where an interpreter can come from; the order
	// is the default.
	InterpreterSources = []string{"existing", "archive", "system", "build"}
	// ServiceSources are where a service can come from; the order is the default.
	ServiceSources = []string{"archive", "build", "system"}
)

// builtinNames are the vars every recipe has (see Builtins).
var builtinNames = []string{"home", "os", "arch"}

// DefaultPort is the port of a redis or valkey service that names none.
const DefaultPort = 6379

// DefaultTimeout is how long a check may run when it names no timeout.
const DefaultTimeout = "60s"

// editorNames lists every editor key, the plain editors first.
func editorNames() []string {
	return append([]string{"vscode", "sublime", "vim", "neovim"}, JetBrainsEditors...)
}

// recipeShape is format 1.
var recipeShape = formatShape()

func formatShape() *shape {
	str := func(doc string) *shape { return &shape{kind: strKind, doc: doc} }
	list := func(doc string, elem *shape) *shape { return &shape{kind: listKind, doc: doc, elem: elem} }
	boolean := func(doc string) *shape { return &shape{kind: boolKind, doc: doc} }
	home := func(doc string) *shape { return &shape{kind: strKind, doc: doc, path: homePath} }
	local := func(doc string, examples ...string) *shape {
		return &shape{kind: strKind, doc: doc, path: localPath, examples: examples}
	}
	url := func(doc string) *shape {
		return &shape{kind: strKind, doc: doc, check: checkURL, pattern: urlPattern, numbers: numbersQuoted, examples: []string{"https://pypi.example.org/simple"}}
	}

	selectorObject := &shape{
		kind: objKind, name: "selector-object", atomic: true,
		doc: "A platform selector, object form.",
		fields: []field{
			{name: "os", shape: &shape{kind: strKind, noVars: true, enum: sortedKeys(osAliases), anyCase: true, what: "os", examples: osNames, doc: "linux, macos (darwin, osx) or windows; any case."}},
			{name: "distro", shape: &shape{kind: strKind, noVars: true, doc: "A Linux distro, matched against ID and ID_LIKE of os-release."}},
			{name: "name", shape: &shape{kind: strKind, noVars: true, numbers: numbersIntegers, examples: nameExamples(), doc: "A release name: xp, 7, lion, mountain lion; on Linux the codename."}},
			{name: "version", shape: &shape{kind: strKind, noVars: true, numbers: numbersIntegers, examples: []string{"10.7", "< 6.1", ">= 22.04"}, doc: `A release line ("10.7") or a constraint ("< 6.1") on the OS version.`}},
			{name: "arch", shape: &shape{kind: strKind, noVars: true, enum: sortedKeys(archAliases), anyCase: true, what: "arch", examples: archNames, doc: "amd64, arm64, 386 (x86_64, x64, aarch64, x86 accepted); any case."}},
			{name: "libc", shape: &shape{kind: strKind, noVars: true, enum: sortedKeys(libcAliases), anyCase: true, what: "libc", examples: libcNames, doc: "glibc (gnu) or musl (Linux only); any case."}},
		},
	}
	when := &shape{
		kind: whenKind, name: "selector", noVars: true, atomic: true, elem: selectorObject,
		examples: []string{"linux", "windows < 6.1", "macos lion", "linux ubuntu >= 22.04"},
		doc:      `Where this applies: "OS", "OS CONSTRAINT", "OS NAME" ("windows < 6.1", "macos lion", "linux ubuntu >= 22.04") or the object form.`,
	}

	download := &shape{
		kind: objKind, name: "download", atomic: true,
		doc: "A file to fetch, pinned by its sha256.",
		fields: []field{
			{name: "url", shape: &shape{kind: strKind, check: checkURL, pattern: urlPattern, numbers: numbersQuoted, doc: "Where to fetch it (http or https).", examples: []string{"https://example.org/redis-7.2.4.tar.gz"}}, required: true},
			{
				name: "sha256", shape: &shape{kind: strKind, check: checkSHA256, pattern: sha256Re.String(), numbers: numbersQuoted, doc: "Its sha256, 64 hex digits.", examples: sha256Examples},
				required: true, why: "every download is pinned by its sha256",
			},
		},
	}

	groupFields := make([]field, 0, len(PackageManagers)+1)
	for _, m := range PackageManagers {
		groupFields = append(groupFields, field{name: m, shape: list("Package names for "+m+".", str(""))})
	}
	groupFields = append(groupFields, field{name: "when", shape: when})
	packageGroup := &shape{
		kind: objKind, name: "package-group", what: "package manager", fields: groupFields,
		doc: "A logical name for OS packages: per package manager, the names to install there.",
	}

	interpreter := &shape{
		kind: objKind, name: "interpreter", doc: "A language runtime from the catalog, or an archive the recipe brings.",
		fields: []field{
			{name: "tool", shape: &shape{kind: strKind, enum: Tools, what: "tool", doc: "python or node; defaults to the key."}},
			{name: "version", shape: &shape{kind: strKind, check: checkConstraint, numbers: numbersIntegers, doc: `A version constraint: "3.12" (newest 3.12.x), "3.12.7", ">= 3.2, < 3.13".`, examples: []string{"3.12", "3.12.7", ">= 3.8, < 3.13"}}, required: true},
			{name: "sources", shape: &shape{
				kind: listKind, unique: true, nonEmpty: true, doc: "Where to get it, tried in order; default existing, archive, system, build.",
				elem: &shape{kind: strKind, enum: InterpreterSources, what: "source"},
			}},
			{name: "default", shape: boolean("Link python/python3 (node) into the bin dir.")},
			{name: "archive", shape: download},
			{name: "when", shape: when},
		},
	}

	virtualenv := &shape{
		kind: objKind, name: "virtualenv", doc: "A Python virtual environment.",
		fields: []field{
			{name: "path", shape: &shape{kind: strKind, path: destPath, check: checkDest, pattern: destPattern, numbers: numbersQuoted, doc: "Where it lives; absolute or ~/...", examples: []string{"~/.venvs/ci"}}, required: true},
			{name: "python", shape: str("The interpreters key it is made from; default python.")},
			{name: "packages", shape: list("pip requirement specifiers.", str(""))},
			{name: "requirements", shape: list("Requirements files, relative to the recipe.", local("", "requirements.txt"))},
			{name: "find_links", shape: list("Folders (relative to the recipe) or URLs of wheels.", local("", "wheels"))},
			{name: "offline", shape: boolean("Never touch a package index.")},
			{name: "index_url", shape: url("The package index pip uses instead of PyPI (http or https).")},
			{name: "extra_index_urls", shape: list("More package indexes pip searches (http or https).", url(""))},
			{name: "exact", shape: boolean("Remove the packages the recipe does not name.")},
			{name: "system_site_packages", shape: boolean("Let the venv see the interpreter's own packages.")},
			{name: "prompt", shape: &shape{kind: strKind, nonEmpty: true, doc: "The name shown in the shell prompt when it is active."}},
			{name: "pip", shape: &shape{kind: strKind, check: checkPip, numbers: numbersIntegers, doc: `A PEP 440 specifier for pip itself: "==23.2.1", "<24"; a bare version means ==.`, examples: []string{"<24", "==23.2.1"}}},
			{name: "when", shape: when},
		},
	}

	service := &shape{
		kind: objKind, name: "service", doc: "A redis or valkey server envup installs, configures and starts.",
		fields: []field{
			{name: "kind", shape: &shape{kind: strKind, enum: ServiceKinds, what: "kind", doc: "redis or valkey; defaults to the key."}},
			{name: "version", shape: &shape{kind: strKind, check: checkConstraint, numbers: numbersIntegers, doc: "A version constraint.", examples: []string{"7.2", "8"}}, required: true},
			{name: "sources", shape: &shape{
				kind: listKind, unique: true, nonEmpty: true, doc: "Where to get it, tried in order; default archive, build, system.",
				elem: &shape{kind: strKind, enum: ServiceSources, what: "source"},
			}},
			{name: "port", shape: &shape{kind: intKind, min: 1, max: 65535, doc: "TCP port; default 6379."}},
			{name: "config", shape: &shape{kind: dictKind, elem: str(""), doc: "Config directives: maxmemory: 64mb."}},
			{name: "start", shape: boolean("Start it after apply.")},
			{name: "archive", shape: download},
			{name: "source", shape: download},
			{name: "when", shape: when},
		},
	}

	font := &shape{
		kind: objKind, name: "font", doc: "A font family to install for the user: url with sha256, or path.",
		groups: [][]string{{"url", "sha256"}, {"path"}},
		fields: []field{
			{name: "url", shape: &shape{kind: strKind, check: checkURL, pattern: urlPattern, numbers: numbersQuoted, doc: "Where to fetch the font file.", examples: []string{"https://example.org/Mono.ttf"}}},
			{
				name: "sha256", shape: &shape{kind: strKind, check: checkSHA256, pattern: sha256Re.String(), numbers: numbersQuoted, doc: "Its sha256.", examples: sha256Examples},
				why: "every download is pinned by its sha256",
			},
			{name: "path", shape: local("A font file, relative to the recipe.", "fonts/Mono.ttf")},
			{name: "when", shape: when},
		},
	}

	settings := &shape{kind: dictKind, elem: &shape{kind: anyKind}, doc: "Settings merged into the editor's settings file."}
	editorFont := &shape{
		kind: objKind, name: "editor-font", doc: "A JetBrains editor font.",
		fields: []field{
			{name: "family", shape: str("The font family."), required: true},
			{name: "size", shape: &shape{kind: intKind, min: 1, max: 500, doc: "Size in points."}},
			{name: "line_spacing", shape: &shape{kind: numKind, positive: true, doc: "Line spacing, a factor: 1.2."}},
			{name: "ligatures", shape: boolean("Show the font's ligatures.")},
		},
	}
	options := &shape{
		kind: dictKind, doc: "options/<file> -> component -> option = value.",
		elem: &shape{kind: dictKind, elem: &shape{kind: dictKind, elem: &shape{kind: strKind, textAny: true}}},
	}
	editorShape := func(name, owner, doc string, fields ...field) *shape {
		return &shape{kind: objKind, name: name, owner: owner, doc: doc, fields: append(fields, field{name: "when", shape: when})}
	}
	vscode := editorShape("vscode", "vscode", "VS Code user settings and extensions.",
		field{name: "settings", shape: settings},
		field{name: "flavor", shape: &shape{kind: strKind, enum: VSCodeFlavors, what: "flavor", doc: "Which build: code (the default), insiders or vscodium."}},
		field{name: "extensions", shape: &shape{
			kind: listKind, unique: true, doc: "Extensions to install, by id (publisher.name).",
			elem: &shape{kind: strKind, check: checkExtension, pattern: extensionRe.String(), numbers: numbersQuoted, examples: []string{"ms-python.python"}},
		}})
	sublime := editorShape("sublime", "sublime", "Sublime Text user preferences.", field{name: "settings", shape: settings})
	vim := editorShape("vim", "vim", "Lines kept in the vimrc.", field{name: "lines", shape: list("vimrc lines.", str(""))})
	neovim := editorShape("neovim", "neovim", "Lines kept in init.vim.", field{name: "lines", shape: list("init.vim lines.", str(""))})
	jetbrains := editorShape("jetbrains", "JetBrains IDEs", "A JetBrains IDE's options.",
		field{name: "version", shape: &shape{
			kind: strKind, check: checkJetBrainsVersion, pattern: jetbrainsVersionRe.String(), numbers: numbersQuoted,
			doc: `The IDE version to configure, "2024.3"; default the newest installed.`, examples: []string{"2024.3", "2024.3.1"},
		}},
		field{name: "font", shape: editorFont}, field{name: "options", shape: options})
	editors := &shape{
		kind: dictKind, keys: editorNames(), keyWhat: "editor",
		doc: "Editor settings, by editor: vscode, sublime, vim, neovim, or a JetBrains IDE.",
		elemFor: func(key string) *shape {
			switch key {
			case "vscode":
				return vscode
			case "sublime":
				return sublime
			case "vim":
				return vim
			case "neovim":
				return neovim
			}
			for _, j := range JetBrainsEditors {
				if key == j {
					return jetbrains
				}
			}
			return nil
		},
	}

	file := &shape{
		kind: objKind, name: "file", doc: "A file the recipe owns: content or source.",
		groups: [][]string{{"content"}, {"source"}},
		fields: []field{
			{name: "content", shape: &shape{kind: strKind, nul: true, doc: "The text of the file."}},
			{name: "source", shape: local("A file beside the recipe to copy.", "files/bashrc")},
			{name: "mode", shape: &shape{kind: strKind, check: checkMode, pattern: modeRe.String(), numbers: numbersOctal, doc: `Octal permissions, quoted: "0644".`, examples: []string{"0644", "0755"}}},
			{name: "vars", shape: boolean("Expand ${vars} inside the source's text.")},
			{name: "when", shape: when},
		},
	}

	check := &shape{
		kind: objKind, name: "check", doc: "A command run after apply and by envup check.",
		groups: [][]string{{"expect"}, {"expect_re"}}, maybe: true,
		fields: []field{
			{name: "name", shape: str("What it checks."), required: true},
			{name: "run", shape: &shape{kind: listKind, nonEmpty: true, program: true, doc: "The command and its arguments.", elem: &shape{kind: strKind, path: homePath, examples: []string{"python3"}}}, required: true},
			{name: "expect", shape: str("A substring stdout must contain.")},
			{name: "expect_re", shape: &shape{kind: strKind, check: checkRegexp, doc: "A regular expression stdout must match.", examples: []string{`^Python 3\.12`}}},
			{name: "timeout", shape: &shape{kind: strKind, check: checkDuration, numbers: numbersQuoted, doc: `How long it may run, "30s"; default 60s.`, examples: []string{"30s", "2m"}}},
			{name: "when", shape: when},
		},
	}

	vars := &shape{
		kind: dictKind, keyRe: varNameRe, elem: home(""), reserved: builtinNames, ordered: true,
		doc: "Values for ${name} in any string.",
	}
	sections := []field{
		{name: "packages", shape: &shape{kind: dictKind, elem: packageGroup, doc: "OS packages by logical name."}},
		{name: "interpreters", shape: &shape{kind: dictKind, elem: interpreter, doc: "Language runtimes."}},
		{name: "virtualenvs", shape: &shape{kind: dictKind, elem: virtualenv, doc: "Python virtual environments."}},
		{name: "services", shape: &shape{kind: dictKind, elem: service, doc: "Services."}},
		{name: "fonts", shape: &shape{kind: dictKind, elem: font, doc: "Fonts, by family name."}},
		{name: "editors", shape: editors},
		{name: "files", shape: &shape{kind: dictKind, elem: file, keyPath: destPath, doc: "Files, by destination path."}},
		{name: "checks", shape: &shape{kind: listKind, elem: check, doc: "Checks, run in order."}},
	}

	override := &shape{
		kind: objKind, name: "override", over: true, doc: "Sections merged on top of the recipe where when matches.",
		fields: append([]field{
			{name: "when", shape: when, required: true},
			{name: "vars", shape: vars},
		}, sections...),
	}

	top := []field{
		{
			name: "envup", shape: &shape{kind: intKind, check: checkFormat, min: Format, max: Format, doc: "The format version: 1."}, required: true,
			why: `a recipe starts with "envup: 1"`,
		},
		{name: "name", shape: str("The recipe's name.")},
		{name: "description", shape: str("What it sets up.")},
		{name: "mirror", shape: home("A folder or URL searched first for every download.")},
		{name: "vars", shape: vars},
		{name: "include", shape: &shape{
			kind: listKind, doc: "Recipes merged first, relative to this file.",
			elem: &shape{kind: strKind, noVars: true, nonEmpty: true, examples: []string{"common/build-tools.yml"}},
		}},
	}
	top = append(top, sections...)
	top = append(top, field{name: "platforms", shape: &shape{
		kind: listKind, elem: override,
		doc: "Overrides merged on top, in order, where their when matches.",
	}})
	return &shape{
		kind: objKind, name: "recipe", fields: top,
		doc: "An envup recipe, format 1: what a developer machine should have.",
	}
}

// Value checks. Each returns "" for a good value, else what is wrong.

func checkFormat(v string) string {
	n, err := strconv.Atoi(v)
	if err != nil || n == Format {
		return ""
	}
	return fmt.Sprintf("format %s is not supported (this envup reads format %d)", v, Format)
}

func checkConstraint(v string) string {
	if strings.TrimSpace(v) == "" {
		return "empty version"
	}
	if _, err := version.NewConstraint(v); err != nil {
		return fmt.Sprintf("bad version constraint %q", v)
	}
	return ""
}

var sha256Re = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)

// urlPattern and destPattern say in the schema what checkURL and
// checkDest check.
const (
	urlPattern  = `^https?://`
	destPattern = `^(?:[/\\]|[A-Za-z]:[/\\]|~(?:$|[/\\]))`
)

var sha256Examples = []string{"8d3a5e4c0b6e0f1c3a9d2b7e4f6a1c8b5d0e3f7a2c9b4e6d1f8a3c5b7e0d2f4a"}

func checkSHA256(v string) string {
	if sha256Re.MatchString(v) {
		return ""
	}
	return fmt.Sprintf("%q is not a sha256 (64 hex digits)", v)
}

func checkURL(v string) string {
	if strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://") {
		return ""
	}
	return fmt.Sprintf("%q is not an http or https URL", v)
}

// pipSpecifier is the specifier set a virtualenv's pip value means: a
// bare version, "23.2.1", is "==23.2.1".
func pipSpecifier(v string) string {
	v = strings.TrimSpace(v)
	if v != "" && !strings.ContainsAny(v, "~=!<>,") {
		return "==" + v
	}
	return v
}

func checkPip(v string) string {
	if set, err := pep440.ParseSpecifierSet(pipSpecifier(v)); err == nil && !set.Empty() {
		return ""
	}
	return fmt.Sprintf(`bad pip specifier %q (PEP 440: "==23.2.1", "<24", ">=23, <25" or a bare version)`, v)
}

// extensionRe is a VS Code extension id, publisher.name, as VS Code
// itself checks it.
var extensionRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*\.[A-Za-z0-9][A-Za-z0-9-]*$`)

func checkExtension(v string) string {
	if extensionRe.MatchString(v) {
		return ""
	}
	return fmt.Sprintf(`%q is not an extension id like "ms-python.python" (publisher.name)`, v)
}

// jetbrainsVersionRe is a JetBrains release: year.release, maybe .fix.
var jetbrainsVersionRe = regexp.MustCompile(`^20[0-9]{2}\.[0-9]+(\.[0-9]+)?$`)

func checkJetBrainsVersion(v string) string {
	if jetbrainsVersionRe.MatchString(v) {
		return ""
	}
	return fmt.Sprintf(`%q is not a JetBrains version like "2024.3" or "2024.3.1"`, v)
}

var modeRe = regexp.MustCompile(`^[0-7]{3,4}$`)

func checkMode(v string) string {
	if modeRe.MatchString(v) {
		return ""
	}
	return fmt.Sprintf(`%q is not an octal file mode like "0644"`, v)
}

func checkRegexp(v string) string {
	if _, err := regexp.Compile(v); err != nil {
		return "bad regexp: " + strings.TrimPrefix(err.Error(), "error parsing regexp: ")
	}
	return ""
}

func checkDuration(v string) string {
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		return fmt.Sprintf(`%q is not a duration like "30s" or "2m"`, v)
	case d <= 0:
		return fmt.Sprintf("%q is not a positive duration", v)
	}
	return ""
}

// checkDest checks a path on the target host: absolute, or under ~.
func checkDest(v string) string {
	if isAbs(v) || v == "~" || strings.HasPrefix(v, "~/") || strings.HasPrefix(v, `~\`) {
		return ""
	}
	return fmt.Sprintf("%q must be absolute or start with ~/", v)
}

var driveRe = regexp.MustCompile(`^[A-Za-z]:[\\/]`)

// isAbs tells whether a path is absolute on any OS: "/x", `\\server\x`, "C:\x".
func isAbs(p string) bool {
	return strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\`) || driveRe.MatchString(p)
}
