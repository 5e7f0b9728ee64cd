package system

import (
	"os"
	"os/exec"
	"testing"
)

func TestAlive(t *testing.T) {
	t.Parallel()
	if !Alive(os.Getpid()) {
		t.Error("this process is not alive")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	done := exec.Command(exe, "-test.run=^$") // runs no test, exits
	if err := done.Run(); err != nil {
		t.Fatal(err)
	}
	if Alive(done.Process.Pid) {
		t.Errorf("pid %d of a reaped child is alive", done.Process.Pid)
	}
	if Alive(0) || Alive(-1) {
		t.Error("pid 0 or -1 is alive")
	}
}
