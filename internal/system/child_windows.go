package system

import (
	"os/exec"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/windows"
)

// bindChild makes cmd end with envup's run, and returns what runBound
// calls once it started (hold, which returns release). Windows has no
// process groups; a job object is its way to hold a command and what it
// starts as one: the child is put in a job of its own as soon as it
// started, and what it starts later is in that job too. Cancelling the
// run ends the job, and the job kills what is in it when its last handle
// closes, which the system does for envup when envup ends, also when it
// is killed (the job ends with envup's handles). release takes the
// kill-on-close off first: what a command left running once it ended
// normally (a server it started) is not envup's to end.
//
// Where a job cannot be made or the child not put in it (Windows 7 has no
// nested jobs, so a child of an envup itself in a job stays in that one),
// the command runs as before: cancelling kills the process.
func bindChild(cmd *exec.Cmd) (hold func() (release func())) {
	var held atomic.Uintptr // the job, once the child is in it
	cmd.Cancel = func() error {
		if job := windows.Handle(held.Load()); job != 0 {
			_ = windows.TerminateJobObject(job, 1)
		}
		return cmd.Process.Kill()
	}
	return func() func() {
		job, err := jobOf(cmd.Process.Pid)
		if err != nil {
			return func() {}
		}
		held.Store(uintptr(job))
		return func() {
			_ = setKillOnClose(job, false)
			windows.CloseHandle(job)
		}
	}
}

// jobOf makes a job that kills its processes when closed, and puts the
// process pid in it.
func jobOf(pid int) (windows.Handle, error) {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return 0, err
	}
	p, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(pid))
	if err == nil {
		err = setKillOnClose(job, true)
		if err == nil {
			err = windows.AssignProcessToJobObject(job, p)
		}
		windows.CloseHandle(p)
	}
	if err != nil {
		windows.CloseHandle(job)
		return 0, err
	}
	return job, nil
}

// setKillOnClose sets or clears whether job kills its processes when its
// last handle closes.
func setKillOnClose(job windows.Handle, on bool) error {
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	if on {
		info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	}
	_, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)))
	return err
}
