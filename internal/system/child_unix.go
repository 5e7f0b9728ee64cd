//go:build unix

package system

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// bindChild makes cmd end with envup's run, and returns what runBound
// calls once it started (hold, which returns release). The command runs
// in a process group of its own, and cancelling the run kills that whole
// group, so what the command started (ensurepip under a venv, a compiler
// under make) goes with it. Were envup killed outright, the keeper kills
// the group (hold hands it the group until release), and on Linux the
// kernel kills the child itself at once (parentDeath).
//
// sudo is the exception: it stays in envup's group, since a password
// prompt on the terminal from a background group stops it with SIGTTOU,
// hanging the run. Cancelling sends it SIGTERM, which it relays to the
// command it runs as root (envup may not signal that one itself).
func bindChild(cmd *exec.Cmd) (hold func() (release func())) {
	attr := &syscall.SysProcAttr{}
	parentDeath(attr)
	cmd.SysProcAttr = attr
	if filepath.Base(cmd.Path) == "sudo" {
		cmd.Cancel = func() error { return signalled(cmd.Process.Signal(syscall.SIGTERM)) }
		return func() func() { return func() {} }
	}
	attr.Setpgid = true
	readyKeeper()
	cmd.Cancel = func() error {
		// The group's id is the child's pid (Setpgid with Pgid 0).
		return signalled(syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL))
	}
	return func() func() {
		pgid := cmd.Process.Pid
		keepGroup(pgid)
		return func() { forgetGroup(pgid) }
	}
}

// signalled is a signal's error as exec.Cmd.Cancel should return it: a
// process already gone is os.ErrProcessDone.
func signalled(err error) error {
	if errors.Is(err, syscall.ESRCH) {
		return os.ErrProcessDone
	}
	return err
}
