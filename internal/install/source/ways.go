package source

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/pkgmgr"
	"github.com/envup/envup/internal/system"
)

// StageSuffix names the folder a build installs into before it is
// renamed into place.
const StageSuffix = ".envup-stage"

// Install installs with the first way of plan that can, falling back to
// the next ones (said on Options.Log as id's) unless SourceStrict. When a
// lock pinned the version and its files cannot be fetched, the recipe's
// other sources are tried as without the lock (see unpinned).
func (e *Install) Install(ctx context.Context, sys system.System, id install.ID, plan []Choice) (*Found, error) {
	have, err := e.ways(ctx, sys, id, plan)
	if err != nil && e.Unpinned != nil && unreachable(err) {
		return e.unpinned(ctx, sys, id, plan, err)
	}
	return have, err
}

// ways tries plan's ways in order, as Install says.
func (e *Install) ways(ctx context.Context, sys system.System, id install.ID, plan []Choice) (*Found, error) {
	var (
		errs []error
		last error
	)
	for i, ch := range plan {
		if i > 0 {
			if e.Opts.SourceStrict {
				break
			}
			e.say("%s: %s failed: %v; falling back to %s", id, plan[i-1].Source, last, ch.Describe())
		}
		have, err := e.install(ctx, sys, id, ch)
		if err != nil {
			last = err
			errs = append(errs, fmt.Errorf("%s: %w", ch.Source, err))
			continue
		}
		return have, nil
	}
	if len(errs) == 0 {
		return nil, fmt.Errorf("no source can install %s %s here", e.Kind.Name, e.Want)
	}
	return nil, errors.Join(errs...)
}

func (e *Install) say(format string, args ...any) {
	if e.Opts.Log != nil {
		fmt.Fprintf(e.Opts.Log, "envup: "+format+"\n", args...)
	}
}

// install runs one source's way for the resource id and, where the Kind
// has a health check, proves the result works.
func (e *Install) install(ctx context.Context, sys system.System, id install.ID, ch Choice) (*Found, error) {
	var (
		have *Found
		err  error
	)
	switch ch.Source {
	case "archive", "installer":
		have, err = e.unpack(ctx, sys, id, ch)
	case "system":
		have, err = e.system(ctx, sys, ch)
	case "build":
		have, err = e.Kind.Build(ctx, sys, ch)
	default:
		err = fmt.Errorf("unknown source %q", ch.Source)
	}
	if err != nil || e.Kind.Health == nil {
		return have, err
	}
	what := fmt.Sprintf("%s %s at %s works (health check)", e.Kind.Name, have.Version, have.Path)
	if have.Path == "" { // a plan's OS packages: where they put it is not known yet
		what = fmt.Sprintf("%s %s works (health check)", e.Kind.Name, have.Version)
	}
	if err := sys.Prove(ctx, what, func(ctx context.Context) error { return e.Kind.Health(ctx, sys, have) }); err != nil {
		if have.Origin == "envup" && have.Prefix != "" {
			// Never leave a half-working install where the next apply
			// would take it for a good one.
			_ = sys.Remove(MarkerPath(e.P, have.Prefix))
		}
		return nil, err
	}
	return have, nil
}

// unpack unpacks a prebuilt tree into the prefix (an archive), or runs a
// Windows installer into it (the Kind's way), and marks it whole: the
// marker is the step that finishes the resource id's install.
func (e *Install) unpack(ctx context.Context, sys system.System, id install.ID, ch Choice) (*Found, error) {
	a := ch.Artifacts[0]
	prefix := e.Prefix(ch.Version)
	if ch.Source == "installer" {
		file, err := sys.Download(ctx, a.URL, a.SHA256)
		if err != nil {
			return nil, &fetchError{err}
		}
		if err := e.Kind.Installer(ctx, sys, file, prefix, a); err != nil {
			return nil, err
		}
	} else if err := e.archive(ctx, sys, a, prefix); err != nil {
		return nil, err
	}
	have := e.Kind.Layout(prefix, ch.Version)
	if err := e.Mark(system.Intend(sys, Finished(id, e.P, have)), prefix, Marker{Version: ch.Version, Source: ch.Source, URL: a.URL, SHA256: a.SHA256}); err != nil {
		return nil, err
	}
	return have, nil
}

// archive unpacks a into prefix (a prefix without a marker is what a
// killed apply left: it starts over), while it downloads where sys can
// (system.Streamer), else once downloaded.
func (e *Install) archive(ctx context.Context, sys system.System, a catalog.Artifact, prefix string) error {
	if err := sys.RemoveAll(prefix); err != nil {
		return err
	}
	if st, ok := sys.(system.Streamer); ok {
		file, err := st.DownloadExtract(ctx, a.URL, a.SHA256, prefix, e.Kind.Strip)
		if file == "" && err != nil {
			return &fetchError{err}
		}
		return err
	}
	file, err := sys.Download(ctx, a.URL, a.SHA256)
	if err != nil {
		return &fetchError{err}
	}
	return sys.Extract(ctx, file, prefix, e.Kind.Strip)
}

// system installs the OS packages, then finds what they gave: a proof,
// since only packages really installed can be found. A plan keeps what
// the Kind expects of them.
func (e *Install) system(ctx context.Context, sys system.System, ch Choice) (*Found, error) {
	m, ok := pkgmgr.Lookup(ch.Manager)
	if !ok {
		return nil, fmt.Errorf("envup does not drive %s", ch.Manager)
	}
	if m.Privilege == pkgmgr.Elevated && !e.P.Admin {
		return nil, fmt.Errorf("%s needs an elevated prompt: run envup from an administrator prompt", ch.Manager)
	}
	run := system.Intend(sys, m.Intent())
	for _, cmd := range m.Commands(ch.Packages, false, e.P.Admin) {
		if _, err := run.Run(ctx, cmd); err != nil {
			return nil, err
		}
	}
	have := e.Kind.Planned(ch)
	what := fmt.Sprintf("%s %s is on this machine after %s installs %s", e.Kind.Name, e.Want, ch.Manager, strings.Join(ch.Packages, " "))
	err := sys.Prove(ctx, what, func(ctx context.Context) error {
		f, err := e.Kind.Given(ctx, sys, ch)
		have = f
		return err
	})
	if err != nil {
		return nil, err
	}
	return have, nil
}

// Fetch downloads the first of a build's source tarballs that can be had.
func (e *Install) Fetch(ctx context.Context, sys system.System, ch Choice) (string, error) {
	var errs []error
	for _, a := range ch.Artifacts {
		f, err := sys.Download(ctx, a.URL, a.SHA256)
		if err == nil {
			return f, nil
		}
		errs = append(errs, err)
	}
	return "", &fetchError{errors.Join(errs...)}
}

// Work is the folder a build of version is unpacked and made in.
func (e *Install) Work(version string) string {
	return e.P.Join(e.P.Dirs.Data, "build", e.Kind.Name+"-"+version)
}

// Make runs one step of a build in work, its output shown live.
func (e *Install) Make(ctx context.Context, sys system.System, work string, argv []string) error {
	_, err := sys.Run(ctx, system.Cmd{Argv: argv, Dir: work, Live: e.Opts.Live})
	return err
}

// RemoveAll removes each folder, stopping at the first that fails.
func RemoveAll(sys system.System, dirs ...string) error {
	for _, dir := range dirs {
		if err := sys.RemoveAll(dir); err != nil {
			return err
		}
	}
	return nil
}

// isStage says whether a folder under the tool's is a build's stage.
func isStage(name string) bool { return strings.HasSuffix(name, StageSuffix) }
