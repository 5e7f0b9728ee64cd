//go:build wine10

package windows

import (
	"strings"
	"testing"
	"time"
)

// TestKilledApplyLeavesNothingRunning kills envup.exe outright (SIGKILL to
// its Wine process: no handler of envup's runs) while a check's command
// runs with a grandchild of its own: both end with it, since each command
// is in a job object that kills what is in it when envup's handles close.
func TestKilledApplyLeavesNothingRunning(t *testing.T) {
	s := newSeat(t)
	write(t, s.path("tree.exe"), standin(t))
	write(t, s.path("tree.yml"), []byte(`envup: 1
name: tree
checks:
  - name: tree
    run: ['Z:\host\`+s.name+`\tree.exe', --tree, 'Z:\host\`+s.name+`\grandchild.pid']
`))
	// The chroot has no procps: procs lists the processes whose command
	// line holds $1, as "PID: COMMAND LINE" (Wine's show the Windows one).
	out := s.session(3*time.Minute, `
procs() {
  for f in /proc/[0-9]*/cmdline; do
    c=$(tr '\0' ' ' <"$f" 2>/dev/null) || continue
    case $c in *"$1"*) p=${f#/proc/}; echo "${p%/cmdline}: $c" ;; esac
  done
}
wine "$E" apply tree.yml >apply.txt 2>&1 &
i=0; while [ ! -s grandchild.pid ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
procs tree.exe >before.txt; procs 'envup.exe apply' >envup.txt
for p in $(cut -d: -f1 envup.txt); do kill -KILL "$p"; done; echo killed=$(wc -l <envup.txt)
wait
i=0; while [ -n "$(procs tree.exe)" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
procs tree.exe >after.txt; echo after=$(wc -l <after.txt)
`)
	if n := strings.Count(s.read("before.txt"), "\n"); n != 2 || exit(t, out, "killed") == "0" {
		t.Fatalf("want the check's command and its grandchild running (%d found), and envup.exe killed:\n%s\n--- apply:\n%s\n--- before:\n%s", n, out, s.read("apply.txt"), s.read("before.txt"))
	}
	if exit(t, out, "after") != "0" {
		t.Errorf("processes of the killed apply still run 30 s after it was killed:\n%s", strings.TrimSpace(s.read("after.txt")))
	}
}
