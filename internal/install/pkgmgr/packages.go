package pkgmgr

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Packages is a resource that installs OS packages with one manager: one
// recipe package group's (New), or several groups' merged so they install
// in one call (Group). A group with no names for this host's managers
// becomes a Packages that does nothing and says why (Skip).
type Packages struct {
	name   string // the group for New, the manager for Group
	groups []string
	mgr    *Manager // nil when skipped
	names  []string
	admin  bool
	h      host
	skip   string
}

var _ install.Typed[*State] = (*Packages)(nil)

// Option changes where a resource looks.
type Option func(*host)

// WithRoot makes Observe read the Linux package databases
// (/var/lib/dpkg/status, /var/lib/apt/lists, /var/lib/pacman/local,
// /lib/apk/db/installed) under dir rather than under /. Tests use it.
func WithRoot(dir string) Option {
	return func(h *host) { h.root = dir }
}

// State is what Observe saw: which of the names are missing, and for apt
// whether the package lists must be fetched first.
type State struct {
	Manager string   `json:"manager,omitempty"`
	Missing []string `json:"missing,omitempty"`
	Refresh bool     `json:"refresh,omitempty"`
}

// New returns the resource for one package group, installing with the
// first manager in p.Managers the group has names for. With none, the
// resource is skipped and Skip says why.
func New(name string, g *recipe.PackageGroup, p detect.Platform, opts ...Option) *Packages {
	r := &Packages{name: name, groups: []string{name}, admin: p.Admin, h: newHost(p, opts)}
	r.mgr, r.names = choose(g, p)
	if r.mgr == nil {
		r.skip = skipReason(p)
	}
	return r
}

// Group returns one resource per manager for a recipe's package groups,
// so groups that map to the same manager install in one call: managers
// in p.Managers order, each with ID "packages/<manager>", then a skipped
// resource ("packages/<group>") for each group with no names here.
func Group(groups map[string]*recipe.PackageGroup, p detect.Platform, opts ...Option) []*Packages {
	h := newHost(p, opts)
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.Sort(keys)

	byManager := map[string]*Packages{}
	var skipped []*Packages
	for _, k := range keys {
		m, names := choose(groups[k], p)
		if m == nil {
			skipped = append(skipped, &Packages{name: k, groups: []string{k}, h: h, skip: skipReason(p)})
			continue
		}
		r := byManager[m.Name]
		if r == nil {
			r = &Packages{name: m.Name, mgr: m, admin: p.Admin, h: h}
			byManager[m.Name] = r
		}
		r.groups = append(r.groups, k)
		r.names = appendNew(r.names, names...)
	}
	var out []*Packages
	for _, name := range p.Managers {
		if r := byManager[name]; r != nil {
			out = append(out, r)
			delete(byManager, name)
		}
	}
	return append(out, skipped...)
}

func newHost(p detect.Platform, opts []Option) host {
	h := host{p: p}
	for _, o := range opts {
		o(&h)
	}
	return h
}

// choose returns the first manager on the host, in preference order,
// that envup drives and g has names for, and those names.
func choose(g *recipe.PackageGroup, p detect.Platform) (*Manager, []string) {
	if g == nil {
		return nil, nil
	}
	for _, name := range p.Managers {
		m, ok := Lookup(name)
		if names := g.Managers[name]; ok && len(names) > 0 {
			return m, appendNew(nil, names...)
		}
	}
	return nil, nil
}

// skipReason says why a group installs nothing on p.
func skipReason(p detect.Platform) string {
	var known []string
	for _, name := range p.Managers {
		if _, ok := Lookup(name); ok {
			known = append(known, name)
		}
	}
	if len(known) == 0 {
		return "no package manager envup can use on this host"
	}
	return "no names for " + strings.Join(known, " or ") + " on this host"
}

// appendNew appends the names not already in list.
func appendNew(list []string, names ...string) []string {
	for _, n := range names {
		if n != "" && !slices.Contains(list, n) {
			list = append(list, n)
		}
	}
	return list
}

// ID is "packages/<group>" for New, "packages/<manager>" for Group.
func (r *Packages) ID() install.ID { return install.ID{Kind: "packages", Name: r.name} }

// Skip says why the resource does nothing on this host ("no names for
// apt on this host"); it is empty when it has packages to look after.
func (r *Packages) Skip() string { return r.skip }

// Manager names the manager that installs ("apt"); empty when skipped.
func (r *Packages) Manager() string {
	if r.mgr == nil {
		return ""
	}
	return r.mgr.Name
}

// Names lists the packages the resource wants, as the recipe names them.
func (r *Packages) Names() []string { return append([]string(nil), r.names...) }

// Groups lists the recipe's package groups the resource serves.
func (r *Packages) Groups() []string { return append([]string(nil), r.groups...) }

// Observe finds which of the names are not installed. On a host that
// cannot be seen (system.Absent) every name is missing; that is no error.
func (r *Packages) Observe(ctx context.Context, sys system.System) (*State, error) {
	st := &State{Manager: r.Manager()}
	if r.mgr == nil {
		return st, nil
	}
	missing, err := r.mgr.missing(ctx, sys, r.h, r.names)
	if err != nil {
		return nil, err
	}
	st.Missing = missing
	if len(missing) > 0 && r.mgr.refresh != nil {
		if st.Refresh, err = r.mgr.refresh(sys, r.h); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// Diff is one creation per missing package.
func (r *Packages) Diff(st *State) []install.Change {
	if st == nil {
		return nil
	}
	changes := make([]install.Change, 0, len(st.Missing))
	for _, n := range st.Missing {
		changes = append(changes, install.Change{Action: install.Create, Subject: n, Why: "not installed"})
	}
	return changes
}

// Apply installs the missing packages, and only those, in one
// non-interactive command (one per package for winget), under sudo when a
// manager needs root and envup is not root. choco needs an elevated
// prompt, which envup cannot get by itself: without one Apply says so.
func (r *Packages) Apply(ctx context.Context, sys system.System, st *State) error {
	if r.mgr == nil || len(st.Missing) == 0 {
		return nil
	}
	if r.mgr.Privilege == Elevated && !r.admin {
		return fmt.Errorf("%s needs an elevated prompt to install %s: run envup from an administrator PowerShell or Command Prompt",
			r.mgr.Name, strings.Join(st.Missing, ", "))
	}
	run := system.Intend(sys, r.mgr.Intent())
	for _, cmd := range r.mgr.Commands(st.Missing, st.Refresh, r.admin) {
		if _, err := run.Run(ctx, cmd); err != nil {
			if cmd.Argv[0] == "sudo" && errors.Is(err, exec.ErrNotFound) {
				return fmt.Errorf("%w (installing with %s needs root: run envup as root, or install sudo)", err, r.mgr.Name)
			}
			return offlineHint(err, r.mgr.Name)
		}
	}
	return nil
}

// unresolved are what package managers say when they cannot resolve
// their servers' names: apt's "Temporary failure resolving", curl's (dnf,
// brew) "Could not resolve host", zypper's and pacman's "Couldn't resolve".
var unresolved = []string{"Temporary failure resolving", "Could not resolve", "Couldn't resolve"}

// offlineHint adds a hint to a manager's failure that says it could not
// reach its servers.
func offlineHint(err error, manager string) error {
	var exit *system.ExitError
	if !errors.As(err, &exit) {
		return err
	}
	for _, s := range unresolved {
		if strings.Contains(exit.Stderr, s) {
			return fmt.Errorf("%w\n  hint: %s cannot reach its package servers (no network or no DNS here): connect this machine, or point %s at a mirror it can reach, and apply again", err, manager, manager)
		}
	}
	return err
}
