package system

import (
	"os/exec"
	"syscall"

	"golang.org/x/sys/windows"
)

// detach starts the process with no console (DETACHED_PROCESS) in a
// process group of its own: closing envup's terminal, or its Ctrl-C,
// does not end it.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{
		CreationFlags: windows.DETACHED_PROCESS | windows.CREATE_NEW_PROCESS_GROUP,
		HideWindow:    true,
	}
}
