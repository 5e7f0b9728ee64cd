//go:build unix

package system

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"sync"
	"syscall"
)

// The keeper is a second envup process, started with the first command a
// run starts, that outlives envup by a moment: it reads the process
// groups of envup's running commands from a pipe, and when the pipe ends
// (envup exited or was killed, SIGKILL included, since the kernel closes
// a dead process's files) it kills the groups still listed. So a grandchild
// (ensurepip under "python -m venv", a compiler under make) does not
// outlive an envup that was killed alone; the parent-death signal reaches
// only the child itself, and exists only on Linux.
//
// It is this same binary, recognised by keeperEnv before anything else
// runs (init below), in a session of its own: neither a Ctrl-C on the
// terminal nor a signal to envup's process group reaches it.
const keeperEnv = "ENVUP_KEEPER"

func init() {
	if os.Getenv(keeperEnv) == "1" {
		keep(os.Stdin)
		os.Exit(0)
	}
}

// keep is the keeper's whole life: "+PGID" lists a group, "-PGID" takes
// it off; at the end of in, every group still listed is killed.
func keep(in io.Reader) {
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE)
	groups := map[int]int{} // a group id may come again before its end is read
	lines := bufio.NewScanner(in)
	for lines.Scan() {
		line := lines.Text()
		if len(line) < 2 {
			continue
		}
		pgid, err := strconv.Atoi(line[1:])
		if err != nil || pgid <= 1 {
			continue
		}
		switch line[0] {
		case '+':
			groups[pgid]++
		case '-':
			if groups[pgid]--; groups[pgid] <= 0 {
				delete(groups, pgid)
			}
		}
	}
	for pgid := range groups {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
}

// keeper is this run's keeper: its pipe, once started.
var keeper struct {
	once sync.Once
	mu   sync.Mutex
	w    io.WriteCloser // nil: no keeper (it could not start)
}

// readyKeeper starts the keeper if it has not started yet.
func readyKeeper() { keeper.once.Do(startKeeper) }

// keepGroup tells the keeper that the process group pgid belongs to this
// run; forgetGroup that it ended.
// Without a keeper both do nothing: the run goes on as before, its
// commands bound by the parent-death signal and cancellation only.
func keepGroup(pgid int) { tellKeeper('+', pgid) }

func forgetGroup(pgid int) { tellKeeper('-', pgid) }

func tellKeeper(op byte, pgid int) {
	keeper.mu.Lock()
	defer keeper.mu.Unlock()
	if keeper.w == nil {
		return
	}
	if _, err := keeper.w.Write([]byte(string(op) + strconv.Itoa(pgid) + "\n")); err != nil {
		keeper.w.Close()
		keeper.w = nil
	}
}

// startKeeper makes the keeper's pipe and starts the keeper on it, once,
// before the run's first command starts (bindChild), so there is no moment
// with a command running and no keeper. envup keeps the write end open
// for the rest of its life, on purpose: its end is the signal. The pipe
// is close-on-exec, so no other command holds it.
func startKeeper() {
	r, w, err := os.Pipe()
	if err != nil {
		return
	}
	err = runKeeper(r)
	r.Close()
	if err != nil {
		w.Close()
		return
	}
	keeper.w = w
}

// runKeeper starts the keeper reading in and reaps it when it ends (only
// ever after envup: the end of its input is envup's end).
func runKeeper(in *os.File) error {
	self, err := os.Executable()
	if runtime.GOOS == "linux" {
		// Still this binary when the file was replaced or removed since.
		self, err = "/proc/self/exe", nil
	}
	if err != nil {
		return err
	}
	cmd := exec.Command(self)
	cmd.Stdin = in
	cmd.Env = append(os.Environ(), keeperEnv+"=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
