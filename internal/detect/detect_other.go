//go:build !linux && !darwin && !windows

package detect

import (
	"os"
	"runtime"
)

// detectOS knows only the OS's Go name on systems envup has no rules
// for (the BSDs, illumos, ...); Dirs follow the XDG layout there.
func detectOS(p *Platform) error {
	p.OS = runtime.GOOS
	p.Admin = os.Geteuid() == 0
	return nil
}
