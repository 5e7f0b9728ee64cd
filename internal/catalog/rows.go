package catalog

import (
	"slices"

	"github.com/envup/envup/internal/detect"
)

// Row is one release as `envup catalog` shows it: how it installs on a
// platform.
type Row struct {
	Tool    string   `json:"tool"`
	Version string   `json:"version"`
	Ways    []string `json:"ways"` // archive, installer, source, wheel: how it installs here
	Files   []string `json:"files,omitempty"`
}

// Rows lists the releases of tools (every tool when none is named),
// newest first, each with the ways it installs on p and the files those
// take. A release with no way to install on p is left out unless all.
func (c *Catalog) Rows(tools []string, p detect.Platform, all bool, opts ...Option) ([]Row, error) {
	if len(tools) == 0 {
		tools = c.Tools()
	}
	opts = append(slices.Clone(opts), Kinds(KindArchive, KindInstaller, KindSource, KindWheel))
	var rows []Row
	for _, tool := range tools {
		releases, err := c.Releases(tool)
		if err != nil {
			return nil, err
		}
		for _, rel := range releases {
			row := Row{Tool: tool, Version: rel.Version}
			for _, a := range rel.Usable(p, opts...) {
				if !slices.Contains(row.Ways, string(a.Kind)) {
					row.Ways = append(row.Ways, string(a.Kind))
				}
				row.Files = append(row.Files, a.Filename)
			}
			if len(row.Ways) > 0 || all {
				rows = append(rows, row)
			}
		}
	}
	return rows, nil
}
