//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The second machine: a clean Debian 12 made by debootstrap in a folder.
const (
	chrootSuite   = "bookworm"
	chrootMirror  = "http://deb.debian.org/debian"
	chrootVariant = "minbase"
	// chrootCacheDir keeps the finished root as a tarball between runs:
	// debootstrap takes about a minute and a half, unpacking it seconds.
	chrootCacheDir = "/var/cache/envup-e2e"
)

// chrootInclude is what the chroot gets beyond minbase: Debian's Python
// 3.11 with venv, and the wheels Debian ships in /usr/share/python-wheels
// (pip, setuptools, wheel), which the recipe installs offline.
// python3.11-venv depends on python3.11-distutils, a virtual package that
// debootstrap cannot resolve: python3-distutils provides it.
var chrootInclude = []string{
	"python3.11", "python3.11-venv", "python3-distutils",
	"python3-pip-whl", "python3-setuptools-whl", "python3-wheel-whl",
}

// chrootPath is the PATH inside the chroot: Debian's root default.
const chrootPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// chrootBase is the clean root as a tarball, made once per test binary
// run (or taken from chrootCacheDir).
var chrootBase = sync.OnceValues(makeChrootBase)

// chrootTarball is a clean root, packed, and what making it took when it
// was made in this run (zero when it came from the cache).
type chrootTarball struct {
	path              string
	debootstrap, pack time.Duration
}

// chrootMachine is root on a second Debian machine: a folder on this host
// that envup and every command enter with chroot(8), in a fresh login's
// environment. thisHost makes one of this host itself, to compare with.
type chrootMachine struct {
	t    *testing.T
	root string // the machine's / on this host; "/" for this host itself
	home string // HOME on the machine
	bin  string // the envup binary, as the machine sees it
}

// thisHost is this host as a chrootMachine: its own /, a fresh HOME as
// newMachine makes, and the clean environment the chroot's commands get,
// so that the two machines differ by what is on them, not by the shell
// the tests were started from (pyenv shims first on PATH, PYENV_ROOT,
// XDG_* and the like would make envup see another user's setup).
func thisHost(t *testing.T) *chrootMachine {
	t.Helper()
	m := newMachine(t)
	return &chrootMachine{t: t, root: "/", home: m.home, bin: envupBin}
}

// newChroot gives the test its own clean Debian 12 in a fresh folder,
// with the host's resolv.conf (apt inside reaches Debian's mirror) and a
// static envup in /usr/local/bin. Cleanup removes the folder.
//
// Every command enters it through unshare(1) with a /proc of its own
// mounted in a private mount namespace: the mount never shows on this
// host and goes with the command, so none is left behind even when the
// test binary is killed (a -timeout runs no Cleanup). /dev is not needed:
// debootstrap makes the device nodes a minbase system uses.
func newChroot(t *testing.T) *chrootMachine {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("e2e tests change the machine and run as root")
	}
	for _, tool := range []string{"debootstrap", "unshare", "chroot", "tar"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s on this machine (apt-get install debootstrap)", tool)
		}
	}
	base, err := chrootBase()
	if err != nil {
		t.Fatalf("make the chroot: %v", err)
	}
	if base.debootstrap > 0 {
		t.Logf("made the chroot: debootstrap %s, packed into %s in %s", base.debootstrap.Round(time.Second),
			base.path, base.pack.Round(time.Second))
	}

	sweepStale(os.TempDir(), "envup-chroot-")
	root, err := os.MkdirTemp("", fmt.Sprintf("envup-chroot-%d-", os.Getpid()))
	if err != nil {
		t.Fatal(err)
	}
	c := &chrootMachine{t: t, root: root, home: "/root", bin: "/usr/local/bin/envup"}
	t.Cleanup(c.remove)

	start := time.Now()
	if out, err := exec.Command("tar", "-xpzf", base.path, "-C", root, "--numeric-owner").CombinedOutput(); err != nil {
		t.Fatalf("unpack %s: %v\n%s", base.path, err, out)
	}
	t.Logf("chroot %s unpacked in %s", root, time.Since(start).Round(time.Millisecond))

	resolv, err := os.ReadFile("/etc/resolv.conf")
	if err != nil {
		t.Fatal(err)
	}
	// Remove first: a symlink there must not lead the write out of the chroot.
	if err := os.Remove(filepath.Join(root, "etc", "resolv.conf")); err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "etc", "resolv.conf"), string(resolv))

	build := exec.CommandContext(t.Context(), "go", "build", "-o", c.path(c.bin), "../cmd/envup")
	build.Env = append(os.Environ(), "CGO_ENABLED=0") // static: the chroot has its own libc
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build a static envup: %v\n%s", err, out)
	}
	return c
}

// path is where name (absolute inside the chroot) is on this host.
func (c *chrootMachine) path(name string) string {
	return filepath.Join(c.root, name)
}

// command runs argv on the machine in a clean environment: HOME, root's
// PATH, and ENVUP_HOME in HOME as newMachine has it, so that both
// machines keep envup's files at ~/.envup.
func (c *chrootMachine) command(ctx context.Context, argv ...string) *exec.Cmd {
	args := append([]string{"/usr/bin/env", "-i", "HOME=" + c.home, "ENVUP_HOME=" + c.home + "/.envup",
		"PATH=" + chrootPath, "NO_COLOR=1"}, argv...)
	if c.root != "/" {
		args = append([]string{"unshare", "--mount", "--mount-proc=" + c.path("/proc"), "chroot", c.root}, args...)
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = "/"
	return cmd
}

// envup runs envup on the machine and returns its combined output; it
// fails the test when the exit code is not want (-1: any).
func (c *chrootMachine) envup(want int, args ...string) string {
	c.t.Helper()
	ctx := c.t.Context()
	if ctx.Err() != nil {
		ctx = context.Background() // in a Cleanup: the test's context is over
	}
	cmd := c.command(ctx, append([]string{c.bin}, args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	got := 0
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			c.t.Fatalf("%s: envup %v: %v", c, args, err)
		}
		got = exitErr.ExitCode()
	}
	if want >= 0 && got != want {
		c.t.Fatalf("%s: envup %s: exit %d, want %d\n%s", c, strings.Join(args, " "), got, want, out.String())
	}
	c.t.Logf("%s: envup %s:\n%s", c, strings.Join(args, " "), out.String())
	return out.String()
}

// run runs argv on the machine and returns its stdout; it fails the test
// when the command fails.
func (c *chrootMachine) run(argv ...string) string {
	c.t.Helper()
	cmd := c.command(c.t.Context(), argv...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		c.t.Fatalf("%s: %s: %v\n%s%s", c, strings.Join(argv, " "), err, out, stderr.String())
	}
	return string(out)
}

// String names the machine in messages: "chroot" or "host".
func (c *chrootMachine) String() string {
	if c.root == "/" {
		return "host"
	}
	return "chroot"
}

// remove removes the root, but never one with a mount in it: RemoveAll
// must not walk into a mounted filesystem.
func (c *chrootMachine) remove() {
	if err := removeUnmounted(c.root); err != nil {
		c.t.Errorf("chroot %s left as it is: %v", c.root, err)
	}
}

// removeUnmounted removes dir when nothing is mounted at or below it.
func removeUnmounted(dir string) error {
	mounts, err := mountsBelow(dir)
	if err != nil {
		return err
	}
	if len(mounts) > 0 {
		return fmt.Errorf("still mounted: %s", strings.Join(mounts, ", "))
	}
	return os.RemoveAll(dir)
}

// mountsBelow lists the mount points at or below dir, as
// /proc/self/mountinfo has them (what findmnt reads).
func mountsBelow(dir string) ([]string, error) {
	dir, err := filepath.EvalSymlinks(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 {
			continue
		}
		// Field 5 is the mount point, with space, tab, newline and
		// backslash written as octal escapes.
		mp := strings.NewReplacer(`\040`, " ", `\011`, "\t", `\012`, "\n", `\134`, `\`).Replace(fields[4])
		if mp == dir || strings.HasPrefix(mp, dir+"/") {
			out = append(out, mp)
		}
	}
	return out, sc.Err()
}

// sweepStale removes what killed runs left in dir, prefix<pid>-*, once
// their process is gone: a test binary killed by -timeout runs no
// Cleanup. A folder with a mount in it stays.
func sweepStale(dir, prefix string) {
	matches, _ := filepath.Glob(filepath.Join(dir, prefix+"*"))
	for _, m := range matches {
		pidText, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(m), prefix), "-")
		if pid, err := strconv.Atoi(pidText); err == nil && pid != os.Getpid() && !processAlive(pid) {
			_ = removeUnmounted(m)
		}
	}
}

// processAlive tells whether process pid exists (Linux: it has a /proc entry).
func processAlive(pid int) bool {
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return err == nil
}

// makeChrootBase returns the tarball of a clean chroot: the cached one
// when its key matches, else one made now with debootstrap. The key covers
// everything that shapes the result, including the Date of the suite's
// Release file, so a Debian point release makes a new one.
func makeChrootBase() (chrootTarball, error) {
	key, err := chrootKey()
	if err != nil {
		return chrootTarball{}, err
	}
	tarball := chrootTarball{path: filepath.Join(chrootCacheDir, "chroot-"+chrootSuite+"-"+key+".tar.gz")}
	if _, err := os.Stat(tarball.path); err == nil {
		return tarball, nil
	}
	if err := os.MkdirAll(chrootCacheDir, 0o755); err != nil {
		return chrootTarball{}, err
	}
	sweepStale(chrootCacheDir, "staging-")
	staging, err := os.MkdirTemp(chrootCacheDir, fmt.Sprintf("staging-%d-", os.Getpid()))
	if err != nil {
		return chrootTarball{}, err
	}
	defer func() { _ = removeUnmounted(staging) }()
	root := filepath.Join(staging, "root")

	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	// debootstrap mounts /proc and /sys in the target while it works:
	// in a mount namespace of its own, so that they go with it.
	deb := exec.CommandContext(ctx, "unshare", "--mount", "debootstrap", "--variant="+chrootVariant,
		"--include="+strings.Join(chrootInclude, ","), chrootSuite, root, chrootMirror)
	deb.Cancel = func() error { return deb.Process.Signal(syscall.SIGTERM) }
	deb.WaitDelay = time.Minute
	if out, err := deb.CombinedOutput(); err != nil {
		return chrootTarball{}, fmt.Errorf("debootstrap: %w\n%s", err, lastLines(out, 30))
	}
	tarball.debootstrap = time.Since(start)

	// The downloaded .debs are apt's cache, not the machine; the package
	// lists are gone too, as in Debian's container images, so that a cached
	// root never installs from stale lists: envup runs apt-get update first.
	debs, _ := filepath.Glob(filepath.Join(root, "var", "cache", "apt", "archives", "*.deb"))
	lists, _ := filepath.Glob(filepath.Join(root, "var", "lib", "apt", "lists", "*_*"))
	for _, f := range append(debs, lists...) {
		if err := os.Remove(f); err != nil {
			return chrootTarball{}, err
		}
	}
	// Nothing apt installs in there may start a service on this host.
	if err := os.WriteFile(filepath.Join(root, "usr", "sbin", "policy-rc.d"), []byte("#!/bin/sh\nexit 101\n"), 0o755); err != nil {
		return chrootTarball{}, err
	}
	start = time.Now()
	part := filepath.Join(staging, "root.tar.gz")
	if out, err := exec.Command("tar", "-czpf", part, "--numeric-owner", "-C", root, ".").CombinedOutput(); err != nil {
		return chrootTarball{}, fmt.Errorf("pack the chroot: %w\n%s", err, out)
	}
	tarball.pack = time.Since(start)
	// Older keys are stale: only the newest tarball is kept.
	old, _ := filepath.Glob(filepath.Join(chrootCacheDir, "chroot-"+chrootSuite+"-*.tar.gz"))
	for _, f := range old {
		_ = os.Remove(f)
	}
	if err := os.Rename(part, tarball.path); err != nil { // atomic: a reader sees all of it or nothing
		return chrootTarball{}, err
	}
	return tarball, nil
}

// chrootKey names one debootstrap result: suite, mirror, variant,
// packages, architecture, debootstrap's version and the suite's Release
// date.
func chrootKey() (string, error) {
	arch, err := exec.Command("dpkg", "--print-architecture").Output()
	if err != nil {
		return "", fmt.Errorf("dpkg --print-architecture: %w", err)
	}
	version, err := exec.Command("debootstrap", "--version").Output()
	if err != nil {
		return "", fmt.Errorf("debootstrap --version: %w", err)
	}
	date, err := releaseDate(chrootMirror + "/dists/" + chrootSuite + "/Release")
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, s := range []string{chrootSuite, chrootMirror, chrootVariant, strings.Join(chrootInclude, ","),
		strings.TrimSpace(string(arch)), strings.TrimSpace(string(version)), date} {
		fmt.Fprintf(h, "%s\n", s)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// releaseDate is the Date field of a Debian Release file.
func releaseDate(url string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, http.NoBody)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	// The Date comes in the first lines, before the index checksums.
	sc := bufio.NewScanner(io.LimitReader(resp.Body, 64<<10))
	for sc.Scan() {
		if d, ok := strings.CutPrefix(sc.Text(), "Date: "); ok {
			return d, nil
		}
	}
	return "", fmt.Errorf("GET %s: no Date", url)
}

// lastLines is the last n lines of out.
func lastLines(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
