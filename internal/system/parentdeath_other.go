//go:build unix && !linux

package system

import "syscall"

// parentDeath does nothing here: there is no parent-death signal off
// Linux. Cancelling the run still kills the child's process group.
func parentDeath(*syscall.SysProcAttr) {}
