package file

import (
	"strings"

	"github.com/envup/envup/internal/detect"
)

// expandHome replaces a leading ~ with home, written the way home is
// (backslashes on Windows), since dest belongs to the host being planned
// for, which may not be the machine envup runs on.
func expandHome(dest, home string) string {
	if home == "" || dest == "" || dest[0] != '~' {
		return dest
	}
	if dest == "~" {
		return home
	}
	if dest[1] != '/' && dest[1] != '\\' {
		return dest // ~user is not expanded
	}
	return detect.Join(home, strings.FieldsFunc(dest[2:], isSep)...)
}

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
