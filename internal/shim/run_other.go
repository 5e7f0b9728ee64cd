//go:build !windows

package shim

// Run is false off Windows: there bin entries are symlinks, and envup
// always runs as itself.
func Run() (int, bool) { return 0, false }
