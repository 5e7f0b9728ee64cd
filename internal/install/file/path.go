package file

import (
	"strings"

	"github.com/envup/envup/internal/detect"
)

// expandHome replaces a leading ~ with the home of the host being planned
// for (detect.Path.Expand), which may not be the machine envup runs on: a
// Windows home gives backslashes.
func expandHome(dest string, p detect.Platform) string { return p.HomePath().Expand(dest) }

// isAbs says whether p is absolute on its own host: /x, C:\x, C:/x, \\server\share.
func isAbs(p string) bool {
	switch {
	case strings.HasPrefix(p, "/"), strings.HasPrefix(p, `\\`):
		return true
	case len(p) >= 3 && p[1] == ':' && isSep(rune(p[2])):
		c := p[0] | 0x20
		return c >= 'a' && c <= 'z'
	}
	return false
}

func isSep(r rune) bool { return r == '/' || r == '\\' }
