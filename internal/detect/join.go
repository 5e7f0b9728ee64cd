package detect

import "strings"

// Join joins path elements with the separator base is written with, so a
// path on the host being planned for keeps its own form: a Windows path
// planned from Linux keeps its backslashes, a POSIX one its slashes.
func Join(base string, elem ...string) string {
	sep := "/"
	if strings.Contains(base, `\`) {
		sep = `\`
	}
	s := strings.TrimRight(base, `\/`)
	for _, e := range elem {
		s += sep + e
	}
	return s
}

// Base is the last element of a path written with either separator, as
// Join writes them: "~/fonts/a.ttf" and `C:\Fonts\a.ttf` give "a.ttf". A
// trailing separator is ignored.
func Base(p string) string {
	p = strings.TrimRight(p, `\/`)
	return p[strings.LastIndexAny(p, `\/`)+1:]
}
