package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// host is the machine a command works on: this one, detected and seen
// through system.Real, or another one named with --platform, which can
// only be planned for (seen through system.Absent: nothing is there yet).
type host struct {
	platform detect.Platform
	sys      system.System
}

func (g *globals) host() (host, error) {
	if g.platform != "" {
		p, err := detect.ParsePlatform(g.platform)
		if err != nil {
			return host{}, &exitError{code: exitUsage, err: fmt.Errorf("--platform: %w", err)}
		}
		return host{platform: p, sys: system.Absent{}}, nil
	}
	p, err := detect.Detect()
	if err != nil {
		return host{}, err
	}
	return host{platform: p, sys: system.NewReal()}, nil
}

// load reads a recipe for the host and builds its plan.
func (g *globals) load(path string) (host, *recipe.Recipe, *plan.Plan, error) {
	h, err := g.host()
	if err != nil {
		return host{}, nil, nil, err
	}
	r, err := recipe.Load(path, h.platform)
	if err != nil {
		return host{}, nil, nil, err
	}
	p, err := plan.Build(r, h.platform, plan.Options{Root: os.Getenv("ENVUP_ROOT")})
	if err != nil {
		return host{}, nil, nil, err
	}
	return h, r, p, nil
}

// writeJSON prints v indented, for --output json.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
