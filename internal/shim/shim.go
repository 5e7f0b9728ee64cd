// Package shim is the launcher side of envup's Windows bin entries. An
// entry for python3 is BIN\python3.exe, a hard link to a copy of envup's
// own executable, beside BIN\python3.shim, a text file in scoop's format
// naming the program it stands for. Started under a name other than
// envup with such a file beside it, envup.exe is that launcher: it starts
// the program with the raw command line it was given, byte for byte, so
// no cmd.exe re-parses the arguments ("1&&2", "50%OS%", "a^b") and no
// code page mangles a path (C:\Users\Zoë Ådams).
//
// The parts here are plain Go, tested on any OS; the process start is in
// run_windows.go.
package shim

import (
	"bytes"
	"errors"
	"strings"
)

// File is a .shim file: the program to start and the arguments put before
// the user's, as raw command-line text (scoop's `path` and `args`).
type File struct {
	Path string
	Args string
}

// Parse reads a .shim file: `key = value` lines (LF or CRLF, a UTF-8 BOM
// allowed), path quoted or not; keys other than path and args are ignored,
// as scoop's own shims ignore what they do not know.
func Parse(data []byte) (File, error) {
	var f File
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for line := range strings.Lines(string(data)) {
		key, value, ok := strings.Cut(strings.TrimRight(line, "\r\n"), "=")
		if !ok {
			continue
		}
		value = strings.Trim(value, " \t")
		switch strings.TrimSpace(key) {
		case "path":
			if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
				value = value[1 : len(value)-1]
			}
			f.Path = value
		case "args":
			f.Args = value
		}
	}
	if f.Path == "" {
		return File{}, errors.New("no path = line")
	}
	return f, nil
}

// Format writes f as scoop does: `path = "…"` and, when there are any,
// `args = …`, CRLF-ended, UTF-8 without a BOM.
func (f File) Format() []byte {
	s := `path = "` + f.Path + "\"\r\n"
	if f.Args != "" {
		s += "args = " + f.Args + "\r\n"
	}
	return []byte(s)
}

// For is the .shim file that goes with the launcher at exe: the same path
// with .shim for .exe (BIN\python3.12.exe: BIN\python3.12.shim).
func For(exe string) string { return trimExe(exe) + ".shim" }

// IsEnvup tells whether argv0 names envup itself (envup, envup.exe, a path
// to one, in any case), the only name under which envup never looks for a
// .shim file: the check costs a string comparison and no system call.
func IsEnvup(argv0 string) bool {
	return strings.EqualFold(trimExe(argv0[strings.LastIndexAny(argv0, `\/`)+1:]), "envup")
}

func trimExe(name string) string {
	if len(name) > 4 && strings.EqualFold(name[len(name)-4:], ".exe") {
		return name[:len(name)-4]
	}
	return name
}

// Rest is what follows the program name in a Windows command line, as the
// C runtime reads the name: a quoted name runs to the next quote, an
// unquoted one to the first space or tab. The rest is kept byte for byte,
// its leading blanks included.
func Rest(cmdline string) string {
	if strings.HasPrefix(cmdline, `"`) {
		if i := strings.IndexByte(cmdline[1:], '"'); i >= 0 {
			return cmdline[i+2:]
		}
		return ""
	}
	if i := strings.IndexAny(cmdline, " \t"); i >= 0 {
		return cmdline[i:]
	}
	return ""
}

// CommandLine is the command line the launcher starts f's program with:
// its path quoted, f's arguments, then rest (Rest of the launcher's own
// command line) unchanged. A rest that does not start with a blank (a
// quoted name followed by text, `"python"x`) gets one, so the text stays
// an argument rather than joining the program's name.
func CommandLine(f File, rest string) string {
	s := `"` + f.Path + `"`
	if f.Args != "" {
		s += " " + f.Args
	}
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		s += " "
	}
	return s + rest
}
