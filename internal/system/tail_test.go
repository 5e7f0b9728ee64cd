package system

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envup/envup/internal/progress"
)

func TestTail(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 200) + strings.Repeat("z", 200)
	cases := []struct{ name, out, want string }{
		{"blank lines go", "one\n\n  two  \n\n", "one\ntwo"},
		{"a retried warning once, at its last place",
			"WARNING: Retrying (Retry(total=1)) x\nWARNING: Retrying (Retry(total=0)) x\nERROR: No matching distribution found for redis\n",
			"WARNING: Retrying (Retry(total=0)) x\nERROR: No matching distribution found for redis"},
		{"pip's notices go", "ERROR: boom\n[notice] A new release of pip is available: 23.0.1 -> 24.0\n", "ERROR: boom"},
		{"apt's failed fetches once",
			"Err:1 http://deb.debian.org/debian bookworm/main amd64 redis 7.0\nErr:2 http://deb.debian.org/debian bookworm/main amd64 vim 9.0\n" +
				"E: Failed to fetch http://a/redis.deb  Temporary failure resolving 'deb.debian.org'\nE: Failed to fetch http://a/vim.deb  Temporary failure resolving 'deb.debian.org'\nE: Unable to fetch some archives\n",
			"Err:2 http://deb.debian.org/debian bookworm/main amd64 vim 9.0\nE: Failed to fetch http://a/vim.deb  Temporary failure resolving 'deb.debian.org'\nE: Unable to fetch some archives"},
		{"ten lines at most", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "3\n4\n5\n6\n7\n8\n9\n10\n11\n12"},
		{"a progress bar's \\r", "50%\r100%\rdone\n", "50%\n100%\ndone"},
		{"a long line cut in the middle", long, strings.Repeat("a", 149) + "…" + strings.Repeat("z", 150)},
	}
	for _, c := range cases {
		if got := Tail([]byte(c.out)); got != c.want {
			t.Errorf("%s: Tail =\n%s\nwant\n%s", c.name, got, c.want)
		}
	}
}

func TestExitErrorLines(t *testing.T) {
	t.Parallel()
	one := &ExitError{Argv: []string{"make"}, ExitCode: 2, Stderr: "make: *** [all] Error 1"}
	if got, want := one.Error(), "make: exit status 2: make: *** [all] Error 1"; got != want {
		t.Errorf("one line: %q, want %q", got, want)
	}
	two := &ExitError{Argv: []string{"make"}, ExitCode: 2, Stderr: "x.c:1: error\nmake: *** [all] Error 1"}
	if got, want := two.Error(), "make: exit status 2:\n  x.c:1: error\n  make: *** [all] Error 1"; got != want {
		t.Errorf("two lines: %q, want %q", got, want)
	}
	if got, want := two.Brief(), "x.c:1: error; make: *** [all] Error 1"; got != want {
		t.Errorf("Brief: %q, want %q", got, want)
	}
}

func TestStepName(t *testing.T) {
	t.Parallel()
	cases := []struct {
		argv []string
		want string
	}{
		{[]string{"sudo", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "redis-server"}, "apt-get install"},
		{[]string{"/home/u/lab/bin/python", "-m", "pip", "install", "--no-index", "redis"}, "pip install"},
		{[]string{"/usr/bin/python3.11", "-m", "venv", "--prompt", "lab", "/home/u/lab"}, "python3.11 -m venv"},
		{[]string{"make", "-j4"}, "make"},
		{[]string{"make", "install"}, "make install"},
		{[]string{`C:\Windows\System32\msiexec.exe`, "/i", `C:\x.msi`, "/qn"}, "msiexec"},
		{[]string{"./configure", "--prefix=/opt/py"}, "configure"},
	}
	for _, c := range cases {
		if strings.HasPrefix(c.argv[0], `C:\`) && filepath.Separator != '\\' {
			continue // a Windows path is one name elsewhere
		}
		if got := stepName(c.argv); got != c.want {
			t.Errorf("stepName(%q) = %q, want %q", c.argv, got, c.want)
		}
	}
}

// A quick command run through Real says nothing more than before: the
// steps are wired, and quiet under progress.Quiet.
func TestRunQuickStepSaysNothing(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	r := NewRealWith(nil, progress.NewWith(&log, progress.Options{}))
	res, err := r.Run(t.Context(), Cmd{Argv: []string{"sh", "-c", "echo Collecting redis; echo warn >&2"}})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Stdout) != "Collecting redis\n" || string(res.Stderr) != "warn\n" {
		t.Errorf("output %q, %q", res.Stdout, res.Stderr)
	}
	if log.Len() != 0 {
		t.Errorf("a quick step wrote %q", log.String())
	}
}
