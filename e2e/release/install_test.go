//go:build release

package release

import (
	"archive/tar"
	"bufio"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/envup/envup/internal/fetch"
)

// snapshotVersion is the version of the release the tests build, shaped
// like goreleaser's snapshots.
const snapshotVersion = "0.0.0-SNAPSHOT-test"

// dist is the release the tests serve: the folder (a goreleaser dist/, or
// one the tests made as the config says), its version, and this host's
// archive in it.
type dist struct {
	dir, version, archive string
}

var (
	distOnce sync.Once
	theDist  dist
	distErr  error
)

// release is the release for this host. ENVUP_RELEASE_DIST names the
// dist/ of a real `goreleaser release --snapshot` to test instead of the
// one the tests make.
func release(t *testing.T) dist {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("install.sh is for Linux and macOS")
	}
	distOnce.Do(func() {
		if dir := os.Getenv("ENVUP_RELEASE_DIST"); dir != "" {
			theDist, distErr = goreleaserDist(t, dir)
			return
		}
		theDist, distErr = makeRelease(t, distRoot)
	})
	if distErr != nil {
		t.Fatal(distErr)
	}
	return theDist
}

// distRoot is where makeRelease builds, removed when the tests end.
var distRoot string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "envup-release-")
	if err != nil {
		panic(err)
	}
	distRoot = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// goreleaserDist reads a goreleaser dist/: its metadata.json's version.
func goreleaserDist(t *testing.T, dir string) (dist, error) {
	data, err := os.ReadFile(filepath.Join(dir, "metadata.json"))
	if err != nil {
		return dist{}, err
	}
	var meta struct{ Version string }
	if err := json.Unmarshal(data, &meta); err != nil {
		return dist{}, fmt.Errorf("%s/metadata.json: %w", dir, err)
	}
	name := readConfig(t).archiveName(t, meta.Version, runtime.GOOS, runtime.GOARCH)
	return dist{dir: dir, version: meta.Version, archive: name}, nil
}

// makeRelease builds envup for this host and packs it the way
// .goreleaser.yml says: its build's flags, ldflags and env, its archive's
// name template and files (archiveFiles), the binary at the top, then
// checksums.txt in goreleaser's format ("<sha256>  <name>").
func makeRelease(t *testing.T, dir string) (dist, error) {
	c := readConfig(t)
	b := c.Builds[0]
	data := tmplData{ProjectName: c.ProjectName, Version: snapshotVersion, Os: runtime.GOOS, Arch: runtime.GOARCH}
	bin := filepath.Join(dir, "build", b.Binary)
	args := append([]string{"build"}, b.Flags...)
	for _, l := range b.Ldflags {
		args = append(args, "-ldflags="+render(t, l, data))
	}
	args = append(args, "-o", bin, b.Main)
	build := exec.Command("go", args...)
	build.Dir = root
	build.Env = append(os.Environ(), b.Env...)
	if out, err := build.CombinedOutput(); err != nil {
		return dist{}, fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
	}

	name := c.archiveName(t, snapshotVersion, runtime.GOOS, runtime.GOARCH)
	if !strings.HasSuffix(name, ".tar.gz") {
		return dist{}, fmt.Errorf("%s: install.sh takes tar.gz archives", name)
	}
	out := filepath.Join(dir, "dist")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return dist{}, err
	}
	members := [][2]string{{b.Binary, bin}}
	for _, f := range archiveFiles(t, c) {
		members = append(members, [2]string{f, filepath.Join(root, f)})
	}
	if err := writeTarGz(filepath.Join(out, name), members); err != nil {
		return dist{}, err
	}
	sum, err := fetch.FileSum(filepath.Join(out, name))
	if err != nil {
		return dist{}, err
	}
	sums := fmt.Sprintf("%s  %s\n", sum, name)
	if err := os.WriteFile(filepath.Join(out, "checksums.txt"), []byte(sums), 0o644); err != nil {
		return dist{}, err
	}
	return dist{dir: out, version: snapshotVersion, archive: name}, nil
}

// writeTarGz writes the files (name in the archive, file on disk).
func writeTarGz(name string, members [][2]string) (err error) {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	for _, m := range members {
		info, err := os.Stat(m[1])
		if err != nil {
			return err
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		hdr.Name = m[0]
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		src, err := os.Open(m[1])
		if err != nil {
			return err
		}
		_, err = io.Copy(tw, src)
		src.Close()
		if err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

// server serves a release folder on loopback, with overrides by path
// (nil: 404), and records the paths asked for.
type server struct {
	*httptest.Server
	mu    sync.Mutex
	asked []string
}

func serve(t *testing.T, dir string, overrides map[string][]byte) *server {
	t.Helper()
	s := &server{}
	files := http.FileServer(http.Dir(dir))
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.asked = append(s.asked, r.Method+" "+r.URL.Path)
		s.mu.Unlock()
		if body, ok := overrides[r.URL.Path]; ok {
			if body == nil {
				http.NotFound(w, r)
				return
			}
			_, _ = w.Write(body)
			return
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.asked)
}

// shell is a POSIX shell to run install.sh with: argv, and a PATH of its
// own when the shell brings its own tools (busybox: as on Alpine).
type shell struct {
	name string
	argv []string
	path string
}

// shells are those on this host: dash, bash, and busybox sh with only
// busybox's applets on the PATH (its wget, tar, awk, sha256sum).
func shells(t *testing.T) []shell {
	t.Helper()
	var found []shell
	for _, name := range []string{"dash", "bash"} {
		if p, err := exec.LookPath(name); err == nil {
			found = append(found, shell{name: name, argv: []string{p}})
		}
	}
	if bb, err := exec.LookPath("busybox"); err == nil {
		dir := t.TempDir()
		for _, applet := range []string{"sh", "awk", "cat", "chmod", "cp", "cut", "mkdir", "mktemp", "mv", "rm",
			"sed", "sha256sum", "tar", "tr", "uname", "wc", "wget", "gzip"} {
			if err := os.Symlink(bb, filepath.Join(dir, applet)); err != nil {
				t.Fatal(err)
			}
		}
		found = append(found, shell{name: "busybox", argv: []string{bb, "sh"}, path: dir})
	} else {
		t.Log("no busybox on this host: install.sh not tried under busybox sh")
	}
	if len(found) == 0 {
		t.Skip("no dash, bash or busybox")
	}
	return found
}

// user is a user account for one test: a home, a TMPDIR that must end
// empty, and the environment install.sh and envup get.
type user struct {
	home, tmp string
}

func newUser(t *testing.T) *user {
	t.Helper()
	u := &user{home: t.TempDir(), tmp: t.TempDir()}
	t.Cleanup(func() {
		if left, _ := os.ReadDir(u.tmp); len(left) > 0 {
			t.Errorf("TMPDIR holds %d entries after the run: %s", len(left), left[0].Name())
		}
	})
	return u
}

func (u *user) env(path string, more ...string) []string {
	return append([]string{"HOME=" + u.home, "TMPDIR=" + u.tmp, "PATH=" + path, "LANG=C", "NO_COLOR=1"}, more...)
}

// install runs install.sh under sh against base and returns its exit code
// and output.
func (u *user) install(t *testing.T, sh shell, base string, more ...string) (int, string, string) {
	t.Helper()
	path := os.Getenv("PATH")
	if sh.path != "" {
		path = sh.path
	}
	script, err := filepath.Abs(filepath.Join(root, "install.sh"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), sh.argv[0], append(sh.argv[1:], script)...)
	cmd.Dir = u.home
	cmd.Env = u.env(path, append([]string{"ENVUP_INSTALL_BASE_URL=" + base}, more...)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	code := 0
	if exitErr := (*exec.ExitError)(nil); errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s install.sh: exit %d\nstdout:\n%sstderr:\n%s", sh.name, code, stdout.String(), stderr.String())
	return code, stdout.String(), stderr.String()
}

// TestInstallSh: under each shell, install.sh takes this host's archive
// and checksums.txt from a release served on loopback, and nothing else;
// envup lands in ~/.local/bin and runs, the recipes in envup's data folder;
// it says how to put ~/.local/bin on the PATH, which lacks it.
func TestInstallSh(t *testing.T) {
	rel := release(t)
	for _, sh := range shells(t) {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			u := newUser(t)
			srv := serve(t, rel.dir, nil)
			code, stdout, stderr := u.install(t, sh, srv.URL+"/")
			if code != 0 {
				t.Fatalf("install.sh: exit %d\n%s", code, stderr)
			}
			want := []string{"GET /checksums.txt", "GET /" + rel.archive}
			if got := srv.requests(); !slices.Equal(got, want) {
				t.Errorf("install.sh asked for %q, want %q", got, want)
			}
			bin := filepath.Join(u.home, ".local", "bin")
			for _, s := range []string{
				"envup " + rel.version + " (go",
				"installed: " + filepath.Join(bin, "envup"),
				bin + " is not on your PATH",
				`export PATH="` + bin + `:$PATH"`,
				filepath.Join(u.home, ".local/share/envup/recipes/study-hall.yml"),
			} {
				if !strings.Contains(stdout, s) {
					t.Errorf("install.sh's output lacks %q", s)
				}
			}
			out, err := exec.CommandContext(t.Context(), filepath.Join(bin, "envup"), "--version").CombinedOutput()
			if err != nil || !strings.HasPrefix(string(out), "envup "+rel.version+" (go") {
				t.Errorf("installed envup --version: %v: %q, want envup %s", err, out, rel.version)
			}
			for _, f := range []string{"study-hall.yml", "ci-python.yml", "common/build-tools.yml", "fonts/DejaVuSansMono.ttf", "demos/seats.py"} {
				if _, err := os.Stat(filepath.Join(u.home, ".local/share/envup/recipes", f)); err != nil {
					t.Errorf("recipes: %v", err)
				}
			}
			left, _ := os.ReadDir(bin)
			if len(left) != 1 {
				t.Errorf("%s holds %d entries, want envup alone", bin, len(left))
			}

			// A second install (an upgrade) replaces both, and envup is
			// on the PATH now: no PATH advice.
			again := sh
			again.path = bin + ":" + cmp.Or(sh.path, os.Getenv("PATH"))
			if code, stdout, _ := u.install(t, again, srv.URL); code != 0 || strings.Contains(stdout, "not on your PATH") ||
				!strings.Contains(stdout, "try: envup plan") {
				t.Errorf("second install: exit %d, want 0, a try line and no PATH advice:\n%s", code, stdout)
			}
		})
	}
}

// TestInstalledEnvupRunsTheReleasesRecipes: the installed envup runs
// README's first command from the unpacked archive (plan of the recipe
// it names; `recipes/study-hall.yml` reaches its include, font and demos
// there), and applies a recipe of the lab's font, demos and editor
// settings from the archive's recipes folder, twice: the second apply
// changes nothing.
func TestInstalledEnvupRunsTheReleasesRecipes(t *testing.T) {
	rel := release(t)
	sh := shells(t)[0]
	u := newUser(t)
	srv := serve(t, rel.dir, nil)
	if code, _, stderr := u.install(t, sh, srv.URL); code != 0 {
		t.Fatalf("install.sh: exit %d\n%s", code, stderr)
	}
	envup := filepath.Join(u.home, ".local", "bin", "envup")

	unpacked := unpack(t, rel)
	run := func(want int, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), envup, args...)
		cmd.Dir = unpacked
		cmd.Env = u.env(os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		code := 0
		if exitErr := (*exec.ExitError)(nil); errors.As(err, &exitErr) {
			code = exitErr.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != want {
			t.Fatalf("envup %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, out)
		}
		t.Logf("envup %s:\n%s", strings.Join(args, " "), out)
		return string(out)
	}
	for _, recipe := range readmeRecipes(t) {
		out := run(0, "plan", recipe)
		for _, s := range []string{"font/DejaVu Sans Mono", "file/~/lab/seats.py", "editor/vim", "Plan: "} {
			if !strings.Contains(out, s) {
				t.Errorf("envup plan %s lacks %q", recipe, s)
			}
		}
	}

	fixture, err := os.ReadFile(filepath.Join("testdata", "lab-files.yml"))
	if err != nil {
		t.Fatal(err)
	}
	recipe := filepath.Join(unpacked, "recipes", "lab-files.yml")
	if err := os.WriteFile(recipe, fixture, 0o644); err != nil {
		t.Fatal(err)
	}
	if out := run(0, "apply", recipe); !strings.Contains(out, "Summary: 6 applied, 0 unchanged, 0 failed, 0 skipped") {
		t.Errorf("apply: want 6 applied:\n%s", out)
	}
	for _, f := range []string{"lab/seats.py", "lab/bounce.py", "lab/README.txt", ".vimrc"} {
		if _, err := os.Stat(filepath.Join(u.home, f)); err != nil {
			t.Errorf("after apply: %v", err)
		}
	}
	seats, _ := os.ReadFile(filepath.Join(u.home, "lab", "seats.py"))
	shipped, _ := os.ReadFile(filepath.Join(root, "recipes", "demos", "seats.py"))
	if len(seats) == 0 || string(seats) != string(shipped) {
		t.Errorf("~/lab/seats.py is not the shipped demo (%d bytes, want %d)", len(seats), len(shipped))
	}
	run(0, "check", recipe)
	if out := run(0, "apply", recipe); !strings.Contains(out, "Nothing to change: 6 resources already as the recipe wants.") {
		t.Errorf("second apply: want 6 unchanged:\n%s", out)
	}
	run(0, "plan", "--detailed-exitcode", recipe) // 0: nothing to change
}

// unpack unpacks this host's archive into a new folder.
func unpack(t *testing.T, rel dist) string {
	t.Helper()
	dir := t.TempDir()
	untar := exec.CommandContext(t.Context(), "tar", "-xzf", filepath.Join(rel.dir, rel.archive), "-C", dir)
	if out, err := untar.CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	return dir
}

// TestInstallShFromEnvupServe: a teacher's envup (the release's own)
// serves the release folder with `envup serve`, and a seat installs from
// it with ENVUP_INSTALL_BASE_URL: the lab with no Go and no internet.
func TestInstallShFromEnvupServe(t *testing.T) {
	rel := release(t)
	teacher := filepath.Join(unpack(t, rel), "envup")
	serveCmd := exec.CommandContext(t.Context(), teacher, "serve", rel.dir, "--addr", "127.0.0.1:0")
	serveCmd.Cancel = func() error { return serveCmd.Process.Signal(os.Interrupt) }
	var log strings.Builder
	serveCmd.Stderr = &log
	stdout, err := serveCmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serveCmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The "serving DIR read-only at URL/ ..." line comes once it listens.
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("envup serve: %v\n%s", err, log.String())
	}
	m := regexp.MustCompile(` at (http://\S+)/ `).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("envup serve said %q", line)
	}
	u := newUser(t)
	code, stdoutText, stderr := u.install(t, shells(t)[0], m[1])
	if err := serveCmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, stdout)
	if err := serveCmd.Wait(); err != nil {
		t.Errorf("envup serve: %v\n%s", err, log.String())
	}
	t.Logf("envup serve's log:\n%s", log.String())
	if code != 0 || !strings.Contains(stdoutText, "envup "+rel.version+" (go") {
		t.Fatalf("install.sh from envup serve: exit %d\n%s%s", code, stdoutText, stderr)
	}
	for _, f := range []string{"/checksums.txt", "/" + rel.archive} {
		if !strings.Contains(log.String(), f) {
			t.Errorf("envup serve's log does not show %s", f)
		}
	}
}

// TestInstallShRefusesAChecksumMismatch: an archive whose sha256 is not
// the one checksums.txt gives is refused, with both sums, and nothing is
// installed or left behind: the envup already there stays as it was.
func TestInstallShRefusesAChecksumMismatch(t *testing.T) {
	rel := release(t)
	archive, err := os.ReadFile(filepath.Join(rel.dir, rel.archive))
	if err != nil {
		t.Fatal(err)
	}
	tampered := slices.Clone(archive)
	tampered[len(tampered)/2] ^= 0xff
	sum := sha256.Sum256(tampered)
	want, err := fetch.FileSum(filepath.Join(rel.dir, rel.archive))
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range shells(t) {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			u := newUser(t)
			bin := filepath.Join(u.home, ".local", "bin")
			old := "#!/bin/sh\necho envup 0.9.0\n"
			writeFile(t, filepath.Join(bin, "envup"), old, 0o755)
			srv := serve(t, rel.dir, map[string][]byte{"/" + rel.archive: tampered})
			code, stdout, stderr := u.install(t, sh, srv.URL)
			if code != 1 {
				t.Fatalf("install.sh: exit %d, want 1", code)
			}
			for _, s := range []string{"checksum mismatch for " + rel.archive, want, hex.EncodeToString(sum[:]), "nothing was installed"} {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q", s)
				}
			}
			if strings.Contains(stdout, "installed:") {
				t.Errorf("stdout says installed:\n%s", stdout)
			}
			assertUntouched(t, u, old)
		})
	}
}

// TestInstallShRefusals: a release without this host's archive, a
// checksums.txt that cannot be had, an archive that cannot: each a clear
// error naming the URL, exit 1, and nothing installed or left behind.
func TestInstallShRefusals(t *testing.T) {
	rel := release(t)
	sums, err := os.ReadFile(filepath.Join(rel.dir, "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	other := strings.ReplaceAll(string(sums), "_"+runtime.GOOS+"_"+runtime.GOARCH+".tar.gz", "_windows_"+runtime.GOARCH+".zip")
	sh := shells(t)[0]
	for _, tc := range []struct {
		name      string
		overrides map[string][]byte
		stderr    string
	}{
		{"no archive for this host", map[string][]byte{"/checksums.txt": []byte(other)},
			"names no envup_VERSION_" + runtime.GOOS + "_" + runtime.GOARCH + ".tar.gz: no release for " + runtime.GOOS + "/" + runtime.GOARCH},
		{"no checksums.txt", map[string][]byte{"/checksums.txt": nil}, "cannot download "},
		{"no archive", map[string][]byte{"/" + rel.archive: nil}, "cannot download "},
		{"two archives for this host", map[string][]byte{"/checksums.txt": []byte(string(sums) + strings.ReplaceAll(string(sums), rel.version, "9.9.9"))},
			"names 2 archives for " + runtime.GOOS + "/" + runtime.GOARCH},
		{"not a sha256", map[string][]byte{"/checksums.txt": []byte("0123  " + rel.archive + "\n")}, "not a sha256 for " + rel.archive},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u := newUser(t)
			old := "#!/bin/sh\necho envup 0.9.0\n"
			writeFile(t, filepath.Join(u.home, ".local", "bin", "envup"), old, 0o755)
			srv := serve(t, rel.dir, tc.overrides)
			code, _, stderr := u.install(t, sh, srv.URL)
			if code != 1 || !strings.Contains(stderr, tc.stderr) || !strings.Contains(stderr, srv.URL) {
				t.Errorf("install.sh: exit %d, want 1 and %q naming %s in:\n%s", code, tc.stderr, srv.URL, stderr)
			}
			assertUntouched(t, u, old)
		})
	}
}

// assertUntouched: ~/.local/bin holds the old envup alone, unchanged, and
// there are no recipes.
func assertUntouched(t *testing.T, u *user, old string) {
	t.Helper()
	bin := filepath.Join(u.home, ".local", "bin")
	entries, _ := os.ReadDir(bin)
	if len(entries) != 1 {
		t.Errorf("%s holds %d entries, want the old envup alone", bin, len(entries))
	}
	if got, _ := os.ReadFile(filepath.Join(bin, "envup")); string(got) != old {
		t.Errorf("the old envup changed: %q", got)
	}
	if _, err := os.Stat(filepath.Join(u.home, ".local", "share")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("~/.local/share: %v, want none", err)
	}
}

func writeFile(t *testing.T, name, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

// TestInstallShShellcheck: shellcheck, as POSIX sh, finds nothing in
// install.sh.
func TestInstallShShellcheck(t *testing.T) {
	sc, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Skip("no shellcheck")
	}
	out, err := exec.CommandContext(t.Context(), sc, "-s", "sh", filepath.Join(root, "install.sh")).CombinedOutput()
	if err != nil {
		t.Errorf("shellcheck -s sh install.sh: %v\n%s", err, out)
	}
}
