package pkgmgr

import (
	"testing"

	"github.com/envup/envup/internal/systemtest"
)

// call is one command the test expects, in order, and what it answers.
type call struct {
	run    bool // Run; else Query
	argv   []string
	stdout string
	code   int    // non-zero: the command fails with a *system.ExitError
	stderr string // with code: the tail the ExitError carries
	err    error  // any other failure
}

func query(argv ...string) call { return call{argv: argv} }
func run(argv ...string) call   { return call{run: true, argv: argv} }

func (c call) out(s string) call { c.stdout = s; return c }
func (c call) exit(code int, stderr string) call {
	c.code, c.stderr = code, stderr
	return c
}

// newFake is a systemtest host that expects calls in order, failing the
// test on any other command. Files are real (under the test's temp
// dirs); its environment and PATH are its own, not the host's.
func newFake(t *testing.T, calls ...call) *systemtest.System {
	t.Helper()
	f := systemtest.New(t)
	for _, c := range calls {
		verb := systemtest.Query
		if c.run {
			verb = systemtest.Run
		}
		a := f.Expect(verb, c.argv...).Stdout(c.stdout)
		if c.code != 0 {
			a.Exit(c.code, c.stderr)
		}
		if c.err != nil {
			a.Err(c.err)
		}
	}
	return f
}
