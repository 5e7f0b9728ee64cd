package recipe

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// bomb writes n levels of n aliases, each level a copy of the one before
// n times: n^n values at the last level. wrap places the levels: in a
// list, a mapping with merge keys, ...
func bomb(n int, level func(i int, prev string) string) string {
	var b strings.Builder
	for i := range n {
		prev := ""
		if i > 0 {
			prev = fmt.Sprintf("l%d", i-1)
		}
		b.WriteString(level(i, prev))
		b.WriteString("\n")
	}
	return b.String()
}

func repeat(n int, s string) string {
	return strings.TrimSuffix(strings.Repeat(s+", ", n), ", ")
}

// TestAliasBombBounded loads alias bombs and checks that each is refused
// in bounded memory (issue 16: 9 levels of 9 aliases ran past 30 s and
// 2.9 GB). Not parallel: it measures the process's allocations.
func TestAliasBombBounded(t *testing.T) {
	a, err := parseArchive(filepath.Join("testdata", "broken", "alias-bomb.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	issue, _ := section(a, "study.yml")
	tests := map[string]string{
		"issue 16, settings": issue,
		"sequences in checks": "envup: 1\nchecks:\n" + bomb(9, func(i int, prev string) string {
			if i == 0 {
				return "  - {name: c0, run: &l0 [a, a, a, a, a, a, a, a, a]}"
			}
			return fmt.Sprintf("  - {name: c%d, run: &l%d [%s]}", i, i, repeat(9, "*"+prev))
		}),
		"merge keys": "envup: 1\neditors:\n  vscode:\n    settings:\n" + bomb(9, func(i int, prev string) string {
			if i == 0 {
				return "      l0: &l0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9}"
			}
			var keys []string
			for k := range 9 {
				keys = append(keys, fmt.Sprintf("k%d: *%s", k, prev))
			}
			return fmt.Sprintf("      l%d: &l%d {<<: *%s, %s}", i, i, prev, strings.Join(keys, ", "))
		}),
	}
	cases := map[string]map[string]string{}
	for name, recipe := range tests {
		cases[name] = map[string]string{"study.yml": recipe}
	}
	// A file within the budget, 4,000 values and 97 aliases of them
	// (388,000 copies, 98.98%), included 40 times: the budget is the
	// Load's, not each file's.
	cases["a file included 40 times"] = map[string]string{
		"study.yml": "envup: 1\ninclude: [" + repeat(40, "x.yml") + "]\n",
		"x.yml": "envup: 1\neditors:\n  vscode:\n    settings:\n      a: &a [" + repeat(4000, "1") + "]\n" +
			numbered(97, "      b%[1]d: *a\n"),
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			dir := write(t, files)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Load(filepath.Join(dir, "study.yml"), hosts["debian12"])
			runtime.ReadMemStats(&after)
			var list ErrorList
			if !errors.As(err, &list) || !strings.Contains(err.Error(), "(an alias bomb?)") {
				t.Fatalf("err = %v, want an alias bomb refused", err)
			}
			t.Logf("%v; %d KB allocated", err, (after.TotalAlloc-before.TotalAlloc)>>10)
			limit := uint64(64) // MB
			if len(files) > 1 {
				limit = 256 // one whole file of 392,000 values before the next runs out
			}
			if got := (after.TotalAlloc - before.TotalAlloc) >> 20; got > limit {
				t.Errorf("refusing it allocated %d MB, want at most %d", got, limit)
			}
		})
	}
}

// numbered writes format n times, with 0 to n-1 for %[1]d.
func numbered(n int, format string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, format, i)
	}
	return b.String()
}

// bigRecipe writes a recipe with n files, n editor settings and a chain
// of n vars (each using the one above, so that resolving them in name
// order goes n deep) in an included file, n more settings, n interpreters
// and n virtualenvs in the recipe and n settings in a `platforms` item
// that matches: every stage sees mappings of n keys.
func bigRecipe(t *testing.T, n int) string {
	t.Helper()
	var chain strings.Builder
	for i := n - 1; i >= 0; i-- {
		fmt.Fprintf(&chain, "  c%07d: ${c%07d}\n", i, i+1)
	}
	base := "envup: 1\nvars:\n  lab: ~/lab\n" + fmt.Sprintf("  c%07d: ~/chain\n", n) + chain.String() +
		"files:\n" +
		numbered(n, "  ${lab}/f%[1]d.txt: {content: \"file %[1]d\\n\", mode: \"0644\"}\n") +
		"editors:\n  vscode:\n    settings:\n" + numbered(n, "      base.%[1]d: %[1]d\n")
	top := "envup: 1\ninclude: [base.yml]\neditors:\n  vscode:\n    settings:\n" +
		numbered(n, "      top.%[1]d: \"${lab}/%[1]d\"\n") +
		"interpreters:\n" + numbered(n, "  py%[1]d: {tool: python, version: \"3\"}\n") +
		"virtualenvs:\n" + numbered(n, "  venv%[1]d: {path: \"${c0000000}/%[1]d\", python: py%[1]d}\n") +
		"platforms:\n  - when: linux\n    editors:\n      vscode:\n        settings:\n" +
		numbered(n, "          linux.%[1]d: true\n")
	dir := write(t, map[string]string{"base.yml": base, "study.yml": top})
	return filepath.Join(dir, "study.yml")
}

// TestLoadLinear loads a recipe with mappings of 1,500 keys and one with
// 12,000: the CPU time must grow about eightfold, not 64-fold (issue 16:
// a 10 MB recipe ran past 60 s, each key looked up by a scan of its
// mapping). Not parallel: it measures the process's CPU time.
func TestLoadLinear(t *testing.T) {
	const n = 1500
	linear(t, bigRecipe(t, n), bigRecipe(t, 8*n), func(r *Recipe) int { return len(r.Editors["vscode"].Settings) / 3 })
}

// TestVarsLinear loads a chain of 5,000 vars and one of 40,000, each var
// using the one above, resolved from the far end: the order check looked
// for each use among the vars below it, and resolving looked for each
// var among those being resolved, both O(n²). Not parallel: it measures
// the process's CPU time.
func TestVarsLinear(t *testing.T) {
	chain := func(n int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "envup: 1\nvars:\n  c%07d: ~/chain\n", n)
		for i := n - 1; i >= 0; i-- {
			fmt.Fprintf(&b, "  c%07d: ${c%07d}\n", i, i+1)
		}
		dir := write(t, map[string]string{"study.yml": b.String()})
		return filepath.Join(dir, "study.yml")
	}
	const n = 5000
	linear(t, chain(n), chain(8*n), func(r *Recipe) int { return len(r.Vars) - 1 })
}

// linear loads small, and large, eight times its size, and checks that
// large takes about eight times the CPU time, not 64. size tells the size
// of a loaded recipe, to check that the two are n and 8n. The best of
// three runs each, CPU time rather than wall time, and a bound three
// times the linear ratio keep a busy machine from failing it.
func linear(t *testing.T, small, large string, size func(*Recipe) int) {
	t.Helper()
	best := func(path string) (time.Duration, int) {
		var min time.Duration
		var n int
		for range 3 {
			start := cpuTime()
			r, err := Load(path, hosts["debian12"])
			d := cpuTime() - start
			if err != nil {
				t.Fatal(err)
			}
			if min == 0 || d < min {
				min, n = d, size(r)
			}
		}
		return min, n
	}
	s, ns := best(small)
	l, nl := best(large)
	if nl != 8*ns {
		t.Fatalf("sizes %d and %d, want one eight times the other", ns, nl)
	}
	t.Logf("size %d: %v; %d: %v (%.1f×)", ns, s, nl, l, float64(l)/float64(s))
	if l > 24*s {
		t.Errorf("eight times the recipe took %.1f times as long (%v, %v): not linear", float64(l)/float64(s), s, l)
	}
}

// TestLoadLimits: what one Load reads is bounded, and passing a bound is
// an error that says which and where.
func TestLoadLimits(t *testing.T) {
	t.Parallel()
	line := "# a comment line to make the recipe big, as a generated one might be\n"
	huge := "envup: 1\n" + strings.Repeat(line, maxBytes/len(line)+1)
	dir := write(t, map[string]string{
		"huge.yml":      huge,
		"includes.yml":  "envup: 1\ninclude: [half.yml, half.yml, half.yml]\n",
		"half.yml":      huge[:maxBytes/2],
		"devzero.yml":   "envup: 1\ninclude: [/dev/zero]\n",
		"directory.yml": "envup: 1\ninclude: [sub]\n",
		"sub/x":         "",
	})
	tests := []struct{ file, want string }{
		{"huge.yml", "huge.yml: too big: a recipe and the files it includes may hold 4 MiB"},
		{"includes.yml", "includes.yml:2:21: include[1]: cannot read half.yml: too big: a recipe and the files it includes may hold 4 MiB"},
		{"directory.yml", "directory.yml:2:11: include[0]: cannot read sub: is a directory"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		tests = append(tests,
			struct{ file, want string }{"devzero.yml", "devzero.yml:2:11: include[0]: cannot read /dev/zero: not a regular file"},
			struct{ file, want string }{"/dev/zero", "/dev/zero: too big: a recipe and the files it includes may hold 4 MiB"},
		)
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			path := tt.file
			if !filepath.IsAbs(path) {
				path = filepath.Join(dir, path)
			}
			_, err := Load(path, hosts["debian12"])
			var list ErrorList
			if !errors.As(err, &list) || relative(err.Error(), dir) != tt.want {
				t.Errorf("err = %v\nwant %s", err, tt.want)
			}
		})
	}
}

// TestManyErrors: a recipe with a mistake repeated thousands of times
// gets the first maxErrors errors and a count of the rest, soon (each
// undefined var's nearest name was looked for among all the vars, and
// the names sorted again each time: 40,000 of each took over 10 minutes).
func TestManyErrors(t *testing.T) {
	t.Parallel()
	const n = 5000
	recipe := "envup: 1\nvars:\n" + numbered(n, "  v%[1]d: x%[1]d\n") +
		"editors:\n  vscode:\n    settings:\n" + numbered(n, "      k%[1]d: \"${u%[1]d}\"\n")
	dir := write(t, map[string]string{"study.yml": recipe})
	_, err := Load(filepath.Join(dir, "study.yml"), hosts["debian12"])
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("err = %v, want an ErrorList", err)
	}
	if len(list) != maxErrors+1 {
		t.Fatalf("%d errors, want %d and a count", len(list), maxErrors)
	}
	first := fmt.Sprintf("study.yml:%d:12: editors.vscode.settings.k0: undefined var ${u0} (did you mean v0?)", n+6)
	if got := relative(list[0].Error(), dir); got != first {
		t.Errorf("first error = %s\nwant %s", got, first)
	}
	last := fmt.Sprintf("study.yml:%d:13: %d more errors not shown (the first %d are above)", n+6+maxErrors, n-maxErrors, maxErrors)
	if got := relative(list[maxErrors].Error(), dir); got != last {
		t.Errorf("last error = %s\nwant %s", got, last)
	}
}

// TestManyChecksOneName: 20,000 checks of one name, each for another
// windows version, pairwise disjoint. Comparing every pair took hours;
// past maxSameName a name is refused, so the pairs are bounded.
func TestManyChecksOneName(t *testing.T) {
	t.Parallel()
	const n = 20000
	recipe := "envup: 1\nchecks:\n" + numbered(n, "  - {name: probe, run: [probe], when: windows %[1]d.0}\n")
	dir := write(t, map[string]string{"study.yml": recipe})
	_, err := Load(filepath.Join(dir, "study.yml"), hosts["debian12"])
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("err = %v, want an ErrorList", err)
	}
	want := fmt.Sprintf(`study.yml:%d:12: checks[%d].name: "probe" is used by more than %d checks (first at line 3)`, maxSameName+3, maxSameName, maxSameName)
	if got := relative(list[0].Error(), dir); got != want {
		t.Errorf("first error = %s\nwant %s", got, want)
	}
}
