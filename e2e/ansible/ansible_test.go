//go:build ansible

// Package ansible tests the envup.envup Ansible collection
// (contrib/ansible) over SSH on three seats of this machine, each a user
// of its own with an sshd in a network namespace of its own. Run as root
// by .ci/run: go test -tags ansible ./e2e/ansible/.
package ansible

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/envup/envup/internal/fetch"
)

// root is the repository, from this package's folder.
const root = "../.."

// TestThreeSeats applies one recipe (files, a venv from the controller's
// envup serve, VS Code settings, a real font) to three seats through the
// collection's role and modules, and checks what Ansible reports and
// what the seats hold.
func TestThreeSeats(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the seats are users, sshds and network namespaces: run as root")
	}
	for _, p := range []string{"ansible-playbook", "/usr/sbin/sshd", "ssh-keygen", "ip", "/usr/bin/python3.11", "fc-cache"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("no %s (apt-get install ansible-core openssh-server iproute2 python3.11-venv fontconfig)", p)
		}
	}
	const font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf" // fonts-dejavu-core
	if _, err := os.Stat(font); err != nil {
		t.Skip("no fonts-dejavu-core")
	}
	work := t.TempDir()
	c := &controller{t: t, dir: work}
	c.envup = buildEnvup(t, filepath.Join(work, "bin"))
	releases := buildRelease(t, c.envup, filepath.Join(work, "releases"))
	mirrorURLPort := c.serveMirror(filepath.Join(work, "mirror"))
	lab := writeLab(t, filepath.Join(work, "lab"), font)

	key := filepath.Join(work, "id_ed25519")
	mustRun(t, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "controller", "-f", key)
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	seats := newSeats(t, 3, string(pub))
	c.writeConfig(seats, key, releases, lab, mirrorURLPort)

	// A release folder whose checksums.txt does not match its archive:
	// refused on the controller, nothing put on the seat.
	tampered := filepath.Join(work, "tampered")
	mustRun(t, "cp", "-r", releases, tampered)
	sums, err := os.ReadFile(filepath.Join(tampered, "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	flipped := map[byte]byte{'0': '1'}[sums[0]]
	if flipped == 0 {
		flipped = '0'
	}
	writeFile(t, filepath.Join(tampered, "checksums.txt"), string(flipped)+string(sums[1:]), 0o644)
	refused := c.playbook(2, "site.yml", "--limit", seats[0].name, "-e", "envup_release_dir="+tampered)
	msg := fmt.Sprint(refused.result(t, "Refuse an archive whose sha256 is not the one checksums.txt gives", seats[0].name).Msg)
	if !strings.Contains(msg, "checksums.txt says "+string(flipped)) {
		t.Errorf("tampered checksums.txt: %s", msg)
	}
	if _, err := os.Stat(filepath.Join(seats[0].home, ".local", "share", "envup-releases")); !os.IsNotExist(err) {
		t.Errorf("a refused archive left the seat's release folder (%v)", err)
	}

	// First run: every seat changes, and holds what the recipe says.
	start := time.Now()
	first := c.playbook(0, "site.yml")
	firstTook := time.Since(start)
	for _, s := range seats {
		if st := first.Stats[s.name]; st.Failures != 0 || st.Unreachable != 0 {
			t.Errorf("first run, %s: %+v", s.name, st)
		}
		apply := first.result(t, "Apply the recipe", s.name)
		if !apply.Changed || !slices.ContainsFunc(apply.Resources, func(r resource) bool { return r.ID == "virtualenv/lab" && r.Status == "applied" }) {
			t.Errorf("first run, %s: the apply task did not change the venv: %+v", s.name, apply)
		}
		got := mustRun(t, "runuser", "-u", s.user, "--", s.home+"/envs/lab/bin/python", "-c", "import seatbook, tinymath; print(tinymath.__name__)")
		if strings.TrimSpace(got) != "tinymath" {
			t.Errorf("%s: the venv's python says %q", s.name, got)
		}
		for _, f := range []string{"lab/README.txt", "lab/seats.py", ".config/Code/User/settings.json", ".local/share/fonts/envup/DejaVuSans.ttf"} {
			assertOwned(t, filepath.Join(s.home, f), s.user)
		}
	}

	// Second run: nothing changes anywhere.
	start = time.Now()
	second := c.playbook(0, "site.yml")
	noopTook := time.Since(start)
	for _, s := range seats {
		if st := second.Stats[s.name]; st.Changed != 0 || st.Failures != 0 {
			t.Errorf("second run, %s: changed=%d failures=%d, want 0 and 0", s.name, st.Changed, st.Failures)
		}
	}

	// The same recipe with Ansible's own modules, on the same seats.
	start = time.Now()
	builtinFirst := c.playbook(0, "builtin.yml")
	builtinFirstTook := time.Since(start)
	start = time.Now()
	builtinNoop := c.playbook(0, "builtin.yml")
	builtinNoopTook := time.Since(start)
	for _, s := range seats {
		if builtinFirst.Stats[s.name].Changed == 0 || builtinNoop.Stats[s.name].Changed != 0 {
			t.Errorf("%s: builtin.yml changed %d then %d, want some then 0", s.name, builtinFirst.Stats[s.name].Changed, builtinNoop.Stats[s.name].Changed)
		}
	}
	t.Logf("three seats, envup.envup.seat: first run %.1f s, no-op run %.1f s", firstTook.Seconds(), noopTook.Seconds())
	t.Logf("three seats, ansible.builtin file/copy/pip: first run %.1f s, no-op run %.1f s", builtinFirstTook.Seconds(), builtinNoopTook.Seconds())

	// Check mode on a seat whose file was edited: changed, a diff, and the
	// file as it was.
	edited := filepath.Join(seats[1].home, "lab", "README.txt")
	const mine = "Tuesday lab: run seats.py\nmy own note\n"
	if err := os.WriteFile(edited, []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	check := c.playbook(0, "site.yml", "--check", "--diff", "--limit", seats[1].name)
	apply := check.result(t, "Apply the recipe", seats[1].name)
	var diff []struct{ Prepared string }
	if err := json.Unmarshal(apply.Diff, &diff); err != nil || !apply.Changed || len(diff) != 1 ||
		!strings.Contains(diff[0].Prepared, "file/~/lab/README.txt") || !strings.Contains(diff[0].Prepared, "content differs") {
		t.Errorf("check mode on the edited seat: changed=%v diff=%s (%v)", apply.Changed, apply.Diff, err)
	}
	t.Logf("check mode's diff on %s:\n%s", seats[1].name, diff)
	if got, _ := os.ReadFile(edited); string(got) != mine {
		t.Errorf("check mode changed %s:\n%s", edited, got)
	}

	// The lab moves to tinymath 0.4; seat3 is given an index it cannot
	// reach: it fails alone, the others apply.
	recipe := filepath.Join(lab, "lab.yml")
	data, err := os.ReadFile(recipe)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, recipe, strings.Replace(string(data), `"tinymath==0.3.1"`, `"tinymath>=0.4"`, 1), 0o644)
	broken := c.writeInventory("broken.yml", seats, key, releases, lab, map[string]string{seats[2].name: "http://" + seats[2].hostIP + ":9"})
	bump := c.playbook(2, "site.yml", "-i", broken)
	for i, s := range seats {
		st, res := bump.Stats[s.name], bump.result(t, "Apply the recipe", s.name)
		if i == 2 {
			if st.Failures != 1 || !res.Failed || !strings.Contains(fmt.Sprint(res.Msg), "virtualenv/lab") {
				t.Errorf("%s, unreachable index: failures=%d failed=%v msg=%q", s.name, st.Failures, res.Failed, res.Msg)
			}
			continue
		}
		if st.Failures != 0 || !res.Changed {
			t.Errorf("%s: failures=%d changed=%v, want it to apply the bump", s.name, st.Failures, res.Changed)
		}
	}

	// Snapshots of every seat, compared on the controller: seat3 is the
	// odd one out, by its tinymath.
	compare := c.playbook(0, "compare.yml")
	odd := compare.result(t, "Name the seats that match no other seat", seats[0].name)
	if fmt.Sprint(odd.Msg) != fmt.Sprint([]string{seats[2].name}) {
		t.Errorf("odd one out: %v, want [%s]", odd.Msg, seats[2].name)
	}
	if off := compare.result(t, "Name the seats that are not as the recipe wants", seats[0].name); fmt.Sprint(off.Msg) != fmt.Sprint([]string{seats[2].name}) {
		t.Errorf("seats not as the recipe wants: %v, want [%s]", off.Msg, seats[2].name)
	}
	pairs := compare.result(t, "Compare every two seats, on the controller", seats[0].name)
	if len(pairs.Results) != 3 {
		t.Errorf("%d diffs, want one a pair of seats", len(pairs.Results))
	}
	for _, p := range pairs.Results {
		var pair []string
		if err := json.Unmarshal(p.Item, &pair); err != nil {
			t.Fatalf("diff item %s: %v", p.Item, err)
		}
		if p.Equal == slices.Contains(pair, seats[2].name) {
			t.Errorf("diff %v: equal=%v", pair, p.Equal)
		}
		if !p.Equal && !slices.ContainsFunc(p.Differences, func(d difference) bool { return d.Path == "virtualenvs/lab/packages/tinymath" }) {
			t.Errorf("diff %v does not name tinymath: %+v", pair, p.Differences)
		}
		if !p.Equal {
			t.Logf("%s differ: %+v", strings.Join(pair, " and "), p.Differences)
		}
	}
}

// TestReadmeShowsThePlaybooks keeps the collection's README working: the
// playbooks it shows are the ones TestThreeSeats runs, byte for byte.
func TestReadmeShowsThePlaybooks(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(root, "contrib", "ansible", "ansible_collections", "envup", "envup", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"site.yml", "compare.yml"} {
		data, err := os.ReadFile(filepath.Join("testdata", p))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(readme), "```yaml\n"+string(data)+"```\n") {
			t.Errorf("the collection's README does not show testdata/%s as a yaml block", p)
		}
	}
}

// controller is this host as Ansible's controller: a folder with the
// inventory, ansible.cfg and the playbooks, and the envup it runs.
type controller struct {
	t     *testing.T
	dir   string
	envup string
	port  string // envup serve's
}

// serveMirror fills dir with three real wheels (built here, offline) and
// an index saying they are a virtualenv's, and serves it with envup
// serve on every address of this host; it returns the port.
func (c *controller) serveMirror(dir string) string {
	t := c.t
	for _, w := range []struct{ name, version string }{{"seatbook", "1.2.0"}, {"tinymath", "0.3.1"}, {"tinymath", "0.4.0"}} {
		buildWheel(t, dir, w.name, w.version)
	}
	indexWheels(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	serve := exec.CommandContext(ctx, c.envup, "serve", dir, "--addr", ":0", "--output", "json")
	out, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = serve.Wait() })
	lines := bufio.NewScanner(out)
	if !lines.Scan() {
		t.Fatalf("envup serve said nothing: %v", lines.Err())
	}
	var ev struct{ Event, URL string }
	if err := json.Unmarshal(lines.Bytes(), &ev); err != nil || ev.Event != "listening" {
		t.Fatalf("envup serve's first line: %s (%v)", lines.Bytes(), err)
	}
	go func() { // the request lines, until it stops
		for lines.Scan() {
		}
	}()
	return ev.URL[strings.LastIndex(ev.URL, ":")+1:]
}

// writeConfig writes ansible.cfg, the inventory of the seats and the
// playbooks from testdata.
func (c *controller) writeConfig(seats []*seat, key, releases, lab, port string) {
	t := c.t
	var known strings.Builder
	for _, s := range seats {
		fmt.Fprintf(&known, "%s %s\n", s.seatIP, s.hostKey)
	}
	writeFile(t, filepath.Join(c.dir, "known_hosts"), known.String(), 0o644)
	c.port = port
	c.writeInventory("inventory.yml", seats, key, releases, lab, nil)
	collections, err := filepath.Abs(filepath.Join(root, "contrib", "ansible"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(c.dir, "ansible.cfg"), `[defaults]
inventory = inventory.yml
collections_path = `+collections+`
forks = 10
interpreter_python = /usr/bin/python3

[ssh_connection]
pipelining = true
`, 0o644)
	for _, p := range []string{"site.yml", "compare.yml", "builtin.yml", "callback_plugins/record.py"} {
		data, err := os.ReadFile(filepath.Join("testdata", p))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(c.dir, p), string(data), 0o644)
	}
}

// writeInventory writes the seats' inventory as name in the controller's
// folder, each seat's mirror the controller's envup serve unless mirrors
// names another for it, and returns its path.
func (c *controller) writeInventory(name string, seats []*seat, key, releases, lab string, mirrors map[string]string) string {
	var hosts strings.Builder
	for _, s := range seats {
		m := mirrors[s.name]
		if m == "" {
			m = "http://" + s.hostIP + ":" + c.port
		}
		fmt.Fprintf(&hosts, "    %s:\n      ansible_host: %s\n      ansible_user: %s\n      envup_mirror: [%q]\n", s.name, s.seatIP, s.user, m)
	}
	path := filepath.Join(c.dir, name)
	writeFile(c.t, path, "seats:\n  hosts:\n"+hosts.String()+`  vars:
    ansible_python_interpreter: /usr/bin/python3
    ansible_ssh_private_key_file: `+key+`
    ansible_ssh_common_args: -o UserKnownHostsFile=`+filepath.Join(c.dir, "known_hosts")+` -o StrictHostKeyChecking=yes
    envup_release_dir: `+releases+`
    envup_recipe_dir: `+lab+`
    envup_recipe: lab.yml
    envup_offline: true
`, 0o644)
	return path
}

// playbook runs ansible-playbook in the controller's folder with the
// test's callback (testdata/callback_plugins/record.py) and returns what it reported; the exit code must be want
// (2: a host failed).
func (c *controller) playbook(want int, args ...string) *report {
	t := c.t
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "ansible-playbook", args...)
	cmd.Dir = c.dir
	home := filepath.Join(c.dir, "home")
	cmd.Env = append(os.Environ(),
		"HOME="+home,
		"ANSIBLE_HOME="+filepath.Join(home, ".ansible"),
		"ANSIBLE_CONFIG="+filepath.Join(c.dir, "ansible.cfg"),
		"ANSIBLE_STDOUT_CALLBACK=record",
		"ANSIBLE_CALLBACK_PLUGINS="+filepath.Join(c.dir, "callback_plugins"),
		"ANSIBLE_NOCOLOR=1",
		"PATH="+filepath.Dir(c.envup)+string(os.PathListSeparator)+os.Getenv("PATH"), // the diff module's envup
	)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	got := 0
	if err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			t.Fatalf("ansible-playbook %v: %v", args, err)
		}
		got = exitErr.ExitCode()
	}
	r := &report{}
	if err := json.Unmarshal(out, r); err != nil {
		t.Fatalf("ansible-playbook %s: exit %d: %v\n%s\n%s", strings.Join(args, " "), got, err, out, stderr.String())
	}
	if got != want {
		t.Fatalf("ansible-playbook %s: exit %d, want %d\n%s%s", strings.Join(args, " "), got, want, r.failures(), stderr.String())
	}
	return r
}

// failures says which tasks failed where, and why.
func (r *report) failures() string {
	var b strings.Builder
	for _, p := range r.Plays {
		for _, tk := range p.Tasks {
			for host, res := range tk.Hosts {
				if res.Failed || res.Unreachable {
					fmt.Fprintf(&b, "%s on %s: %v\n", tk.Task.Name, host, res.Msg)
				}
			}
		}
	}
	return b.String()
}

// report is what the record callback prints.
type report struct {
	Plays []struct {
		Tasks []struct {
			Task  struct{ Name string }
			Hosts map[string]taskResult
		}
	}
	Stats map[string]struct {
		Changed, Failures, Unreachable, OK int
	}
}

type taskResult struct {
	Changed     bool
	Failed      bool
	Unreachable bool
	Msg         any
	Resources   []resource
	Diff        json.RawMessage // the apply module's: a list of {prepared}; the file module's: one object
	Results     []struct {
		Item        json.RawMessage // the diff task's: the two seats
		Equal       bool
		Differences []difference
	}
}

type resource struct{ ID, Status string }

type difference struct{ Path, Text string }

// result is the task's result on host (a role's task is named "ROLE : task"); a task that did not run there
// fails the test.
func (r *report) result(t *testing.T, task, host string) taskResult {
	t.Helper()
	for _, p := range r.Plays {
		for _, tk := range p.Tasks {
			if res, ok := tk.Hosts[host]; ok && (tk.Task.Name == task || strings.HasSuffix(tk.Task.Name, " : "+task)) {
				return res
			}
		}
	}
	t.Fatalf("no result of %q on %s", task, host)
	return taskResult{}
}

// buildEnvup builds envup for this host into dir, as a release is built.
func buildEnvup(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "envup")
	build := exec.CommandContext(t.Context(), "go", "build", "-trimpath", "-ldflags=-s -w -X github.com/envup/envup/internal/cli.version="+version, "-o", bin, "./cmd/envup")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// version is the release the test packs.
const version = "0.0.0-ansible-test"

// buildRelease packs bin into dir as .goreleaser.yml names this host's
// archive (envup_VERSION_OS_ARCH.tar.gz, the binary at the top) and
// writes checksums.txt beside it, as a release holds them.
func buildRelease(t *testing.T, bin, dir string) string {
	t.Helper()
	name := fmt.Sprintf("envup_%s_%s_%s.tar.gz", version, runtime.GOOS, runtime.GOARCH)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "tar", "-czf", filepath.Join(dir, name), "-C", filepath.Dir(bin), filepath.Base(bin))
	sum, err := fetch.FileSum(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "checksums.txt"), sum+"  "+name+"\n", 0o644)
	return dir
}

// assertOwned fails unless path exists and belongs to user.
func assertOwned(t *testing.T, path, user string) {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), "stat", "-c", "%U", path).Output()
	if err != nil || strings.TrimSpace(string(out)) != user {
		t.Errorf("%s: owner %q (%v), want %s", path, strings.TrimSpace(string(out)), err, user)
	}
}
