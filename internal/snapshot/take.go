package snapshot

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install/editor"
	"github.com/envup/envup/internal/install/font"
	"github.com/envup/envup/internal/install/inventory"
	"github.com/envup/envup/internal/install/pkgmgr"
	"github.com/envup/envup/internal/install/service"
	"github.com/envup/envup/internal/install/venv"
	"github.com/envup/envup/internal/state"
	"github.com/envup/envup/internal/system"
)

// Options say where Take looks beyond what it finds by itself.
type Options struct {
	Memo *state.Memo // remembered interpreter and server versions; nil remembers nothing
	// Venvs are virtualenvs known by name: those in envup's state and
	// those a recipe names. FoundBy says which.
	Venvs []KnownVenv
	// VenvRoots are folders whose subfolders holding a pyvenv.cfg are
	// venvs too (~/.virtualenvs, a project folder).
	VenvRoots []string
	// Root is where the OS package databases are read (ENVUP_ROOT); "" is /.
	Root    string
	Version string           // envup's version, written in the snapshot
	Now     func() time.Time // nil: time.Now
}

// KnownVenv is a venv envup knows by name.
type KnownVenv struct {
	Name, Path, FoundBy string
}

// Take records the machine p describes, read through sys. Each part is
// read side by side with the others; a part that fails is named in
// Skipped and the rest is still taken.
func Take(ctx context.Context, sys system.System, p detect.Platform, opts Options) (*Snapshot, error) {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	s := &Snapshot{Schema: Schema, Taken: now().UTC().Truncate(time.Second), Envup: opts.Version, Platform: p}
	if h, err := os.Hostname(); err == nil && !p.Foreign {
		s.Host = h
	}
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		skipped []string
	)
	skip := func(part string, err error) {
		mu.Lock()
		skipped = append(skipped, fmt.Sprintf("%s: %v", part, err))
		mu.Unlock()
	}
	wg.Go(func() {
		var err error
		if s.Interpreters, err = interpreters(ctx, sys, p, opts.Memo); err != nil {
			skip("interpreters", err)
		}
	})
	wg.Go(func() {
		var errs []error
		s.Virtualenvs, errs = virtualenvs(sys, p, opts)
		for _, err := range errs {
			skip("virtualenvs", err)
		}
	})
	wg.Go(func() {
		var err error
		if s.Services, err = service.Inspect(ctx, sys, p, opts.Memo); err != nil {
			skip("services", err)
		}
	})
	wg.Go(func() {
		var err error
		if s.Fonts, err = font.Inspect(sys, p); err != nil {
			skip("fonts", err)
		}
	})
	wg.Go(func() {
		var err error
		if s.Editors, err = editor.Inspect(ctx, sys, p); err != nil {
			skip("editors", err)
		}
	})
	wg.Go(func() {
		var pkgOpts []pkgmgr.Option
		if opts.Root != "" {
			pkgOpts = append(pkgOpts, pkgmgr.WithRoot(opts.Root))
		}
		manual, notRead, err := pkgmgr.Manual(ctx, sys, p, pkgOpts...)
		if err != nil {
			skip("packages", err)
		}
		s.Packages = manual
		for _, why := range notRead {
			skip("packages", fmt.Errorf("%s", why))
		}
	})
	wg.Wait()
	// Empty parts are written [] and {}, not null: a reader sees every key.
	if s.Interpreters == nil {
		s.Interpreters = []Interpreter{}
	}
	if s.Virtualenvs == nil {
		s.Virtualenvs = []Virtualenv{}
	}
	if s.Services == nil {
		s.Services = []service.Seen{}
	}
	if s.Fonts == nil {
		s.Fonts = []font.Seen{}
	}
	if s.Editors == nil {
		s.Editors = map[string]editor.Seen{}
	}
	if s.Packages == nil {
		s.Packages = map[string]map[string]string{}
	}
	slices.Sort(skipped)
	s.Skipped = append([]string{}, skipped...)
	s.tildePaths()
	return s, ctx.Err()
}

// interpreters lists every python and node, and marks the ones the PATH
// runs as python3 (python on Windows) and node.
func interpreters(ctx context.Context, sys system.System, p detect.Platform, memo *state.Memo) ([]Interpreter, error) {
	var out []Interpreter
	for _, tool := range []string{"python", "node"} {
		found, err := inventory.Find(ctx, sys, tool, p, memo)
		if err != nil {
			return out, err
		}
		def := defaultOf(sys, tool, p)
		for _, f := range found {
			out = append(out, Interpreter{
				Tool: tool, Version: f.Version, Path: f.Path, Origin: f.Origin,
				Default: def != nil && sameFile(sys, f.Path, def),
			})
		}
	}
	return out, nil
}

// defaultOf is the file the PATH runs for tool, nil when none.
func defaultOf(sys system.System, tool string, p detect.Platform) os.FileInfo {
	names := []string{tool}
	if tool == "python" && p.OS != "windows" {
		names = []string{"python3", "python"}
	}
	for _, n := range names {
		if path, err := sys.LookPath(n); err == nil {
			if fi, err := sys.Stat(path); err == nil {
				return fi
			}
		}
	}
	return nil
}

func sameFile(sys system.System, path string, fi os.FileInfo) bool {
	other, err := sys.Stat(path)
	return err == nil && os.SameFile(other, fi)
}

// virtualenvs reads the venvs envup knows by name, then those under the
// roots; a folder is listed once, under the first name it was found by.
func virtualenvs(sys system.System, p detect.Platform, opts Options) ([]Virtualenv, []error) {
	windows := p.OS == "windows"
	known := slices.Clone(opts.Venvs)
	var errs []error
	for _, root := range opts.VenvRoots {
		entries, err := sys.ReadDir(root)
		if err != nil {
			errs = append(errs, fmt.Errorf("--venv-root %s: %w", root, err))
			continue
		}
		if _, err := sys.Stat(detect.Join(root, "pyvenv.cfg")); err == nil {
			known = append(known, KnownVenv{Name: detect.Base(root), Path: root, FoundBy: root})
			continue
		}
		for _, e := range entries {
			if e.IsDir() {
				known = append(known, KnownVenv{Name: e.Name(), Path: detect.Join(root, e.Name()), FoundBy: root})
			}
		}
	}
	var out []Virtualenv
	seenPath := map[string]bool{}
	seenName := map[string]int{}
	for _, k := range known {
		if seenPath[k.Path] {
			continue
		}
		seen, ok, err := venv.Inspect(sys, k.Path, windows)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", k.Path, err))
			continue
		}
		if !ok {
			continue
		}
		seenPath[k.Path] = true
		name := k.Name
		if n := seenName[name]; n > 0 { // two folders of one name: the second is name-2
			name = fmt.Sprintf("%s-%d", name, n+1)
		}
		seenName[k.Name]++
		out = append(out, Virtualenv{
			Name: name, Path: k.Path, Python: seen.Config.Version, Home: seen.Config.Home,
			Tool: seen.Config.Tool, SystemSitePackages: seen.Config.SystemSitePackages,
			Packages: seen.Packages, FoundBy: k.FoundBy,
		})
	}
	slices.SortFunc(out, func(a, b Virtualenv) int { return cmp.Compare(a.Name, b.Name) })
	return out, errs
}

// StateVenvs are the venvs the applies in st made, newest first, each name once.
func StateVenvs(st *state.State) []KnownVenv {
	var out []KnownVenv
	seen := map[string]bool{}
	for i := len(st.Applies) - 1; i >= 0; i-- {
		a := st.Applies[i]
		for _, name := range slices.Sorted(maps.Keys(a.Virtualenvs)) {
			if !seen[name] {
				seen[name] = true
				out = append(out, KnownVenv{Name: name, Path: a.Virtualenvs[name], FoundBy: "state"})
			}
		}
	}
	return out
}

// tildePaths writes every path under the home folder as ~/….
func (s *Snapshot) tildePaths() {
	home := s.Platform.Home
	t := func(p *string) { *p = tilde(*p, home) }
	for i := range s.Interpreters {
		t(&s.Interpreters[i].Path)
	}
	for i := range s.Virtualenvs {
		v := &s.Virtualenvs[i]
		t(&v.Path)
		t(&v.Home)
		t(&v.FoundBy)
	}
	for i := range s.Services {
		t(&s.Services[i].Path)
	}
	for i := range s.Fonts {
		t(&s.Fonts[i].Path)
	}
	for k, e := range s.Editors {
		t(&e.Path)
		// A setting or a vim line naming a file in the home folder names
		// it ~/…, so two users' settings compare.
		for name, v := range e.Settings {
			e.Settings[name] = tildeText(v, home)
		}
		for i, line := range e.Lines {
			e.Lines[i] = tildeText(line, home)
		}
		s.Editors[k] = e
	}
	d := &s.Platform.Dirs
	for _, p := range []*string{&d.Data, &d.Cache, &d.State, &d.Bin, &d.Config} {
		t(p)
	}
	s.Platform.Home = tilde(home, home)
}
