package bindir

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/system"
)

// batchShim is a .cmd entry for Windows before 10, where envup does not
// run and `envup export` writes what apply would: `@"TARGET" ARGS %*`.
// cmd.exe reads a .cmd file in the OEM code page, so the file must be
// ASCII: a path under the bin dir's parent (the data dir is there, under
// %LOCALAPPDATA%\envup or ENVUP_HOME) is written relative to the shim's
// own folder, %~dp0..\python\3.4.4\python.exe, whatever the profile is
// called. A non-ASCII byte left after that is an error naming the path.
func batchShim(p detect.Platform, l Link) ([]byte, error) {
	var b strings.Builder
	b.WriteString("@")
	for i, word := range append([]string{l.Target}, l.Args...) {
		if i > 0 {
			b.WriteString(" ")
		}
		ref := batchRef(p, word)
		for j := 0; j < len(ref); j++ {
			if ref[j] >= 0x80 {
				return nil, fmt.Errorf("%s: %s cannot be written in ASCII (%s), and cmd.exe reads a .cmd file in the OEM code page: use an ENVUP_HOME whose path is ASCII", l.Name, word, ref)
			}
		}
		b.WriteString(`"` + ref + `"`)
	}
	b.WriteString(" %*\r\n")
	return []byte(b.String()), nil
}

// batchRef is path as a .cmd file names it: relative to the file's own
// folder when path is under the bin dir's parent, with backslashes; %
// doubled, so cmd.exe takes it for itself.
func batchRef(p detect.Platform, path string) string {
	parent := parentOf(p.Dirs.Bin)
	if parent != "" && under(p, path, parent) {
		rel := strings.ReplaceAll(strings.TrimLeft(path[len(parent):], `\/`), "/", `\`)
		return `%~dp0..\` + strings.ReplaceAll(rel, "%", "%%")
	}
	return strings.ReplaceAll(path, "%", "%%")
}

// batchMade tells whether l's .cmd file says what it should.
func batchMade(sys system.System, p detect.Platform, l Link) bool {
	want, err := batchShim(p, l)
	if err != nil {
		return false
	}
	data, err := sys.ReadFile(l.Name)
	return err == nil && bytes.Equal(data, want)
}

func makeBatch(sys system.System, p detect.Platform, l Link) error {
	data, err := batchShim(p, l)
	if err != nil {
		return err
	}
	return sys.WriteFile(l.Name, data, 0o644)
}

// batchMine tells whether the .cmd file name is one envup made: it runs a
// program under the data dir, by its full path (as envup wrote them before
// they were relative) or by %~dp0.
func batchMine(sys system.System, p detect.Platform, name string) bool {
	data, err := sys.ReadFile(name)
	if err != nil {
		return false
	}
	text := string(data)
	if strings.Contains(text, p.Dirs.Data) {
		return true
	}
	ref := batchRef(p, p.Join(p.Dirs.Data, "x"))
	return strings.HasPrefix(ref, `%~dp0`) && strings.Contains(text, `"`+strings.TrimSuffix(ref, "x"))
}
