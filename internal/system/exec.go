package system

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/envup/envup/internal/winargv"
)

// ExitError is a command that ran and failed: its argv, exit code and the
// tail of what it printed on stderr, so the user sees why without a log.
type ExitError struct {
	Argv     []string
	ExitCode int
	Stderr   string // Tail of stderr (or of stdout when stderr was empty): lines joined by "\n"
}

// Error says the command and its status, and the tail: on the same line
// when it is one line, else indented below.
func (e *ExitError) Error() string {
	msg := fmt.Sprintf("%s: exit status %d", Quote(e.Argv), e.ExitCode)
	switch {
	case e.Stderr == "":
	case !strings.Contains(e.Stderr, "\n"):
		msg += ": " + e.Stderr
	default:
		msg += ":\n  " + strings.ReplaceAll(e.Stderr, "\n", "\n  ")
	}
	return msg
}

// Brief is the tail on one line, its lines joined by "; ".
func (e *ExitError) Brief() string { return strings.ReplaceAll(e.Stderr, "\n", "; ") }

// Telling is the line of the tail that says what went wrong: the last
// that reads as an error (pip's "ERROR: …", apt's "E: …", a Python
// "…Error: …"), else the last.
func (e *ExitError) Telling() string {
	lines := strings.Split(strings.TrimSpace(e.Stderr), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.ToLower(strings.TrimSpace(lines[i]))
		if strings.HasPrefix(l, "error") || strings.HasPrefix(l, "e: ") || strings.HasPrefix(l, "fatal") || strings.Contains(l, "error:") {
			return strings.TrimSpace(lines[i])
		}
	}
	return strings.TrimSpace(lines[len(lines)-1])
}

// Quote renders argv for a person, as this machine's shell would take it:
// on Windows a word with spaces or cmd's special characters is in double
// quotes and backslashes stay single (C:\Users\Zoë Ådams\x.exe), elsewhere
// words are quoted as sh quotes them. It is for messages and plans only;
// envup never hands it to a shell.
func Quote(argv []string) string { return quoteFor(runtime.GOOS, argv) }

func quoteFor(goos string, argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		if goos == "windows" {
			parts[i] = windowsQuote(a)
			continue
		}
		if a == "" || strings.ContainsAny(a, " \t\n\"'\\$`;&|<>*?") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts[i] = a
	}
	return strings.Join(parts, " ")
}

// windowsQuote quotes one word as a Windows program's argv parsing reads
// it (winargv), in quotes also when cmd would take a character of it for
// its own, so the command reads safely to a person.
func windowsQuote(a string) string {
	return winargv.Quote(a, strings.ContainsAny(a, "\n\"&|<>^%()"))
}

// command is c as an exec.Cmd (argv, folder, environment added to
// envup's), logged for ENVUP_EXEC_LOG. c.Argv is not empty.
func command(ctx context.Context, c Cmd) *exec.Cmd {
	logExec(c.Argv)
	cmd := exec.CommandContext(ctx, c.Argv[0], c.Argv[1:]...)
	cmd.Dir = c.Dir
	if len(c.Env) > 0 {
		cmd.Env = append(os.Environ(), c.Env...)
	}
	return cmd
}

// runCmd starts cmd and waits for it, capturing its output; watch (nil:
// none) hears the output as it comes too.
func runCmd(ctx context.Context, c Cmd, watch io.Writer) (*Result, error) {
	if len(c.Argv) == 0 {
		return nil, errors.New("run: empty argv")
	}
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	cmd := command(ctx, c)
	cmd.Stdin = c.Stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = tee(&stdout, c.Live, watch), tee(&stderr, c.Live, watch)
	err := runBound(cmd)
	res := &Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}
	if cmd.ProcessState != nil {
		res.ExitCode = cmd.ProcessState.ExitCode()
	}
	if err == nil {
		return res, nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		if errors.Is(ctxErr, context.DeadlineExceeded) && c.Timeout > 0 {
			return res, fmt.Errorf("%s: timed out after %s", Quote(c.Argv), c.Timeout)
		}
		return res, fmt.Errorf("%s: %w", Quote(c.Argv), ctxErr)
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		tail := Tail(res.Stderr)
		if tail == "" {
			tail = Tail(res.Stdout)
		}
		return res, &ExitError{Argv: c.Argv, ExitCode: res.ExitCode, Stderr: tail}
	}
	return res, fmt.Errorf("%s: %w", Quote(c.Argv), err)
}

// tee is buf, and the other writers that are set.
func tee(buf *bytes.Buffer, others ...io.Writer) io.Writer {
	ws := []io.Writer{buf}
	for _, w := range others {
		if w != nil {
			ws = append(ws, w)
		}
	}
	if len(ws) == 1 {
		return buf
	}
	return io.MultiWriter(ws...)
}

// stepName is what a long command is called while it runs: its program
// and subcommand ("apt-get install", "pip install", "make"), without sudo
// and the VAR=value before it; a Python module by its name with "-m".
func stepName(argv []string) string {
	for len(argv) > 1 && (argv[0] == "sudo" || strings.Contains(argv[0], "=") && !strings.ContainsAny(argv[0], `/\`)) {
		argv = argv[1:]
	}
	prog := strings.TrimSuffix(filepath.Base(argv[0]), ".exe")
	rest := argv[1:]
	if len(rest) > 1 && rest[0] == "-m" {
		prog += " -m " + rest[1]
		if rest[1] == "pip" {
			prog = "pip"
		}
		rest = rest[2:]
	}
	if len(rest) > 0 && subcommand.MatchString(rest[0]) {
		return prog + " " + rest[0]
	}
	return prog
}

// subcommand is a word that names what a program is asked to do.
var subcommand = regexp.MustCompile(`^[a-z][a-z-]*$`)

// waitDelay is how long a command's output is waited for after it
// exited or was cancelled: a process it left behind holding the pipes (a
// daemon it started, a grandchild outside its group) cannot hang envup.
const waitDelay = 5 * time.Second

// runBound runs cmd bound to this run (bindChild). The goroutine keeps its
// OS thread from start to reap: Linux sends the parent-death signal when
// the thread that started the child ends, and the Go runtime ends a
// thread when a goroutine that locked it returns; held by this goroutine,
// no other can lock it meanwhile.
func runBound(cmd *exec.Cmd) error {
	hold := bindChild(cmd)
	cmd.WaitDelay = waitDelay
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := cmd.Start(); err != nil {
		return err
	}
	release := hold()
	err := cmd.Wait()
	release()
	if errors.Is(err, exec.ErrWaitDelay) {
		// The command succeeded; something it left running kept its
		// output open, and what came after the delay is lost.
		return nil
	}
	return err
}

// logExec appends argv to the file ENVUP_EXEC_LOG names, when it is set:
// tests count through it what a run spawned (a no-op apply must spawn no
// interpreter). Failing to log never fails the command.
func logExec(argv []string) {
	name := os.Getenv("ENVUP_EXEC_LOG")
	if name == "" {
		return
	}
	f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = f.WriteString(Quote(argv) + "\n")
}
