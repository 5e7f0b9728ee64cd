package interpreter

import (
	"github.com/envup/envup/internal/install/bindir"
	"github.com/envup/envup/internal/system"
)

// links are the bin entries an envup install gets: the versioned name
// always (python3.12), the plain ones (python3, python) with default: true;
// node, npm and npx for node.
func (r *Interpreter) links(f *Found) []bindir.Link {
	if f.Origin != "envup" {
		return nil
	}
	always, dflt := r.tool.programs(f.Version, r.p.OS)
	names := always
	if r.spec.Default {
		names = append(append([]string(nil), always...), dflt...)
	}
	var out []bindir.Link
	for _, n := range names {
		target, args := r.tool.entry(f.Prefix, f.Path, n, r.p.OS)
		out = append(out, bindir.Entry(r.p, n, target, args...))
	}
	return out
}

// missingLinks are the links that are absent or point elsewhere.
func (r *Interpreter) missingLinks(sys system.System, f *Found) []bindir.Link {
	return bindir.Missing(sys, r.p, r.links(f))
}

// link makes the missing links, never over an entry envup did not make.
func (r *Interpreter) link(sys system.System, f *Found) error {
	return bindir.Make(sys, r.p, r.opts.Launcher, r.links(f), "set default: false")
}
