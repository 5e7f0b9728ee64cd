package venv

import (
	"os"
	"strings"
	"testing"

	"github.com/envup/envup/internal/recipe"
)

// A pip install that cannot reach the index fails with its last retry
// warning once, the final errors, and a hint; the fixture is pip 23's
// stderr (testdata/README.md says how it was made).
func TestPipUnreachableIndexCondensedWithHint(t *testing.T) {
	t.Parallel()
	stderr, err := os.ReadFile("testdata/pip/install-offline-23.0.1.stderr")
	if err != nil {
		t.Fatal(err)
	}
	l := newLab(t)
	l.makeVenv()
	v := l.new(&recipe.Virtualenv{Packages: []string{"redis==5.0.1"}})
	st := observe(t, v, newNoSpawn(t))
	err = v.Apply(t.Context(), newFake(t, run(pipInstall(l.py(), "redis==5.0.1")...).fails(1, string(stderr))), st)
	want := "pip install: " + l.py() + " -m pip install redis==5.0.1: exit status 1:\n" +
		"  WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.…on.HTTPSConnection object at 0x7f3b2c9e2b90>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')': /simple/redis/\n" +
		"  ERROR: Could not find a version that satisfies the requirement redis==5.0.1 (from versions: none)\n" +
		"  ERROR: No matching distribution found for redis==5.0.1\n" +
		"  hint: the package index is not reachable: give the venv find_links: a folder of wheels (`envup wheels` makes one on a connected machine), or --mirror"
	if err == nil || err.Error() != want {
		t.Errorf("err =\n%v\nwant\n%s", err, want)
	}
}

func TestIndexMissing(t *testing.T) {
	t.Parallel()
	cases := []struct {
		out  string
		want bool
	}{
		{"ERROR: Could not find a version that satisfies the requirement tiny (from versions: none)\nERROR: No matching distribution found for tiny", true},
		{"WARNING: Retrying (Retry(total=0)) after connection broken by 'ProxyError('Cannot connect to proxy.')': /simple/redis/", true},
		{"ERROR: Could not find a version that satisfies the requirement redis==9 (from versions: 4.0.0, 5.0.1)\nERROR: No matching distribution found for redis==9", false},
		{"ERROR: Failed building wheel for hiredis", false},
	}
	for _, c := range cases {
		if got := indexMissing(c.out); got != c.want {
			t.Errorf("indexMissing(%q) = %v, want %v", c.out, got, c.want)
		}
	}
}

func TestPipOfflineHintNamesTheWheels(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.makeVenv()
	v := l.new(&recipe.Virtualenv{Offline: true, FindLinks: []string{"wheels"}, Packages: []string{"tiny"}})
	st := observe(t, v, newNoSpawn(t))
	argv := pipInstall(l.py(), "--no-index", "--find-links", l.recipe+"/wheels", "tiny")
	err := v.Apply(t.Context(), newFake(t, run(argv...).fails(1, "ERROR: Could not find a version that satisfies the requirement tiny (from versions: none)\nERROR: No matching distribution found for tiny")), st)
	if err == nil || !strings.HasSuffix(err.Error(), "\n  hint: no wheel for it in find_links (offline, pip looks nowhere else): add it to the folder with `envup wheels` on a connected machine") {
		t.Errorf("err = %v", err)
	}
}
