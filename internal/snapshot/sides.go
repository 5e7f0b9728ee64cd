package snapshot

import (
	"errors"
	"io"

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
// other: a recipe waits for the platform to load it for. A snapshot read
// is made a Side at once, its platform kept, so only its facts stay in
// memory while the other side is read.
type sideArg struct {
	arg      string
	side     *Side
	platform *detect.Platform // a snapshot's
	kind     string           // snapshot, here or recipe
	recipe   string           // the recipe's path
}

// read makes s the side snap is.
func (s *sideArg) read(name string, snap *Snapshot) {
	p := snap.Platform
	s.kind, s.side, s.platform = "snapshot", SnapshotSide(name, "snapshot", snap), &p
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
			s.read("standard input", snap)
		default:
			recipePath, snap, err := readSide(arg)
			if err != nil {
				return nil, err
			}
			if recipePath != "" {
				s.kind, s.recipe = "recipe", recipePath
				break
			}
			s.read(arg, snap)
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
		if other.platform != nil {
			p = *other.platform
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
		s.side = SnapshotSide(s.arg, "here", snap)
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
		built[i] = s.side
	}
	return built, nil
}
