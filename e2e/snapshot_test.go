//go:build e2e

package e2e

import (
	"encoding/json"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// ciPythonOffline is recipes/ci-python.yml as it is (build tools from apt
// included), with only what this network cannot give replaced: it reaches
// Debian's mirror, not python.org, python-build-standalone or PyPI.
const ciPythonOffline = `envup: 1
name: ci-python-offline
description: ci-python.yml with Debian's own Python 3.11 and wheels.

include: [ci-python.yml]

interpreters:
  python:
    # ci-python wants 3.12 from python-build-standalone or a python.org
    # build, both out of reach: Debian 12's 3.11 from apt instead.
    version: "3.11"
    sources: [system]

virtualenvs:
  ci:
    # PyPI is out of reach: the wheels Debian ships in /usr/share/python-
    # wheels (python3-pip-whl, -setuptools-whl, -wheel-whl), offline. The
    # list replaces ci-python's whole: build, pytest and coverage have no
    # Debian wheel.
    packages: [pip, setuptools, wheel]
    find_links: [/usr/share/python-wheels]
    offline: true

# ci-python's checks ask for 3.12 and pytest, which this recipe cannot
# have; the list replaces them whole, with checks that hold here.
checks:
  - name: python is 3.11
    run: ["${venv_python}", -c, "import sys; print('%d.%d.%d' % sys.version_info[:3])"]
    expect_re: '^3\.11\.\d+$'
  - name: pip runs
    run: ["${venv_python}", -m, pip, --version]
    timeout: 30s
`

// writeRecipes puts a copy of recipes/ci-python.yml and recipes/common/
// into dir on m, and ciPythonOffline beside them; it returns the latter's
// path as m sees it.
func writeRecipes(t *testing.T, m *chrootMachine, dir string) string {
	t.Helper()
	files, err := filepath.Glob("../recipes/common/*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no recipes/common/*.yml: %v", err)
	}
	for _, f := range append(files, "../recipes/ci-python.yml") {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel("../recipes", f)
		writeFile(t, m.path(filepath.Join(dir, rel)), string(data))
	}
	recipe := filepath.Join(dir, "ci-python-offline.yml")
	writeFile(t, m.path(recipe), ciPythonOffline)
	return recipe
}

// difference is one entry of `envup diff --output json`.
type difference struct {
	Path string `json:"path"`
	Kind string `json:"kind"`
	A    string `json:"a"`
	B    string `json:"b"`
	Text string `json:"text"`
}

// diffReport is `envup diff --output json`.
type diffReport struct {
	A           struct{ Name string } `json:"a"`
	B           struct{ Name string } `json:"b"`
	Equal       bool                  `json:"equal"`
	Differences []difference          `json:"differences"`
}

// expected is a difference the diff must report. Loose ones hold words
// (versions, a path) that envup's value must contain, in envup's format.
type expected struct {
	difference
	loose bool
}

// TestSnapshotDiffChroot applies the same recipe on this host and on a
// clean Debian 12 in a chroot, takes one thing out of the chroot's
// virtualenv, snapshots both machines and diffs them: the differences
// must be exactly what is really there, each side read without envup
// (dpkg and apt-mark, the interpreters themselves, the venvs' metadata,
// os-release and getconf).
func TestSnapshotDiffChroot(t *testing.T) {
	if _, err := os.Stat("/usr/bin/python3.11"); err != nil {
		t.Skip("no /usr/bin/python3.11")
	}
	if whl, _ := filepath.Glob("/usr/share/python-wheels/wheel-*.whl"); len(whl) == 0 {
		t.Skip("no /usr/share/python-wheels/wheel-*.whl (apt-get install python3-wheel-whl)")
	}
	host := thisHost(t)
	c := newChroot(t)

	// The second machine, from its clean state.
	chrootRecipe := writeRecipes(t, c, "/recipes")
	start := time.Now()
	out := c.envup(0, "apply", chrootRecipe)
	t.Logf("apply in the chroot took %s", time.Since(start).Round(time.Second))
	// This host, the same recipe.
	hostRecipe := writeRecipes(t, host, filepath.Join(t.TempDir(), "recipes"))
	out += host.envup(0, "apply", hostRecipe)
	if n := strings.Count(out, "ok   python is 3.11") + strings.Count(out, "ok   pip runs"); n != 4 {
		t.Errorf("the recipe's checks did not all pass on both machines:\n%s", out)
	}
	out = c.envup(0, "apply", chrootRecipe) + host.envup(0, "apply", hostRecipe)
	if strings.Count(out, "Nothing to change") != 2 {
		t.Errorf("a second apply changed something:\n%s", out)
	}

	// The one deliberate difference: wheel leaves the chroot's venv.
	c.run("/root/.venvs/ci/bin/python", "-m", "pip", "uninstall", "-y", "wheel")

	// What is really there, read without envup.
	a, b := factsOf(host), factsOf(c)
	want := map[string]expected{}
	expectDiffs(want, "platform", a.platform, b.platform, false)
	expectDiffs(want, "platform", map[string]string{"name": a.osName}, map[string]string{"name": b.osName}, true)
	compareInterpreters(want, a, b)
	expectDiffs(want, "virtualenvs/ci/packages", a.venv, b.venv, false)
	expectDiffs(want, "virtualenvs/ci", map[string]string{"python": a.venvPython}, map[string]string{"python": b.venvPython}, true)
	expectDiffs(want, "packages/apt", a.apt, b.apt, false)
	wheel := difference{Path: "virtualenvs/ci/packages/wheel", Kind: "only_a", A: a.venv["wheel"]}
	if w := want[wheel.Path]; a.venv["wheel"] == "" || w.difference != wheel {
		t.Fatalf("the venvs do not differ by wheel as made: %q on the host, %q in the chroot", a.venv["wheel"], b.venv["wheel"])
	}

	// Both snapshots, the chroot's copied out.
	dir := t.TempDir()
	hostSnap, chrootSnap := filepath.Join(dir, "host.json"), filepath.Join(dir, "chroot.json")
	c.envup(0, "snapshot", "-o", "/snap.json")
	data, err := os.ReadFile(c.path("/snap.json"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, chrootSnap, string(data))
	host.envup(0, "snapshot", "-o", hostSnap)
	for _, snap := range []string{hostSnap, chrootSnap} {
		data, _ := os.ReadFile(snap)
		var head struct {
			Version int `json:"envup_snapshot"`
		}
		if err := json.Unmarshal(data, &head); err != nil || head.Version != 1 {
			t.Errorf("%s: envup_snapshot %d, %v", filepath.Base(snap), head.Version, err)
		}
	}

	report := diffJSON(t, host, 2, hostSnap, chrootSnap)
	if report.Equal || report.A.Name == "" || report.B.Name == "" {
		t.Errorf("diff says equal=%v, a %q, b %q", report.Equal, report.A.Name, report.B.Name)
	}
	got := byPath(t, report.Differences)
	if g := got[wheel.Path]; g.Kind != wheel.Kind || g.A != wheel.A || g.B != "" {
		t.Errorf("the deliberate difference is %+v, want %+v", g, wheel)
	}
	sameDifferences(t, got, want)

	// --ignore drops a path and everything below it; globs match a segment.
	report = diffJSON(t, host, 2, "--ignore", "packages", "--ignore", "platform", hostSnap, chrootSnap)
	sameDifferences(t, byPath(t, report.Differences), without(want, "packages", "platform"))
	// With the deliberate difference ignored too, what is left is equal
	// (exit 0) unless Debian's wheels differ between the two machines.
	rest := without(want, "packages", "platform", "interpreters", "virtualenvs/*/packages/wheel")
	code := 0
	if len(rest) > 0 {
		code = 2
	}
	report = diffJSON(t, host, code, "--ignore", "packages", "--ignore", "platform", "--ignore", "interpreters",
		"--ignore", "virtualenvs/*/packages/wheel", hostSnap, chrootSnap)
	sameDifferences(t, byPath(t, report.Differences), rest)
	if report.Equal != (len(rest) == 0) {
		t.Errorf("diff with %d differences left says equal=%v", len(rest), report.Equal)
	}
	host.envup(0, "diff", hostSnap, hostSnap)

	// The text form: every difference in words, grouped by what it is about.
	text := host.envup(2, "diff", hostSnap, chrootSnap)
	textSays(t, text, got)
	venvLine := ""
	for _, line := range strings.Split(textSections(t, text)["virtualenvs"], "\n") {
		if strings.Contains(line, "wheel") {
			venvLine = line
		}
	}
	for _, w := range []string{"ci", "wheel", wheel.A, "only in A"} {
		if !strings.Contains(venvLine, w) {
			t.Errorf("the text form's venv difference reads %q: no %q\n%s", venvLine, w, text)
		}
	}
}

// facts are what a machine has, read without envup.
type facts struct {
	platform     map[string]string            // the fields a diff compares, as it writes them
	osName       string                       // os-release's ID and VERSION_ID: envup's platform name
	interpreters map[string]map[string]string // tool → minor → versions
	defaults     map[string]string            // tool → "version path" the PATH runs
	venv         map[string]string            // the ci venv's packages: name → version
	venvPython   string                       // the ci venv's python version
	apt          map[string]string            // manual packages: name → version
}

func factsOf(m *chrootMachine) facts {
	m.t.Helper()
	f := facts{
		venv: venvPackages(m.t, m.run(m.home+"/.venvs/ci/bin/python", "-c", distributions)),
		apt:  manualPackages(m.run("apt-mark", "showmanual"), m.run("dpkg-query", "-W", "-f", dpkgFormat)),
	}
	f.platform, f.osName = platformOf(m)
	f.venvPython = versionOf(m, m.home+"/.venvs/ci/bin/python")
	f.interpreters, f.defaults = interpretersOf(m)
	return f
}

// platformOf reads the platform fields a diff compares, but for os and
// arch: one kernel runs both machines.
//
// container: detect looks at $container (the environment is clean on
// both), then PID 1's (one /proc for both), then /.dockerenv and
// /run/.containerenv, which each machine has in its own /.
func platformOf(m *chrootMachine) (map[string]string, string) {
	osRelease := map[string]string{}
	data, err := os.ReadFile(m.path("/etc/os-release"))
	if err != nil {
		data, _ = os.ReadFile(m.path("/usr/lib/os-release"))
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			osRelease[k] = strings.Trim(v, `"'`)
		}
	}
	return map[string]string{
		"container": firstOf(pid1Container(), containerFile(m.root)),
		"version":   osRelease["VERSION_ID"],
		"edition":   osRelease["PRETTY_NAME"],
		"libc":      strings.TrimSpace(m.run("getconf", "GNU_LIBC_VERSION")), // "glibc 2.36"
	}, osRelease["ID"] + " " + osRelease["VERSION_ID"]
}

// interpreterName is a file envup would take for a python or node.
var interpreterName = regexp.MustCompile(`^(python([0-9]+(\.[0-9]+)?)?|node)$`)

// interpretersOf finds python and node where envup looks on a machine
// with a clean login and a fresh HOME (so no pyenv, nvm, uv or mise
// there): the PATH's folders. A file counts once, by where its links lead
// on that machine, with the version it says it is; the default is what
// the PATH runs as python3 (else python), and node.
func interpretersOf(m *chrootMachine) (map[string]map[string]string, map[string]string) {
	m.t.Helper()
	var names []string
	for _, dir := range strings.Split(chrootPath, ":") {
		entries, _ := os.ReadDir(m.path(dir))
		for _, e := range entries {
			if interpreterName.MatchString(e.Name()) {
				names = append(names, dir+"/"+e.Name())
			}
		}
	}
	leadsTo := map[string]string{} // name → the file its links lead to
	if len(names) > 0 {
		resolved := strings.Fields(m.run(append([]string{"readlink", "-f"}, names...)...))
		for i, name := range names {
			leadsTo[name] = resolved[i]
		}
	}
	found := map[string]map[string][]string{}
	version := map[string]string{}
	for _, file := range slices.Sorted(maps.Values(leadsTo)) {
		if _, seen := version[file]; seen {
			continue
		}
		v := versionOf(m, file)
		version[file] = v
		tool := "node"
		if strings.HasPrefix(filepath.Base(file), "python") {
			tool = "python"
		}
		parts := strings.SplitN(v, ".", 3)
		minor := strings.Join(parts[:min(2, len(parts))], ".")
		if found[tool] == nil {
			found[tool] = map[string][]string{}
		}
		found[tool][minor] = append(found[tool][minor], v)
	}
	byMinor := map[string]map[string]string{}
	for tool, minors := range found {
		byMinor[tool] = map[string]string{}
		for minor, vs := range minors {
			slices.Sort(vs)
			byMinor[tool][minor] = strings.Join(vs, " ")
		}
	}
	defaults := map[string]string{}
	for tool, runs := range map[string][]string{"python": {"python3", "python"}, "node": {"node"}} {
	lookup:
		for _, name := range runs {
			for _, dir := range strings.Split(chrootPath, ":") {
				if file, ok := leadsTo[dir+"/"+name]; ok {
					defaults[tool] = version[file] + " " + file
					break lookup
				}
			}
		}
	}
	return byMinor, defaults
}

// versionOf is what an interpreter says with --version: "3.11.2" from
// "Python 3.11.2" (on stderr before Python 3.4), "20.20.2" from "v20.20.2".
func versionOf(m *chrootMachine, file string) string {
	m.t.Helper()
	out, err := m.command(m.t.Context(), file, "--version").CombinedOutput()
	if err != nil {
		m.t.Fatalf("%s: %s --version: %v\n%s", m, file, err, out)
	}
	v := strings.TrimSpace(string(out))
	v = strings.TrimPrefix(v, "Python ")
	return strings.TrimPrefix(v, "v")
}

// compareInterpreters adds what a diff must say of the interpreters: a
// tool on one side only as a whole; else each minor series, and the
// default.
func compareInterpreters(want map[string]expected, a, b facts) {
	for _, tool := range slices.Sorted(maps.Keys(keyUnion(a.interpreters, b.interpreters))) {
		all := func(f facts) string {
			return strings.Join(slices.Sorted(maps.Values(f.interpreters[tool])), " ")
		}
		if a.interpreters[tool] == nil || b.interpreters[tool] == nil {
			expectDiffs(want, "interpreters", map[string]string{tool: all(a)}, map[string]string{tool: all(b)}, true)
			continue
		}
		expectDiffs(want, "interpreters/"+tool, a.interpreters[tool], b.interpreters[tool], true)
		expectDiffs(want, "interpreters/"+tool, map[string]string{"default": a.defaults[tool]},
			map[string]string{"default": b.defaults[tool]}, true)
	}
}

// distributions prints a venv's packages as JSON, name → version, from
// their metadata: what pip would list, without pip.
const distributions = `import importlib.metadata as md, json
print(json.dumps({d.metadata["Name"]: d.version for d in md.distributions()}))`

// dpkgFormat lists every package with its state and version.
const dpkgFormat = "${db:Status-Status} ${Package} ${Version}\n"

// venvPackages reads distributions' output, names in lower case.
func venvPackages(t *testing.T, out string) map[string]string {
	t.Helper()
	var pkgs map[string]string
	if err := json.Unmarshal([]byte(out), &pkgs); err != nil {
		t.Fatalf("venv packages %q: %v", out, err)
	}
	lower := map[string]string{}
	for name, version := range pkgs {
		lower[strings.ToLower(name)] = version
	}
	return lower
}

// manualPackages is name → version of the installed packages apt-mark
// calls manual: what a snapshot lists as the machine's OS packages.
func manualPackages(showmanual, dpkg string) map[string]string {
	installed := map[string]string{}
	for _, line := range strings.Split(dpkg, "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "installed" {
			installed[f[1]] = f[2]
		}
	}
	out := map[string]string{}
	for _, name := range strings.Fields(showmanual) {
		name, _, _ = strings.Cut(name, ":") // name:arch for another architecture's; ${Package} has no arch
		if v, ok := installed[name]; ok {
			out[name] = v
		}
	}
	return out
}

func pid1Container() string {
	block, _ := os.ReadFile("/proc/1/environ") // unreadable in some sandboxes, for both alike
	for kv := range strings.SplitSeq(string(block), "\x00") {
		if v, ok := strings.CutPrefix(kv, "container="); ok {
			return v
		}
	}
	return ""
}

func containerFile(root string) string {
	if _, err := os.Stat(filepath.Join(root, ".dockerenv")); err == nil {
		return "docker"
	}
	if _, err := os.Stat(filepath.Join(root, "run", ".containerenv")); err == nil {
		return "podman"
	}
	return ""
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// expectDiffs adds to want what a diff of a against b must say below prefix.
// A value on one side only is only_a or only_b, whatever the section.
func expectDiffs(want map[string]expected, prefix string, a, b map[string]string, loose bool) {
	for _, name := range slices.Sorted(maps.Keys(keyUnion(a, b))) {
		d := difference{Path: prefix + "/" + name, A: a[name], B: b[name]}
		switch {
		case d.A == d.B:
			continue
		case d.B == "":
			d.Kind = "only_a"
		case d.A == "":
			d.Kind = "only_b"
		default:
			d.Kind = "changed"
		}
		want[d.Path] = expected{d, loose}
	}
}

// holds tells whether envup's value got is the expected value w: the
// same, or for a loose one, holding each of w's words (and empty only
// when w is).
func (e expected) holds(got, w string) bool {
	if !e.loose {
		return got == w
	}
	if (got == "") != (w == "") {
		return false
	}
	for _, word := range strings.Fields(w) {
		if !strings.Contains(got, word) {
			return false
		}
	}
	return true
}

func keyUnion[A, B any](a map[string]A, b map[string]B) map[string]bool {
	u := map[string]bool{}
	for k := range a {
		u[k] = true
	}
	for k := range b {
		u[k] = true
	}
	return u
}

// without drops the paths that an --ignore of each pattern drops.
func without(want map[string]expected, patterns ...string) map[string]expected {
	out := map[string]expected{}
	for p, d := range want {
		if !ignored(p, patterns) {
			out[p] = d
		}
	}
	return out
}

// ignored tells whether a pattern matches p or one of its prefixes, as
// path.Match matches them.
func ignored(p string, patterns []string) bool {
	segs := strings.Split(p, "/")
	for i := range segs {
		prefix := strings.Join(segs[:i+1], "/")
		for _, pat := range patterns {
			if ok, _ := path.Match(pat, prefix); ok {
				return true
			}
		}
	}
	return false
}

func diffJSON(t *testing.T, m *chrootMachine, code int, args ...string) diffReport {
	t.Helper()
	out := m.envup(code, append([]string{"diff", "--output", "json"}, args...)...)
	var r diffReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("diff --output json: %v\n%s", err, out)
	}
	return r
}

func byPath(t *testing.T, diffs []difference) map[string]difference {
	t.Helper()
	out := map[string]difference{}
	for _, d := range diffs {
		if _, dup := out[d.Path]; dup {
			t.Errorf("diff lists %s twice", d.Path)
		}
		if d.Text == "" {
			t.Errorf("diff's %s has no text", d.Path)
		}
		out[d.Path] = d
	}
	return out
}

// sameDifferences fails for every difference missing, unexpected or
// different in kind or values.
func sameDifferences(t *testing.T, got map[string]difference, want map[string]expected) {
	t.Helper()
	for _, p := range slices.Sorted(maps.Keys(keyUnion(got, want))) {
		g, inGot := got[p]
		w, inWant := want[p]
		switch {
		case !inGot:
			t.Errorf("diff misses %s: %s %q %q", p, w.Kind, w.A, w.B)
		case !inWant:
			t.Errorf("diff has %s, which is not there: %s %q %q (%s)", p, g.Kind, g.A, g.B, g.Text)
		case g.Kind != w.Kind || !w.holds(g.A, w.A) || !w.holds(g.B, w.B):
			t.Errorf("diff's %s is %s %q %q, want %s %q %q", p, g.Kind, g.A, g.B, w.Kind, w.A, w.B)
		}
	}
}

// sortedDifferences is got's differences by path.
func sortedDifferences(got map[string]difference) []difference {
	return slices.SortedFunc(maps.Values(got), func(a, b difference) int { return strings.Compare(a.Path, b.Path) })
}

// diffSections are the text form's groups (a diff lists them in the registry's order).
var diffSections = []string{"platform", "interpreters", "virtualenvs", "services", "fonts", "editors", "packages"}

// textSections splits the text form into its groups: a line that is a
// section's name starts it. A section named twice is an error: the
// differences of one section come together.
func textSections(t *testing.T, text string) map[string]string {
	t.Helper()
	out := map[string]string{}
	current := ""
	for _, line := range strings.Split(text, "\n") {
		if name := strings.TrimSpace(line); slices.Contains(diffSections, name) {
			if _, again := out[name]; again {
				t.Errorf("the text form names %s twice: not grouped\n%s", name, text)
			}
			current, out[name] = name, ""
			continue
		}
		if current != "" {
			out[current] += line + "\n"
		}
	}
	return out
}

// textSays checks that every difference is in the text form, in words,
// under its section: the thing that differs and the values of each side.
func textSays(t *testing.T, text string, got map[string]difference) {
	t.Helper()
	groups := textSections(t, text)
	for _, d := range sortedDifferences(got) {
		section, _, _ := strings.Cut(d.Path, "/")
		block, ok := groups[section]
		if !ok {
			t.Errorf("the text form has no %s section for %s", section, d.Path)
			continue
		}
		words := append(strings.Fields(d.A), strings.Fields(d.B)...)
		words = append(words, d.Path[strings.LastIndex(d.Path, "/")+1:])
		for _, w := range words {
			if w = strings.Trim(w, "();,"); !strings.Contains(block, w) {
				t.Errorf("the text form's %s section does not say %q of %s", section, w, d.Path)
			}
		}
	}
}
