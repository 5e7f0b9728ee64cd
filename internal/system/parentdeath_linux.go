package system

import "syscall"

// parentDeath has the kernel kill the child when envup dies, also by
// SIGKILL, when no handler of envup's can run. The kernel ties this to
// the thread that started the child, not to the process: runCmd keeps
// its goroutine on that thread (runtime.LockOSThread) until the child is
// reaped, so the Go runtime cannot end the thread under a running child.
// A set-user-ID program (sudo) drops it; what it starts never had it.
func parentDeath(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGKILL }
