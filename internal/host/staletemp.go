package host

import (
	"log/slog"
	"path/filepath"
	"time"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/system"
)

// RemoveStaleTemps removes the temporary files an earlier, killed apply
// left (system.RemoveStaleTemps) from the folders this plan writes in:
// the state dir, and for each resource with a path (a file, an editor's
// settings, a venv) its folder and, for a venv, the venv. Only files last
// written before start go. It returns what it removed; a folder it cannot
// read is skipped, said in the debug log.
func (h *Host) RemoveStaleTemps(p *plan.Plan, start time.Time) []string {
	dirs := []string{h.Platform.Dirs.State}
	for _, r := range p.Resources {
		if v, ok := install.As[interface{ Path() string }](r); ok && v.Path() != "" {
			dirs = append(dirs, filepath.Dir(v.Path()), v.Path())
		}
	}
	seen := map[string]bool{}
	var removed []string
	for _, dir := range dirs {
		if seen[dir] {
			continue
		}
		seen[dir] = true
		gone, err := system.RemoveStaleTemps(h.Sys, dir, start)
		if err != nil {
			slog.Debug("stale temporary files", "dir", dir, "err", err)
		}
		removed = append(removed, gone...)
	}
	return removed
}
