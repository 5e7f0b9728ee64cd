package source

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/envup/envup/internal/catalog"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

// Choice is one way to install: a source, the version it gives and what
// it takes (downloads, or OS packages).
type Choice struct {
	Source    string // archive, installer, system or build
	Version   string
	Artifacts []catalog.Artifact // archive and installer: one; build: every source tarball, tried in order
	Manager   string             // system
	Packages  []string           // system
	Note      string             // what the plan should add ("needs libssl-dev first")
}

// Describe says where the install would come from, as a plan line.
func (c Choice) Describe() string {
	var s string
	switch c.Source {
	case "archive":
		s = "from archive " + c.Artifacts[0].Filename
	case "installer":
		s = "from installer " + c.Artifacts[0].Filename
	case "system":
		s = "from " + c.Manager + " (" + strings.Join(c.Packages, " ") + ")"
	case "build":
		s = "built from source " + c.Artifacts[0].Filename
	}
	if c.Note != "" {
		s += "; " + c.Note
	}
	return s
}

// Plan lists the ways the recipe's sources can install, in its order,
// and why each source before the first usable one cannot. No way at all,
// or (with SourceStrict) a first source that cannot, is an error.
func (e *Install) Plan(ctx context.Context, sys system.System) (plan []Choice, tried []string, err error) {
	plan, tried = e.choose(ctx, sys)
	if len(plan) == 0 {
		return nil, tried, fmt.Errorf("no source can install %s %s here: %s", e.Kind.Name, e.Want, strings.Join(tried, "; "))
	}
	if e.Opts.SourceStrict && plan[0].Source != e.Sources[0] {
		return nil, tried, fmt.Errorf("--source-strict: the first source cannot install %s %s: %s", e.Kind.Name, e.Want, strings.Join(tried, "; "))
	}
	return plan, tried, nil
}

// Change is the plan line of an install from plan's first way, with the
// sources passed over.
func (e *Install) Change(plan []Choice, tried []string) install.Change {
	first := plan[0]
	why := first.Describe()
	if len(tried) > 0 {
		why += " (" + strings.Join(tried, "; ") + ")"
	}
	return install.Change{Action: install.Create, Subject: e.Kind.Name + " " + first.Version, Why: why}
}

func (e *Install) choose(ctx context.Context, sys system.System) (plan []Choice, tried []string) {
	for _, source := range e.Sources {
		var (
			ch  *Choice
			why string
		)
		switch source {
		case "existing":
			why = fmt.Sprintf("no %s %s on this machine", e.Kind.Name, e.Want)
			// The existing source looks on the host; one that cannot be
			// seen (another platform's) says so.
			if _, err := sys.LookPath(e.Kind.Name); errors.Is(err, system.ErrNotObserved) {
				why = "this host is not observed"
			}
		case "archive":
			ch, why = e.archiveChoice()
		case "build":
			ch, why = e.buildChoice(ctx, sys)
		case "system":
			ch, why = e.systemChoice(ctx, sys)
		default:
			why = "envup knows no such source"
		}
		if ch != nil {
			plan = append(plan, *ch)
			continue
		}
		if len(plan) == 0 {
			tried = append(tried, source+": "+why)
		}
	}
	return plan, tried
}

// archiveChoice is the recipe's own prebuilt archive, else the catalog's
// (a python.org installer too, where the Kind runs installers).
func (e *Install) archiveChoice() (*Choice, string) {
	if a := e.Archive; a != nil {
		ver, err := e.Kind.FileVersion(a.URL)
		if err != nil {
			return nil, err.Error()
		}
		return &Choice{Source: "archive", Version: ver, Artifacts: []catalog.Artifact{{
			Kind: catalog.KindArchive, URL: a.URL, SHA256: a.SHA256, Filename: path.Base(a.URL),
		}}}, ""
	}
	kinds := []catalog.Kind{catalog.KindArchive}
	if e.Kind.Installer != nil {
		kinds = append(kinds, catalog.KindInstaller)
	}
	rel, err := e.Opts.Catalog.Resolve(e.Kind.Name, e.Want, e.P,
		catalog.Kinds(kinds...), catalog.AllowUnverified(e.Opts.AllowUnverified))
	if err != nil {
		return nil, err.Error()
	}
	a := rel.Artifacts[0]
	ch := &Choice{Source: "archive", Version: rel.Version, Artifacts: []catalog.Artifact{a}}
	if a.Kind == catalog.KindInstaller {
		ch.Source = "installer"
	}
	if e.Kind.Notes {
		ch.Note = a.Note
	}
	return ch, ""
}

// buildChoice is the recipe's own source tarball, else the catalog's.
func (e *Install) buildChoice(ctx context.Context, sys system.System) (*Choice, string) {
	if e.P.OS != "linux" && e.P.OS != "macos" {
		return nil, "envup builds from source on linux and macos only"
	}
	var ch *Choice
	if src := e.Source; src != nil {
		ver, err := e.Kind.FileVersion(src.URL)
		if err != nil {
			return nil, err.Error()
		}
		ch = &Choice{Source: "build", Version: ver, Artifacts: []catalog.Artifact{{
			Kind: catalog.KindSource, URL: src.URL, SHA256: src.SHA256, Filename: path.Base(src.URL),
		}}}
	} else {
		rel, err := e.Opts.Catalog.Resolve(e.Kind.Name, e.Want, e.P,
			catalog.Kinds(catalog.KindSource), catalog.AllowUnverified(e.Opts.AllowUnverified))
		if err != nil {
			return nil, err.Error()
		}
		ch = &Choice{Source: "build", Version: rel.Version, Artifacts: rel.Artifacts}
	}
	ch.Note = e.Kind.BuildNote(ctx, sys, *ch)
	return ch, ""
}

// systemChoice is the host's first package manager, as the Kind asks it.
func (e *Install) systemChoice(ctx context.Context, sys system.System) (*Choice, string) {
	if len(e.P.Managers) == 0 {
		return nil, "no package manager on this host"
	}
	return e.Kind.System(ctx, sys, e.P.Managers[0])
}

// AptCandidates asks apt-cache for the candidate (upstream) version of
// each of pkgs; a package apt offers none of is left out.
func AptCandidates(ctx context.Context, sys system.System, pkgs []string) (map[string]string, error) {
	res, err := sys.Query(ctx, system.Cmd{Argv: append([]string{"apt-cache", "policy"}, pkgs...)})
	if err != nil {
		return nil, err
	}
	candidate := map[string]string{}
	pkg := ""
	for _, line := range strings.Split(string(res.Stdout), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasSuffix(line, ":") && !strings.HasPrefix(line, " "):
			pkg = strings.TrimSuffix(line, ":")
		case strings.HasPrefix(trimmed, "Candidate:") && pkg != "":
			if v := strings.TrimSpace(strings.TrimPrefix(trimmed, "Candidate:")); v != "(none)" {
				candidate[pkg] = Upstream(v)
			}
		}
	}
	return candidate, nil
}

// Upstream turns a Debian version ("1:3.11.2-6+deb12u8") into the
// upstream one ("3.11.2").
func Upstream(v string) string {
	if i := strings.Index(v, ":"); i >= 0 {
		v = v[i+1:]
	}
	if i := strings.IndexAny(v, "-+~"); i >= 0 {
		v = v[:i]
	}
	return v
}
