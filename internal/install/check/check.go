// Package check runs a recipe's checks: commands that only read, run
// after apply and by `envup check`, each passing or failing with a short
// reason a person can act on.
package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// DefaultTimeout bounds a check that sets no timeout.
const DefaultTimeout = 60 * time.Second

// Result is how one check went.
type Result struct {
	Name     string        `json:"name"`
	Passed   bool          `json:"passed"`
	Reason   string        `json:"reason,omitempty"` // why it failed
	Duration time.Duration `json:"duration_ns"`
}

// Run runs one check on host p through sys.Query (a check only reads, so
// plan and `envup check` run it too). envup's bin dir comes first: its
// program is found there before the PATH, and the PATH the command sees
// starts with it, so a check proves what apply just installed even before
// the user's PATH names the bin dir. It passes when the command exits 0 and
// its stdout contains Expect and matches ExpectRe, when set. It never
// returns an error: a check that cannot run (a missing program, a bad
// pattern) has failed, and Reason says why.
func Run(ctx context.Context, sys system.System, p detect.Platform, c *recipe.Check) Result {
	start := time.Now()
	r := Result{Name: name(c)}
	r.Reason = run(ctx, sys, p, c)
	r.Passed = r.Reason == ""
	r.Duration = time.Since(start)
	return r
}

// RunAll runs the checks in order, each to its end, and returns their
// results in the same order.
func RunAll(ctx context.Context, sys system.System, p detect.Platform, checks []*recipe.Check) []Result {
	results := make([]Result, 0, len(checks))
	for _, c := range checks {
		results = append(results, Run(ctx, sys, p, c))
	}
	return results
}

// Failed counts the results that did not pass.
func Failed(results []Result) int {
	n := 0
	for _, r := range results {
		if !r.Passed {
			n++
		}
	}
	return n
}

func name(c *recipe.Check) string {
	if c == nil {
		return ""
	}
	if c.Name != "" {
		return c.Name
	}
	return system.Quote(c.Run)
}

// run runs the check and returns why it failed, or "" when it passed.
func run(ctx context.Context, sys system.System, p detect.Platform, c *recipe.Check) string {
	if c == nil || len(c.Run) == 0 {
		return "no command to run"
	}
	timeout := DefaultTimeout
	if c.Timeout != "" {
		d, err := time.ParseDuration(c.Timeout)
		if err != nil || d <= 0 {
			return fmt.Sprintf("timeout %q: want a duration such as \"30s\"", c.Timeout)
		}
		timeout = d
	}
	var re *regexp.Regexp
	if c.ExpectRe != "" {
		var err error
		if re, err = regexp.Compile(c.ExpectRe); err != nil {
			return fmt.Sprintf("expect_re: %v", err)
		}
	}

	// The deadline is the check's own, so that running out of it can be
	// told apart from the caller giving up.
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res, err := sys.Query(cctx, command(sys, p, c.Run))
	if err != nil {
		return failure(ctx, cctx, c.Run[0], timeout, err)
	}
	out := string(res.Stdout)
	if c.Expect != "" && !strings.Contains(out, c.Expect) {
		return fmt.Sprintf("stdout does not contain %q: got %s", c.Expect, excerpt(out))
	}
	// the pattern sees stdout without its final newlines, as the shell's
	// $(...) would give it, so "^PONG$" matches "PONG\n"
	if re != nil && !re.MatchString(strings.TrimRight(out, "\r\n")) {
		return fmt.Sprintf("stdout does not match %q: got %s", c.ExpectRe, excerpt(out))
	}
	return ""
}

// command is argv as a check runs it: a bare program name found in the
// bin dir is run from there, and the bin dir heads the PATH.
func command(sys system.System, p detect.Platform, argv []string) system.Cmd {
	cmd := system.Cmd{Argv: argv}
	bin := p.Dirs.Bin
	if bin == "" {
		return cmd
	}
	list := ":"
	if p.OS == "windows" {
		list = ";"
	}
	cmd.Env = []string{"PATH=" + bin + list + sys.Getenv("PATH")}
	if prog := inBin(sys, p, argv[0]); prog != "" {
		cmd.Argv = append([]string{prog}, argv[1:]...)
	}
	return cmd
}

// inBin is the bin dir's program called name, or "". On Windows it is
// name with each of PATHEXT's extensions, in order, as cmd.exe finds it.
func inBin(sys system.System, p detect.Platform, name string) string {
	if name == "" || strings.ContainsAny(name, `/\`) {
		return ""
	}
	exts := []string{""}
	if p.OS == "windows" {
		pathext := sys.Getenv("PATHEXT")
		if pathext == "" {
			pathext = ".COM;.EXE;.BAT;.CMD"
		}
		exts = nil
		for _, e := range strings.Split(strings.ToLower(pathext), ";") {
			if e != "" {
				exts = append(exts, e)
			}
		}
		if i := strings.LastIndex(name, "."); i >= 0 && slices.Contains(exts, strings.ToLower(name[i:])) {
			exts = []string{""}
		}
	}
	for _, ext := range exts {
		prog := p.Join(p.Dirs.Bin, name+ext)
		fi, err := sys.Stat(prog)
		if err == nil && !fi.IsDir() && (p.OS == "windows" || fi.Mode()&0o111 != 0) {
			return prog
		}
	}
	return ""
}

// failure says why a command that did not exit 0 failed.
func failure(ctx, cctx context.Context, program string, timeout time.Duration, err error) string {
	var exitErr *system.ExitError
	switch {
	case ctx.Err() != nil:
		return "cancelled"
	case errors.Is(cctx.Err(), context.DeadlineExceeded):
		return "timed out after " + timeout.String()
	case errors.As(err, &exitErr):
		msg := "exit status " + strconv.Itoa(exitErr.ExitCode)
		if exitErr.Stderr != "" {
			msg += ": " + exitErr.Brief()
		}
		return msg
	case errors.Is(err, exec.ErrNotFound):
		return program + ": not found on PATH"
	case errors.Is(err, fs.ErrNotExist):
		return program + ": not found"
	case errors.Is(err, system.ErrNotObserved):
		return "not run: the host is not observed (planning for another platform)"
	}
	return err.Error()
}

// excerpt quotes the start of out, trimmed, for a message.
func excerpt(out string) string {
	const limit = 80
	out = strings.TrimSpace(out)
	if out == "" {
		return "nothing"
	}
	if len(out) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut--
		}
		return strconv.Quote(out[:cut]) + "…"
	}
	return strconv.Quote(out)
}
