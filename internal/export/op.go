// Package export turns a plan for another platform into a script that the
// old host runs by itself — plain batch for Windows XP's cmd.exe
// (setup.cmd), PowerShell 2.0 (setup.ps1), or POSIX sh for old macOS and
// old Linux (setup.sh) — with every file it needs beside it in files/.
//
// The plan is made as for `envup plan --platform P`: each resource's
// Apply runs against a recording system, and what it records (downloads,
// commands, files written, folders made) becomes the script's operations
// (Op). One loop (writer.go) walks the operations for every language and
// hands each part to the language's dialect (cmd.go, ps1.go, sh.go).
package export

// Op is one thing a script does, in order.
//
// Paths are written for the target host, with two symbols a writer
// replaces at the start of an argument or after a leading NAME= (as in
// TARGETDIR=~\…): "~" is the user's home folder (%USERPROFILE%,
// $env:USERPROFILE, $HOME) and a leading "{files}" is the files/ folder
// beside the script (%~dp0files, $PSScriptRoot\files, "$here/files").
// Separators are the target's: backslashes for Windows.
type Op struct {
	Kind OpKind
	// Resource is the plan's resource ID the op belongs to
	// ("interpreter/python"), for the log and the section titles.
	Resource string
	// Title is what a section says it does ("python 3.4.4 from
	// python-3.4.4.msi"); for a check, the check's name.
	Title string
	// Path is the folder to make (Mkdir), the file to write (Copy), or
	// for a Section, a path whose existence means the section is already
	// done, so a second run skips it ("" never skips).
	Path string
	// From is the file under {files} that Copy puts at Path.
	From string
	// Argv is the command Run and Check run: the program, then each
	// argument, unquoted; the writer quotes them for its language.
	Argv []string
	// Expect and ExpectRe are what a Check wants its standard output to
	// contain or to match, as `envup check` reads them (cmd and sh match a
	// regexp line by line, as findstr and grep do); both empty: the exit
	// status alone.
	Expect, ExpectRe string
}

// OpKind says what an Op does.
type OpKind int

// The kinds of Op.
const (
	// Section starts the ops of one resource: it logs the title and,
	// when Path exists, skips to the next Section.
	Section OpKind = iota
	// Mkdir makes Path and its parents, if missing.
	Mkdir
	// Copy writes the file {files}/From to Path (making its folder),
	// unless Path already holds the same bytes.
	Copy
	// Run runs Argv; a failure stops the script with its exit status,
	// logged.
	Run
	// Check runs Argv and compares its output; a failure is counted and
	// logged, and the script goes on to the next check, then exits 1.
	Check
	// Note writes Title to the log and the console: something the person
	// running the script must know (a step that needs an administrator).
	Note
	// Admin stops the script unless it runs with administrator rights
	// (Title says why): XP installs fonts only for all users.
	Admin
)

// Target is what the script checks it runs on before doing anything.
type Target struct {
	OS      string // windows, macos, linux
	Version string // NT "5.1", macOS "10.7", Linux VERSION_ID "7"
	Arch    string // 386, amd64, arm64
	Distro  string // linux: the os-release ID ("debian")
	Name    string // for messages: "windows xp", "os x lion", "debian 7"
}

// Script is a whole export in one language-neutral form.
type Script struct {
	Recipe string // the recipe's name or file, for the header
	Target Target
	Ops    []Op
}
