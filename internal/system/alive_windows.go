package system

import "os"

// Alive says whether a process with this pid exists: Windows opens a
// handle to it only then.
func Alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	_ = p.Release()
	return true
}
