//go:build !windows

package system

import (
	"os/exec"
	"syscall"
)

// detach puts the process in a session of its own: no terminal's
// hang-up or Ctrl-C reaches it.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}
