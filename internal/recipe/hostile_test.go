package recipe

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
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
	for name, recipe := range tests {
		t.Run(name, func(t *testing.T) {
			dir := write(t, map[string]string{"study.yml": recipe})
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Load(filepath.Join(dir, "study.yml"), hosts["debian12"])
			runtime.ReadMemStats(&after)
			var list ErrorList
			if !errors.As(err, &list) || !strings.Contains(err.Error(), "(an alias bomb?)") {
				t.Fatalf("err = %v, want an alias bomb refused", err)
			}
			t.Logf("%v; %d KB allocated", err, (after.TotalAlloc-before.TotalAlloc)>>10)
			if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
				t.Errorf("refusing it allocated %d MB, want at most 64", got>>20)
			}
		})
	}
}
