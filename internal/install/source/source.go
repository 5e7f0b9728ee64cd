// Package source is the engine of the installs that try a recipe's
// sources in order — existing, archive (or a Windows installer), system,
// build — for interpreters and services alike. It chooses the sources
// that can install here, falls back from one to the next (said on
// Options.Log; --source-strict makes it an error), downloads and unpacks,
// drives the OS package manager, writes the marker that says an install
// under the data dir is whole, pins the files for a lock, and makes the
// bin entries. What differs between tools is a Kind, filled in by each
// resource package.
package source

import (
	"context"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Options are what every install of a run shares (install.Options).
type Options = install.Options

// Found is an install that satisfies the recipe.
type Found struct {
	Path    string `json:"path"`          // the program itself (python3.12, redis-server)
	CLI     string `json:"cli,omitempty"` // a service's client (redis-cli)
	Version string `json:"version"`
	Origin  string `json:"origin"` // envup, system, or where inventory found it
	Prefix  string `json:"prefix,omitempty"`
}

// Program is one bin entry of an envup install: its name, what it runs,
// and arguments put before the user's.
type Program struct {
	Name   string
	Target string
	Args   []string
}

// Kind is what differs between the tools installed this way. Every
// function is given the resource's own state by closure.
type Kind struct {
	Name   string // the catalog's tool, the folder under the data dir, the marker's name
	Marker string // the marker's key for Name: "tool" or "kind"
	Strip  int    // leading folders an archive has around the install
	Notes  bool   // a catalog archive's note is shown in the plan
	// Layout is envup's install of version at prefix: where its programs are.
	Layout func(prefix, version string) *Found
	// Programs are the bin entries of an envup install.
	Programs func(f *Found) []Program
	LinkHint string // said when a bin entry is not envup's ("set default: false")
	// OnHost is what is already on the machine that satisfies the recipe
	// (the existing and system sources); nil when nothing does.
	OnHost func(ctx context.Context, sys system.System) (*Found, error)
	// FileVersion is the version of the recipe's own archive or source at url.
	FileVersion func(url string) (string, error)
	// System is how manager gives the tool, or why it cannot.
	System func(ctx context.Context, sys system.System, manager string) (*Choice, string)
	// Planned is what the OS packages of ch are expected to give (a plan
	// keeps it: a Path only where it is known beforehand); Given finds
	// what they gave once installed.
	Planned func(ch Choice) *Found
	Given   func(ctx context.Context, sys system.System, ch Choice) (*Found, error)
	// BuildNote is what the plan adds to a build ("needs libssl-dev first").
	BuildNote func(ctx context.Context, sys system.System, ch Choice) string
	// Build builds ch (its tarball from Install.Fetch, once the Kind knows
	// the host can build) into an install marked whole.
	Build func(ctx context.Context, sys system.System, ch Choice) (*Found, error)
	// Installer runs a Windows installer file into prefix; nil: the
	// catalog's installers are not taken.
	Installer func(ctx context.Context, sys system.System, file, prefix string, a catalog.Artifact) error
	// Health proves a new install works; nil: Install needs no proof.
	Health func(ctx context.Context, sys system.System, f *Found) error
}

// Install is one resource's install: its Kind and what the recipe asks.
type Install struct {
	Kind    Kind
	Want    string // the recipe's version constraint
	C       catalog.Constraint
	Sources []string         // in the recipe's order
	Archive *recipe.Download // the recipe's own prebuilt archive
	Source  *recipe.Download // the recipe's own source tarball
	P       detect.Platform
	Opts    Options
	// Unpinned is this install as the recipe asks without its lock, when
	// a lock pinned Want (recipe Unpinned): what Install falls back to
	// when the pinned files cannot be fetched. nil when nothing is pinned.
	Unpinned *Install
}

// WithDefaults fills in the built-in catalog and two make jobs.
func WithDefaults(o Options) Options {
	if o.Catalog == nil {
		o.Catalog = catalog.Builtin()
	}
	if o.Jobs <= 0 {
		o.Jobs = 2
	}
	return o
}

// Allows says whether the recipe lists source.
func (e *Install) Allows(source string) bool {
	for _, s := range e.Sources {
		if s == source {
			return true
		}
	}
	return false
}

// Satisfying is the install that satisfies the recipe: envup's own
// newest first, then what Kind.OnHost finds; nil when there is none.
func (e *Install) Satisfying(ctx context.Context, sys system.System) (*Found, error) {
	if have := e.Installed(sys); have != nil {
		return have, nil
	}
	return e.Kind.OnHost(ctx, sys)
}
