//go:build unix

package system

import (
	"io/fs"
	"os"
	"syscall"
)

// sameOwner says whether a link (li) may lead root's writes to its
// target (ti): always for an envup that is not root, which the system
// keeps to what it may write anyway; for root, when the link and the
// target have one owner.
func sameOwner(li, ti fs.FileInfo) bool {
	if os.Geteuid() != 0 {
		return true
	}
	l, lok := li.Sys().(*syscall.Stat_t)
	t, tok := ti.Sys().(*syscall.Stat_t)
	return lok && tok && l.Uid == t.Uid
}
