//go:build linux || darwin

package detect

// brewPaths are Homebrew's default prefixes: Apple silicon, Intel macOS
// (and x86 Homebrew under Rosetta), Linux (PLATFORMS.md §3.3).
var brewPaths = []string{
	"/opt/homebrew/bin/brew",
	"/usr/local/bin/brew",
	"/home/linuxbrew/.linuxbrew/bin/brew",
}
