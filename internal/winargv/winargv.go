// Package winargv writes a Windows command-line argument so that a
// program's C runtime (CommandLineToArgvW, the MSVCRT parser) reads it
// back as it was: the one implementation of those rules in envup, used by
// the bin-entry launcher (package shim), the exported cmd and PowerShell
// scripts, and the commands envup shows on Windows.
package winargv

import "strings"

// Quote writes s for the C runtime's parser: 2n backslashes before a
// quote are n backslashes and the end of a quoted part, 2n+1 and a quote
// are n and a literal quote; other backslashes are themselves. It adds
// the quotes when s is empty, holds a space or tab, or force says so.
func Quote(s string, force bool) string {
	quote := force || s == "" || strings.ContainsAny(s, " \t")
	if !quote && !strings.Contains(s, `"`) {
		return s
	}
	var b strings.Builder
	if quote {
		b.WriteByte('"')
	}
	slashes := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			slashes++
		case '"':
			b.WriteString(strings.Repeat(`\`, slashes+1))
			slashes = 0
		default:
			slashes = 0
		}
		b.WriteByte(s[i])
	}
	if quote {
		b.WriteString(strings.Repeat(`\`, slashes))
		b.WriteByte('"')
	}
	return b.String()
}

// Join writes args as one command line's arguments, each quoted by Quote.
func Join(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = Quote(a, false)
	}
	return strings.Join(out, " ")
}
