// Package service installs, configures and runs the servers of a
// recipe's services: section, Redis and Valkey.
//
// Install tries the recipe's sources in order — archive (the Windows
// ports' zips from the catalog), build (the recipe's source: tarball or
// the catalog's, with make), system (the OS package manager) — saying
// every fallback; --source-strict makes a fallback an error. envup's own
// installs live in <data>/<kind>/<version> with a marker file and get
// links in the bin dir.
//
// The config file is envup's own, <state>/services/<key>/redis.conf,
// rendered from the recipe and rewritten (atomically) only when it
// differs. With start: true the server runs the host's way — a systemd
// user unit, a launchd agent, a Windows service, or a daemonized process
// with a pidfile — and apply waits for it to answer PING. A config change
// or a new version restarts a running server.
//
// Observe reads markers, the config, the pidfile and /proc; it spawns
// nothing on the no-op path.
package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/bindir"
	"github.com/envup/envup/internal/install/source"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Options are what every service resource of a run shares.
type Options = source.Options

// Found is an installed server that satisfies the recipe: Path is the
// server program, CLI its client.
type Found = source.Found

// How long starting and stopping may take, and how often they look.
const (
	pollEvery    = 50 * time.Millisecond
	pollDeadline = 10 * time.Second
)

// Service is one recipe services entry.
type Service struct {
	key  string
	spec recipe.Service
	kind *kind
	c    catalog.Constraint
	p    detect.Platform
	opts Options
	src  *source.Install

	// proc is the process table (/proc), read on Linux to tell whether
	// the pidfile's process is the server; tests point it elsewhere.
	proc string
	// every and deadline pace the waits for PONG and for a stop.
	every, deadline time.Duration
	// needs are the recipe's packages resources: a build's dependencies
	// come from them.
	needs []install.ID
}

var _ interface {
	install.Typed[*State]
	install.Verifier[*State]
	install.Pinner[*State]
	install.Describer[*State]
	install.Needer
} = (*Service)(nil)

// Needs are the packages resources built before the service: a build
// needs their headers and tools, so a failed one skips the service.
func (s *Service) Needs() []install.ID { return s.needs }

// New returns the resource for the services entry key.
func New(key string, spec *recipe.Service, p detect.Platform, opts Options) (*Service, error) {
	name := spec.Kind
	if name == "" {
		name = key
	}
	k, ok := kinds[name]
	if !ok {
		return nil, fmt.Errorf("service %s: envup cannot run %s (it runs redis and valkey)", key, name)
	}
	c, err := catalog.ParseConstraint(spec.Version)
	if err != nil {
		return nil, fmt.Errorf("service %s: %w", key, err)
	}
	for _, d := range slices.Sorted(maps.Keys(spec.Config)) {
		if why, ok := reserved[strings.ToLower(d)]; ok {
			return nil, fmt.Errorf("service %s: config: %s: %s", key, d, why)
		}
		if d == "" || strings.ContainsAny(d, " \t\r\n\"'") {
			return nil, fmt.Errorf("service %s: config: %q is not a directive name", key, d)
		}
		if strings.ContainsAny(spec.Config[d], "\r\n") {
			return nil, fmt.Errorf("service %s: config: %s: a value is one line", key, d)
		}
	}
	sp := *spec
	if sp.Port == 0 {
		sp.Port = recipe.DefaultPort
	}
	if len(sp.Sources) == 0 {
		sp.Sources = recipe.ServiceSources
	}
	s := &Service{
		key: key, spec: sp, kind: k, c: c, p: p, opts: source.WithDefaults(opts),
		proc: "/proc", every: pollEvery, deadline: pollDeadline,
	}
	s.src = &source.Install{Kind: s.sourceKind(), Want: sp.Version, C: c, Sources: sp.Sources,
		Archive: sp.Archive, Source: sp.Source, P: p, Opts: s.opts}
	if spec.Unpinned != "" {
		// What the recipe asks without its lock: tried when the pinned
		// files cannot be fetched.
		loose := *spec
		loose.Version, loose.Unpinned = spec.Unpinned, ""
		u, err := New(key, &loose, p, opts)
		if err != nil {
			return nil, err
		}
		s.src.Unpinned = u.src
	}
	return s, nil
}

// ID is "service/<key>".
func (s *Service) ID() install.ID { return install.ID{Kind: "service", Name: s.key} }

// State is what Observe saw: the server that satisfies the recipe (or
// how envup would install one), its config file, how it runs, and
// whether it runs.
type State struct {
	Have   *Found          `json:"have,omitempty"`
	Unlink []bindir.Link   `json:"-"` // links to (re)make for Have
	Plan   []source.Choice `json:"-"` // the sources that can install, in the recipe's order
	Tried  []string        `json:"tried,omitempty"`

	Config  string   `json:"config"`            // envup's config file
	Manager string   `json:"manager"`           // systemd, launchd, windows-service or process
	Running *Process `json:"running,omitempty"` // nil: not running

	confHave, confWant []byte // nil confHave: not written
	unit               string // the manager's file, if it has one
	unitHave, unitWant []byte
}

// Observe finds a satisfying server — envup's own installs by their
// markers, then (with the system source) the one on the PATH, whose
// version is remembered by file — or works out how each source would
// install one; reads the config file; and says whether the server runs
// (pidfile and /proc on Linux). On the no-op path nothing is spawned.
func (s *Service) Observe(ctx context.Context, sys system.System) (*State, error) {
	l := s.layout()
	st := &State{Config: l.conf}
	have, err := s.src.Satisfying(ctx, sys)
	if err != nil {
		return nil, err
	}
	ver := ""
	if have != nil {
		st.Have, st.Unlink, ver = have, s.src.MissingLinks(sys, have), have.Version
	} else {
		if st.Plan, st.Tried, err = s.src.Plan(ctx, sys); err != nil {
			return nil, err
		}
		ver = st.Plan[0].Version
	}
	if st.confHave, err = readIfThere(sys, l.conf); err != nil {
		return nil, err
	}
	st.Manager = s.chooseManager(ctx, sys, st.confHave)
	st.confWant = s.config(ver, st.Manager)
	if st.Running, err = s.running(ctx, sys, st.confHave); err != nil {
		return nil, err
	}
	if st.unit = s.unitPath(st.Manager); st.unit != "" && have != nil {
		if st.unitHave, err = readIfThere(sys, st.unit); err != nil {
			return nil, err
		}
		st.unitWant = unitFor(st.Manager, s.kind.name, s.key, s.unitName(st.Manager), have.Path, l.conf)
	}
	return st, nil
}

// config is the config file for a server of ver run by manager.
func (s *Service) config(ver, manager string) []byte {
	return configFor(s.kind.name, s.key, s.spec.Port, s.spec.Config, s.layout(), ver, manager, s.p.OS)
}

// readIfThere reads a file; nil when it is not there (or the host cannot
// be observed).
func readIfThere(sys system.System, name string) ([]byte, error) {
	data, err := sys.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, system.ErrNotObserved) {
		return nil, nil
	}
	return data, err
}

// Diff says what differs: the server (and the source it would come
// from), its links, the config (directive by directive), the manager's
// file, and whether the server must start or restart.
func (s *Service) Diff(st *State) []install.Change {
	if st == nil {
		return nil
	}
	var (
		changes []install.Change
		restart []string
	)
	switch {
	case st.Have != nil:
		for _, l := range st.Unlink {
			changes = append(changes, install.Change{Action: install.Update, Subject: l.Name,
				Why: "link to " + s.kind.name + " " + st.Have.Version + " missing in " + s.p.Dirs.Bin})
		}
	case len(st.Plan) > 0:
		changes = append(changes, s.src.Change(st.Plan, st.Tried))
		restart = append(restart, "new version "+st.Plan[0].Version)
	default:
		return nil
	}
	switch {
	case st.confHave == nil:
		changes = append(changes, install.Change{Action: install.Create, Subject: st.Config, Why: "not written yet"})
		restart = append(restart, "config written")
	case !bytes.Equal(st.confHave, st.confWant):
		changes = append(changes, install.Change{Action: install.Update, Subject: st.Config, Why: configDiff(st.confHave, st.confWant)})
		restart = append(restart, "config changed")
	}
	if st.unitWant != nil && (s.spec.Start || st.Running != nil || st.unitHave != nil) && !bytes.Equal(st.unitHave, st.unitWant) {
		if st.unitHave == nil {
			changes = append(changes, install.Change{Action: install.Create, Subject: st.unit, Why: "not written yet"})
		} else {
			changes = append(changes, install.Change{Action: install.Update, Subject: st.unit, Why: "differs from what envup writes"})
			restart = append(restart, st.Manager+" unit changed")
		}
	}
	subject := fmt.Sprintf("%s on port %d", s.kind.name, s.spec.Port)
	switch {
	case st.Running != nil && len(restart) > 0:
		changes = append(changes, install.Change{Action: install.Update, Subject: subject, Why: "restart: " + strings.Join(restart, ", ")})
	case st.Running == nil && s.spec.Start:
		why := "not running; start as " + st.Manager
		if s.p.OS == "windows" && st.Manager == managerProcess {
			why = "not running; start as your own process (a Windows service needs an administrator; `envup services start` starts it again after a restart)"
		}
		changes = append(changes, install.Change{Action: install.Create, Subject: subject, Why: why})
	}
	return changes
}

// Apply installs with the first source that can (falling back, said on
// Options.Log, unless SourceStrict), makes the links, writes the config,
// and starts the server (start: true) or restarts it (running, and its
// version or config changed).
func (s *Service) Apply(ctx context.Context, sys system.System, st *State) error {
	return s.converge(ctx, sys, st, s.spec.Start)
}

func (s *Service) converge(ctx context.Context, sys system.System, st *State, start bool) error {
	have := st.Have
	changed := false
	if have == nil {
		var err error
		if have, err = s.src.Install(ctx, sys, s.ID(), st.Plan); err != nil {
			return err
		}
		changed = true
	}
	if err := s.src.Link(sys, have); err != nil {
		return err
	}
	wrote, err := s.writeConfig(sys, have.Version, st.Manager)
	if err != nil {
		return err
	}
	changed = changed || wrote
	if start || st.Running != nil {
		wrote, err := s.writeUnit(ctx, sys, st.Manager, have)
		if err != nil {
			return err
		}
		changed = changed || wrote && st.unitHave != nil
	}
	switch {
	case st.Running != nil && changed:
		return s.restart(ctx, sys, st, have)
	case st.Running == nil && start:
		return s.start(ctx, sys, st.Manager, have, true)
	}
	return nil
}

// writeConfig writes the config file for a server of ver when it differs
// from what is there, and makes the data dir the server chdirs into.
// Mode 0600: the config may hold requirepass.
func (s *Service) writeConfig(sys system.System, ver, manager string) (bool, error) {
	l := s.layout()
	if err := sys.MkdirAll(l.data, 0o755); err != nil {
		return false, err
	}
	want := s.config(ver, manager)
	if cur, err := sys.ReadFile(l.conf); err == nil && bytes.Equal(cur, want) {
		return false, nil
	}
	return true, sys.WriteFile(l.conf, want, 0o600)
}

// onHost is the server on the PATH, with the system source; nil when
// there is none (or another host's, which has nothing to look at).
func (s *Service) onHost(ctx context.Context, sys system.System) (*Found, error) {
	if !s.src.Allows("system") {
		return nil, nil
	}
	f, err := s.onPath(ctx, sys)
	if err != nil || f == nil || !s.c.Check(f.Version) {
		return nil, nil //nolint:nilerr // a server that cannot say its version satisfies nothing
	}
	return f, nil
}

// Pins is source.Pins of the sources that can install the server (the
// Windows port's zip, the source tarball, the system's package).
func (s *Service) Pins(_ system.System, st *State) install.Pinned {
	if st == nil {
		return install.Pinned{}
	}
	return source.Pins(st.Plan)
}

// Verify proves a server with start: true answers PING (`envup check`).
func (s *Service) Verify(ctx context.Context, sys system.System, st *State) error {
	if st == nil || st.Have == nil || !s.spec.Start {
		return nil
	}
	e := s.endpoint(st.confHave)
	if err := s.waitPONG(ctx, sys, e, 3*time.Second); err != nil {
		return fmt.Errorf("%s on %s does not answer PING: %w", s.kind.name, e.addr, err)
	}
	return nil
}

// Describe says which server satisfies the recipe, where, and whether it
// runs.
func (s *Service) Describe(st *State) string {
	if st == nil || st.Have == nil {
		return ""
	}
	d := fmt.Sprintf("%s %s at %s (%s)", s.kind.name, st.Have.Version, st.Have.Path, st.Have.Origin)
	port := s.endpoint(st.confHave).port
	switch {
	case st.Running != nil && st.Running.PID > 0:
		d += fmt.Sprintf(", running on port %d (pid %d, %s)", port, st.Running.PID, st.Manager)
	case st.Running != nil:
		d += fmt.Sprintf(", running on port %d (%s)", port, st.Manager)
	default:
		d += ", not running"
	}
	return d
}
