package snapshot

import (
	"errors"
	"io"
	"os"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
)

// ErrStdinTwice is Sides' refusal of "-" for both sides.
var ErrStdinTwice = errors.New("only one side can be read from standard input")

// SideSource is what Sides reads this machine and standard input through.
type SideSource struct {
	Stdin         io.Reader
	StdinTerminal bool                                       // then "-" is this machine
	Host          func() (detect.Platform, error)            // this machine's platform
	Here          func(extra []KnownVenv) (*Snapshot, error) // a snapshot of this machine, with extra venvs
}

// sideArg is one argument of diff, read as far as it can be without the
// other: a recipe waits for the platform to load it for.
type sideArg struct {
	arg    string
	snap   *Snapshot
	kind   string // snapshot, here or recipe
	recipe string // the recipe's path
}

// Sides reads the two arguments of `envup diff` as the sides to compare:
// a snapshot file, "here" (this machine now), "-" (a snapshot on standard
// input, or this machine when standard input is a terminal) or a recipe,
// which is loaded for the other side's platform (this machine's when the
// other side is this machine or a recipe too).
func Sides(argA, argB string, src SideSource) ([]*Side, error) {
	sides := make([]*sideArg, 2)
	stdinUsed := false
	for i, arg := range []string{argA, argB} {
		s := &sideArg{arg: arg}
		switch {
		case arg == "here" || (arg == "-" && src.StdinTerminal):
			s.kind = "here"
		case arg == "-":
			if stdinUsed {
				return nil, ErrStdinTwice
			}
			stdinUsed = true
			snap, err := Read(src.Stdin, "standard input")
			if err != nil {
				return nil, err
			}
			s.kind, s.snap = "snapshot", snap
		default:
			kind, err := FileKind(arg)
			if err != nil {
				return nil, err
			}
			s.kind = kind
			if kind == "recipe" {
				s.recipe = arg
				break
			}
			f, err := os.Open(arg)
			if err != nil {
				return nil, err
			}
			snap, err := Read(f, arg)
			f.Close()
			if err != nil {
				return nil, err
			}
			s.snap = snap
		}
		sides[i] = s
	}

	// A recipe is loaded for the other side's platform; this machine's
	// when the other side is this machine or a recipe too.
	var here *detect.Platform
	hostPlatform := func() (detect.Platform, error) {
		if here == nil {
			p, err := src.Host()
			if err != nil {
				return p, err
			}
			here = &p
		}
		return *here, nil
	}
	loaded := make([]*recipe.Recipe, 2)
	platforms := make([]detect.Platform, 2)
	for i, s := range sides {
		if s.kind != "recipe" {
			continue
		}
		other := sides[1-i]
		var p detect.Platform
		if other.snap != nil {
			p = other.snap.Platform
			p.Foreign = true
		} else {
			var err error
			if p, err = hostPlatform(); err != nil {
				return nil, err
			}
		}
		r, err := recipe.Load(s.recipe, p)
		if err != nil {
			return nil, err
		}
		loaded[i], platforms[i] = r, p
	}
	for i, s := range sides {
		if s.kind != "here" {
			continue
		}
		var extra []KnownVenv
		if r := loaded[1-i]; r != nil {
			extra = RecipeVenvs(r)
		}
		snap, err := src.Here(extra)
		if err != nil {
			return nil, err
		}
		s.snap = snap
	}
	built := make([]*Side, 2)
	for i, s := range sides {
		if s.kind == "recipe" {
			rs, err := RecipeSide(loaded[i], platforms[i])
			if err != nil {
				return nil, err
			}
			built[i] = rs
			continue
		}
		name := s.arg
		if name == "-" && s.kind == "snapshot" {
			name = "standard input"
		}
		built[i] = SnapshotSide(name, s.kind, s.snap)
	}
	return built, nil
}
