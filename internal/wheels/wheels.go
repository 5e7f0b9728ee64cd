// Package wheels fills a wheelhouse: the wheels of every virtualenv of a
// plan, downloaded by pip on this host (envup wheels), for a later apply
// --mirror DIR --offline.
package wheels

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/venv"
	"github.com/envup/envup/internal/system"
)

// Options say where the notes and pip's output go.
type Options struct {
	Log  io.Writer // a line before each virtualenv's download; nil: nowhere
	Live io.Writer // pip's output as it comes; nil: kept for errors only
	// Managers are the host's package managers (detect.Platform), for
	// what to install when no python has pip.
	Managers []string
}

// Download makes dir and runs pip download into it for each virtualenv
// among resources, in order, with the interpreter it is built on. It
// returns how many virtualenvs it downloaded for; one whose interpreter
// is not installed yet is an error, and so is one with no python that
// runs pip (the venv's own, else its interpreter's): ErrNoPip, saying
// what to install.
func Download(ctx context.Context, sys system.System, resources []install.Resource, dir string, opts Options) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	n := 0
	ran := map[string]bool{}
	for _, res := range resources {
		v, ok := install.As[*venv.Venv](res)
		if !ok {
			continue
		}
		python, _, ok, err := v.Base().Current(ctx, sys)
		if err != nil {
			return n, fmt.Errorf("%s: %w", v.ID(), err)
		}
		if !ok {
			return n, fmt.Errorf("%s: %s is not installed yet: run envup apply first", v.ID(), v.Base().ID())
		}
		if python, err = pipPython(ctx, sys, v, python, opts.Managers, ran); err != nil {
			return n, fmt.Errorf("%s: %w", v.ID(), err)
		}
		cmd, err := v.DownloadCmd(python, dir)
		if err != nil {
			return n, fmt.Errorf("%s: %w", v.ID(), err)
		}
		cmd.Live = opts.Live
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, "downloading the wheels of %s into %s\n", v.ID(), dir)
		}
		if _, err := sys.Run(ctx, cmd); err != nil {
			return n, fmt.Errorf("%s: %w", v.ID(), err)
		}
		n++
	}
	return n, nil
}
