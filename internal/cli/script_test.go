package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"envup":        func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
		"redis-server": fakeRedisServer,
		"redis-cli":    fakeRedisCli,
	})
}

// TestScripts runs every testdata/script/*.txtar: the envup binary against
// a temporary HOME and ENVUP_HOME, with fake package managers first on the
// PATH that log their argv to $WORK/pm.log and record what they "install"
// in the package databases under $ENVUP_ROOT. The scripts pass for root
// and for a normal user; [root] marks what differs (envup uses sudo only
// when it is not root).
func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       os.Getenv("ENVUP_UPDATE_SCRIPTS") != "",
		Setup:               setupScript,
		Condition:           scriptCondition,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"exits":     cmdExits,
			"waitfile":  cmdWaitfile,
			"sha256":    cmdSHA256,
			"expand":    cmdExpand,
			"freeport":  cmdFreePort,
			"waithttp":  cmdWaitHTTP,
			"httpget":   cmdHTTPGet,
			"signal":    cmdSignal,
			"gone":      cmdGone,
			"jsonout":   cmdJSONOut,
			"validjson": cmdValidJSON,
		},
	})
}

// scriptCondition adds [root]: the test runs as root, so envup runs the
// package managers without sudo.
func scriptCondition(cond string) (bool, error) {
	if cond == "root" {
		return os.Geteuid() == 0, nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

func setupScript(env *testscript.Env) error {
	work := env.WorkDir
	home := filepath.Join(work, "home")
	root := filepath.Join(work, "root")
	bin := filepath.Join(work, "fakebin")
	for _, dir := range []string{home, bin, filepath.Join(root, "var/lib/dpkg"), filepath.Join(root, "var/lib/apt/lists")} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	// Package lists already fetched, as on a machine that ran apt-get update.
	if err := os.WriteFile(filepath.Join(root, "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"), nil, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(root, "var/lib/dpkg/status"), []byte(dpkgStatus), 0o644); err != nil {
		return err
	}
	for name, script := range fakeBins {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			return err
		}
	}
	recipes, err := filepath.Abs("../../recipes")
	if err != nil {
		return err
	}
	env.Setenv("RECIPES", recipes)
	env.Setenv("HOME", home)
	env.Setenv("USERPROFILE", home)
	env.Setenv("ENVUP_HOME", filepath.Join(work, ".envup"))
	env.Setenv("ENVUP_ROOT", root)
	env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	env.Setenv("NO_COLOR", "1")
	// No script reaches the internet: a download from anywhere but
	// loopback (which Go's ProxyFromEnvironment never proxies: the
	// scripts' `envup serve` origins) goes through a proxy that refuses
	// at once, with no DNS look-up (the catalog's pip wheel, pinned as
	// optional, is on files.pythonhosted.org).
	for _, v := range []string{"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"} {
		env.Setenv(v, "http://127.0.0.1:9")
	}
	env.Setenv("NO_PROXY", "")
	env.Setenv("no_proxy", "")
	env.Setenv("PATH", bin+string(os.PathListSeparator)+env.Getenv("PATH"))
	return nil
}

// dpkgStatus is a package database holding one installed package.
const dpkgStatus = `Package: coreutils
Status: install ok installed
Priority: required
Version: 9.1-1

`

// fakeBins are the package managers on a script's PATH, and sudo. apt-get
// fails for a package named nosuchpkg the way the real one does, and logs
// the DEBIAN_FRONTEND it was given before its argv, as a shell would write
// it, so a script sees that the install ran non-interactively. slowpkg
// writes its pid and its parent's (envup) to $WORK/apt.pid and
// $WORK/envup.pid, says $WORK/apt.started, and waits for $WORK/apt.release.
//
// sudo runs its command as the real one does with what envup passes it
// (pkgmgr.Manager.Commands: sudo, VAR=value words, the argv; no options):
// it resets the environment, keeping only what the fakes need (PATH, WORK,
// ENVUP_ROOT, as a sudoers env_keep would), then sets the VAR=value words
// and runs the command, which env(1) does in the same order. An option is
// an error, so a change to envup's sudo argv fails here until the fake
// learns it.
var fakeBins = map[string]string{
	"apt-get": `#!/bin/sh
echo "${DEBIAN_FRONTEND:+DEBIAN_FRONTEND=$DEBIAN_FRONTEND }apt-get $*" >> "$WORK/pm.log"
[ "$1" = update ] && exit 0
for a in "$@"; do
  case "$a" in
  -*|install) ;;
  nosuchpkg) echo "E: Unable to locate package $a" >&2; exit 100 ;;
  slowpkg) echo $$ > "$WORK/apt.pid"; echo $PPID > "$WORK/envup.pid"; touch "$WORK/apt.started"; while [ ! -e "$WORK/apt.release" ]; do sleep 0.02; done ;;
  *) printf 'Package: %s\nStatus: install ok installed\nVersion: 1.0\n\n' "$a" >> "$ENVUP_ROOT/var/lib/dpkg/status" ;;
  esac
done
`,
	"sudo": `#!/bin/sh
echo "sudo $*" >> "$WORK/pm.log"
case "$1" in
-*) echo "sudo: the fake sudo knows no options: $1" >&2; exit 1 ;;
esac
exec env -i PATH="$PATH" WORK="$WORK" ENVUP_ROOT="$ENVUP_ROOT" "$@"
`,
}

// cmdExits runs a command and asserts its exit code: exits 2 envup plan r.yml.
// Its output is kept for stdout/stderr assertions, as exec's is.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			ts.Fatalf("exits: %v", err)
		}
		got = exitErr.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

// cmdHTTPGet fetches a URL and asserts its status:
// httpget [-status CODE] URL [FILE]. The path is sent as written (../ and
// %2e%2e too); the body goes to FILE, else to the script's stdout.
func cmdHTTPGet(ts *testscript.TestScript, neg bool, args []string) {
	want := http.StatusOK
	if len(args) >= 2 && args[0] == "-status" {
		code, err := strconv.Atoi(args[1])
		if err != nil {
			ts.Fatalf("httpget: -status: %v", err)
		}
		want, args = code, args[2:]
	}
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: httpget [-status CODE] URL [FILE]")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, args[0], http.NoBody)
	if err != nil {
		ts.Fatalf("httpget: %v", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.Fatalf("httpget: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.Fatalf("httpget: %v", err)
	}
	if resp.StatusCode != want {
		ts.Fatalf("httpget %s: status %d, want %d", args[0], resp.StatusCode, want)
	}
	if len(args) == 2 {
		if err := os.WriteFile(ts.MkAbs(args[1]), body, 0o644); err != nil {
			ts.Fatalf("httpget: %v", err)
		}
		return
	}
	if _, err := ts.Stdout().Write(body); err != nil {
		ts.Fatalf("httpget: %v", err)
	}
}

// cmdWaitHTTP waits until a URL answers 200: waithttp URL. It polls
// with a deadline, so a script can wait for a server it started.
func cmdWaitHTTP(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waithttp URL")
	}
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := client.Get(args[0]); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	ts.Fatalf("waithttp: %s did not answer 200 within 30s", args[0])
}

// cmdWaitfile waits until a file exists: waitfile PATH. It polls with a
// deadline, so a script can wait for a background command to get going.
func cmdWaitfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile PATH")
	}
	name := ts.MkAbs(args[0])
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(name); err == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	ts.Fatalf("waitfile: %s did not appear within 30s", args[0])
}
