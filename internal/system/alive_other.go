//go:build unix && !linux

package system

import (
	"errors"
	"syscall"
)

// Alive says whether a process with this pid runs (signal 0 checks
// without sending; EPERM is a process of another user).
func Alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
