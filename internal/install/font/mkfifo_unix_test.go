//go:build unix

package font

import "syscall"

func mkfifo(name string) error { return syscall.Mkfifo(name, 0o600) }
