//go:build wine10

package windows

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The archives the seat's mirror serves, under the names the real ones
// have (a mirror is matched by base name, every file by its sha256).
const (
	pythonArchive = "cpython-3.12.7+20241016-x86_64-pc-windows-msvc-install_only_stripped.tar.gz"
	pythonURL     = "https://github.com/astral-sh/python-build-standalone/releases/download/20241016/" + pythonArchive
	redisZip      = "Redis-x64-5.0.14.1.zip"
	redisURL      = "https://github.com/tporadowski/redis/releases/download/v5.0.14.1/" + redisZip
)

// seatRecipe wraps the repository's study-hall recipe, overriding only
// what this network cannot give: the python and the Redis, from the
// mirror (stand-ins), and the port (a free one). Its checks are
// study-hall's, plus python found on the PATH: the bin dir.
const seatRecipe = `envup: 1
name: study-hall-seat
include: [study-hall.yml]
interpreters:
  python: {version: "3.12.7", sources: [archive], archive: {url: "%s", sha256: %s}}
services:
  redis: {version: "5.0", sources: [archive], port: %d, archive: {url: "%s", sha256: %s}}
checks:
  - name: redis answers
    run: [redis-cli, -p, "%d", ping]
    expect: PONG
  - name: python on PATH
    run: [python, --version]
    expect: Python 3.12.7
  - name: python version
    run: ["${venv_python}", -c, "import sys; print('%%d.%%d.%%d' %% sys.version_info[:3])"]
    expect_re: '^3\.\d+\.\d+'
  - name: vpython imports
    run: ["${venv_python}", -c, "import vpython"]
  - name: redis-py imports
    run: ["${venv_python}", -c, "import redis; print(redis.__version__)"]
    expect: 5.0.1
`

// The lab's Windows seat, as its user would set it up: README's two
// steps (plan, then apply of recipes/study-hall.yml, here through the
// wrapper above) as a normal Windows 10 22H2 user, the seat checked where
// a person would look, a second apply that changes nothing, a snapshot
// compared with a Linux machine's. Each of issue 13's bugs this seat met
// is a subtest of its own.
func TestStudyHallSeat(t *testing.T) {
	s := newSeat(t)
	lab := s.path("lab")
	copyTree(t, "../../recipes", lab)
	write(t, filepath.Join(lab, "wheelhouse", "vpython-7.6.5-py3-none-any.whl"), wheel(t, "vpython", "7.6.5"))
	write(t, filepath.Join(lab, "wheelhouse", "redis-5.0.1-py3-none-any.whl"), wheel(t, "redis", "5.0.1"))
	python := tgz(t, map[string][]byte{"python/python.exe": standin(t), "python/Lib/os.py": []byte("# stand-in\n")})
	redis := zipOf(t, map[string][]byte{"redis-server.exe": standin(t), "redis-cli.exe": standin(t), "redis.windows.conf": []byte("port 6379\r\n")})
	write(t, s.path("mirror/"+pythonArchive), python)
	write(t, s.path("mirror/"+redisZip), redis)
	port := freePort(t)
	write(t, filepath.Join(lab, "seat.yml"), fmt.Appendf(nil, seatRecipe, pythonURL, sha(python), port, redisURL, sha(redis), port))

	// The user's own settings, as Windows editors write them: CRLF, a
	// comment; PyCharm started once.
	home := s.home()
	settings := filepath.Join(home, "AppData", "Roaming", "Code", "User", "settings.json")
	write(t, settings, []byte("{\r\n    // mine\r\n    \"workbench.colorTheme\": \"Default Dark+\",\r\n    \"editor.fontSize\": 12,\r\n}\r\n"))
	fontXML := filepath.Join(home, "AppData", "Roaming", "JetBrains", "PyCharm2024.1", "options", "editor-font.xml")
	write(t, fontXML, []byte("<application>\r\n  <component name=\"DefaultFont\">\r\n    <option name=\"FONT_FAMILY\" value=\"JetBrains Mono\" />\r\n  </component>\r\n</application>\r\n"))

	m := `--mirror 'Z:\host\` + s.name + `\mirror'`
	// ENVUP_NOOP_RUNS=N (bench/wine-seat.sh): N no-op applies are timed,
	// each a cold envup.exe, beside `envup.exe version` for Wine's own cost.
	out := s.session(8*time.Minute, `
export ENVUP_NOOP_RUNS=`+os.Getenv("ENVUP_NOOP_RUNS")+`
wine "$E" plan 'lab\study-hall.yml' >plain.txt 2>&1; echo plain=$?
wine "$E" plan -v `+m+` 'lab\seat.yml' >plan.txt 2>&1; echo plan=$?
wine "$E" apply `+m+` 'lab\seat.yml' >apply1.txt 2>&1; echo apply1=$?
wine reg query 'HKCU\Environment' /v Path >userpath.txt 2>&1
wine reg query 'HKCU\Software\Microsoft\Windows NT\CurrentVersion\Fonts' /v 'DejaVu Sans Mono (TrueType)' >fontvalue.txt 2>&1
env ENVUP_EXEC_LOG='Z:\host\`+s.name+`\exec.log' wine "$E" apply `+m+` 'lab\seat.yml' >apply2.txt 2>&1; echo apply2=$?
runs=${ENVUP_NOOP_RUNS:-0}
for i in $(seq 1 $runs); do
  a=$(date +%s%N); wine "$E" apply `+m+` 'lab\seat.yml' >/dev/null 2>&1; b=$(date +%s%N); wine "$E" version >/dev/null 2>&1; c=$(date +%s%N)
  echo "$(( (b-a)/1000 )) $(( (c-b)/1000 ))" >>noop.txt
done
wine "$E" snapshot -o 'Z:\host\`+s.name+`\windows.json' >snapshot.txt 2>&1; echo snapshot=$?
wine "$E" services stop 'lab\seat.yml' >stop.txt 2>&1; echo stop=$?
`)
	plan, apply1, apply2 := s.read("plan.txt"), s.read("apply1.txt"), s.read("apply2.txt")
	t.Logf("plan:\n%s\napply:\n%s", plan, apply1)
	bin := filepath.Join(home, "AppData", "Local", "envup", "bin")

	t.Run("plan and apply as a normal user", func(t *testing.T) { // bug 8
		// README's first command, as it is: the repository's recipe
		if code := exit(t, out, "plain"); code != "0" {
			t.Errorf("plan recipes/study-hall.yml exit %s, want 0 for a normal user:\n%s", code, s.read("plain.txt"))
		}
		if code := exit(t, out, "plan"); code != "0" {
			t.Errorf("plan exit %s, want 0 for a normal user:\n%s", code, plan)
		}
		if !strings.Contains(plan, "start as your own process (a Windows service needs an administrator") {
			t.Errorf("the plan does not say Redis runs as the user's own process:\n%s", plan)
		}
		if code := exit(t, out, "apply1"); code != "0" {
			t.Errorf("apply exit %s:\n%s", code, apply1)
		}
	})
	t.Run("messages write Windows paths as Windows does", func(t *testing.T) { // bug 8
		// A settings value is shown as the JSON it is written as
		// ("C:\\users\\..."): those lines are left out.
		for name, text := range map[string]string{"plan": plan, "apply": apply1} {
			for _, line := range strings.Split(text, "\n") {
				if strings.Contains(line, `\\`) && !strings.Contains(line, " → ") {
					t.Errorf("%s has doubled backslashes: %s", name, line)
				}
			}
		}
		// plan -v shows each command as Windows takes it: no sh quoting
		if strings.Contains(plan, `'~\`) || !strings.Contains(plan, `start ~\AppData\Local\envup\redis\5.0.14.1\redis-server.exe ~\AppData\Local\envup\services\redis\redis.conf`) {
			t.Errorf("plan -v does not write commands as Windows takes them:\n%s", plan)
		}
	})
	t.Run("checks find the bin dir", func(t *testing.T) { // bug 1
		for _, check := range []string{"redis answers", "python on PATH", "python version", "vpython imports", "redis-py imports"} {
			if !regexp.MustCompile(`(?m)^\s*ok +` + regexp.QuoteMeta(check)).MatchString(apply1) {
				t.Errorf("check %q did not pass:\n%s", check, apply1)
			}
		}
	})
	t.Run("the bin dir is on the user's PATH", func(t *testing.T) { // bug 1
		if got := s.read("userpath.txt"); !strings.Contains(got, `C:\users\root\AppData\Local\envup\bin`) || !strings.Contains(got, "REG_EXPAND_SZ") {
			t.Errorf("HKCU\\Environment Path:\n%s", got)
		}
	})
	t.Run("bin entries are launchers, not cmd shims", func(t *testing.T) { // bugs 2, 3
		for _, name := range []string{"python", "python3", "python3.12", "redis-server", "redis-cli"} {
			if _, err := os.Stat(filepath.Join(bin, name+".exe")); err != nil {
				t.Errorf("%s.exe: %v", name, err)
			}
			if shim, err := os.ReadFile(filepath.Join(bin, name+".shim")); err != nil || !bytes.HasPrefix(shim, []byte(`path = "C:\users\root\AppData\Local\envup\`)) {
				t.Errorf("%s.shim: %q %v", name, shim, err)
			}
			if _, err := os.Stat(filepath.Join(bin, name+".cmd")); err == nil {
				t.Errorf("%s.cmd is there", name)
			}
		}
	})
	t.Run("the font and its HKCU value", func(t *testing.T) { // bug 4
		if _, err := os.Stat(filepath.Join(home, "AppData", "Local", "Microsoft", "Windows", "Fonts", "DejaVuSansMono.ttf")); err != nil {
			t.Error(err)
		}
		if got := s.read("fontvalue.txt"); !strings.Contains(got, `AppData\Local\Microsoft\Windows\Fonts\DejaVuSansMono.ttf`) {
			t.Errorf("HKCU font value:\n%s", got)
		}
	})
	t.Run("settings.json stays CRLF, comments kept", func(t *testing.T) { // bug 7
		data, err := os.ReadFile(settings)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte("// mine")) || !bytes.Contains(data, []byte(`"editor.fontFamily": "DejaVu Sans Mono"`)) {
			t.Errorf("settings.json:\n%s", data)
		}
		if n, crlf := bytes.Count(data, []byte("\n")), bytes.Count(data, []byte("\r\n")); n != crlf {
			t.Errorf("%d of %d lines end in a bare LF:\n%q", n-crlf, n, data)
		}
		if !bytes.Contains(data, []byte(`C:\\users\\root\\envs\\study-hall\\Scripts\\python.exe`)) {
			t.Errorf("python.defaultInterpreterPath is not the venv's real path:\n%s", data)
		}
	})
	t.Run("pycharm font and lab files", func(t *testing.T) {
		if data, _ := os.ReadFile(fontXML); !bytes.Contains(data, []byte(`value="DejaVu Sans Mono"`)) {
			t.Errorf("editor-font.xml:\n%s", data)
		}
		for _, f := range []string{"seats.py", "bounce.py", "README.txt"} {
			if _, err := os.Stat(filepath.Join(home, "lab", f)); err != nil {
				t.Error(err)
			}
		}
		if _, err := os.Stat(filepath.Join(home, "envs", "study-hall", "Lib", "site-packages", "vpython-7.6.5.dist-info")); err != nil {
			t.Errorf("the venv has no vpython: %v", err)
		}
	})
	t.Run("a second apply changes nothing", func(t *testing.T) {
		if code := exit(t, out, "apply2"); code != "0" || !strings.Contains(apply2, "Nothing to change") {
			t.Errorf("exit %s:\n%s", code, apply2)
		}
		// and starts only the recipe's checks: no installer, no pip, no
		// python asked its version
		started := strings.Split(strings.TrimSpace(s.read("exec.log")), "\n")
		if len(started) != 5 {
			t.Errorf("the no-op apply started %d programs, want the 5 checks:\n%s", len(started), strings.Join(started, "\n"))
		}
		for _, argv := range started {
			if !strings.HasPrefix(argv, `C:\users\root\AppData\Local\envup\bin\redis-cli.exe -p `) &&
				!strings.HasPrefix(argv, `C:\users\root\AppData\Local\envup\bin\python.exe --version`) &&
				!strings.HasPrefix(argv, `C:\users\root\envs\study-hall\Scripts\python.exe -c`) {
				t.Errorf("the no-op apply started %s", argv)
			}
		}
	})
	if noop := s.read("noop.txt"); noop != "" {
		var apply, version []float64
		for _, line := range strings.Split(strings.TrimSpace(noop), "\n") {
			var a, v float64
			fmt.Sscan(line, &a, &v)
			apply, version = append(apply, a/1000), append(version, v/1000)
		}
		t.Logf("no-op apply of the Windows seat under Wine: median %.0f ms; envup.exe version: median %.0f ms (%d runs, each a new process)", median(apply), median(version), len(apply))
	}
	t.Run("services stop", func(t *testing.T) {
		if code := exit(t, out, "stop"); code != "0" {
			t.Errorf("exit %s:\n%s", code, s.read("stop.txt"))
		}
	})
	t.Run("snapshot against a Linux machine", func(t *testing.T) {
		if code := exit(t, out, "snapshot"); code != "0" {
			t.Fatalf("snapshot exit %s:\n%s", code, s.read("snapshot.txt"))
		}
		diffWithLinux(t, s)
	})
}

// diffWithLinux applies the lab's font, editor settings and files to a
// Linux home with the Linux envup, snapshots it and diffs the Windows
// seat's snapshot against it: what differs must be what truly differs
// (the platform, the interpreter, the venv, Redis), and what the recipe
// made the same (the editor font) must not be listed.
func diffWithLinux(t *testing.T, s *seat) {
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	recipe := filepath.Join(dir, "lab.yml")
	font, _ := filepath.Abs("../../recipes/fonts/DejaVuSansMono.ttf")
	write(t, recipe, []byte(`envup: 1
name: linux-seat
fonts:
  DejaVu Sans Mono: {path: `+font+`}
editors:
  vscode: {settings: {editor.fontFamily: DejaVu Sans Mono, editor.fontSize: 14}}
files:
  ~/lab/README.txt: {content: "hello lab\n"}
`))
	envup := filepath.Join(work, envupLinux)
	env := append(os.Environ(), "HOME="+home, "ENVUP_HOME="+filepath.Join(dir, "envup"), "XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_DATA_HOME="+filepath.Join(home, ".local", "share"))
	run := func(args ...string) string {
		cmd := exec.Command(envup, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
				t.Fatalf("envup %s: %v\n%s", strings.Join(args, " "), err, out)
			}
		}
		return string(out)
	}
	run("apply", recipe)
	if n, _ := strconv.Atoi(os.Getenv("ENVUP_NOOP_RUNS")); n > 0 {
		var ms []float64
		for range n {
			start := time.Now()
			run("apply", recipe)
			ms = append(ms, float64(time.Since(start).Microseconds())/1000)
		}
		t.Logf("no-op apply of the Linux seat (font, VS Code, a file) with the Linux envup: median %.1f ms (%d runs)", median(ms), n)
	}
	linux := filepath.Join(dir, "linux.json")
	run("snapshot", "-o", linux)
	diff := run("diff", s.path("windows.json"), linux)
	t.Logf("envup diff windows.json linux.json:\n%s", diff)
	for _, want := range []string{"windows", "linux", "venv study-hall", "redis"} {
		if !strings.Contains(diff, want) {
			t.Errorf("the diff does not mention %q", want)
		}
	}
	if strings.Contains(diff, "editor.fontFamily") {
		t.Errorf("the diff lists the editor font, which both seats have the same")
	}
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// freePort is a TCP port nothing listens on now.
func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
