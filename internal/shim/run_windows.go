package shim

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"golang.org/x/sys/windows"
)

// Run is envup.exe started as a launcher: when its name is not envup and a
// .shim file sits beside its executable, it starts the program the file
// names with its own command line's arguments unchanged, standard handles
// inherited, and returns that program's exit code and true. Otherwise it
// returns false at once and envup runs as itself.
func Run() (int, bool) {
	if len(os.Args) > 0 && IsEnvup(os.Args[0]) {
		return 0, false
	}
	exe, err := os.Executable()
	if err != nil {
		return 0, false
	}
	data, err := os.ReadFile(For(exe))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, false
	}
	if err == nil {
		var f File
		if f, err = Parse(data); err == nil {
			return start(f), true
		}
	}
	fmt.Fprintf(os.Stderr, "envup shim %s: %v\n", For(exe), err)
	return 1, true
}

// start runs f's program and waits for it. Ctrl-C and Ctrl-Break reach
// every process on the console: the program decides what they mean, and
// the launcher, which would otherwise die first and leave it orphaned,
// ignores them and waits for its exit code.
func start(f File) int {
	cmd := exec.Command(f.Path)
	cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: CommandLine(f, Rest(windows.UTF16PtrToString(windows.GetCommandLine())))}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// signal.Ignore would not do: Go's console handler passes an ignored
	// event on to the default one, which ends the process.
	signal.Notify(make(chan os.Signal, 1), os.Interrupt)
	err := cmd.Run()
	if exitErr := (*exec.ExitError)(nil); errors.As(err, &exitErr) {
		return exitErr.ExitCode()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "envup shim: %v\n", err)
		return 1
	}
	return 0
}
