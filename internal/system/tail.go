package system

import (
	"strings"
)

// tailLines is how many lines of a failed command's output Tail keeps,
// and tailWidth how long each may be.
const (
	tailLines = 10
	tailWidth = 300
)

// repeated are the starts of lines a tool says again and again while it
// retries: of each, only the last counts. pip warns once a retry
// ("WARNING: Retrying (Retry(total=4, ...)) after connection broken by
// ...: /simple/redis/"), apt once a source or file it could not fetch.
var repeated = []string{
	"WARNING: Retrying (Retry(",
	"Err:",
	"Ign:",
	"W: Failed to fetch ",
	"E: Failed to fetch ",
}

// noise are the starts of lines that say nothing of a failure (pip's
// notice of its own new release).
var noise = []string{"[notice] "}

// Tail is what a failed command's output says of why, as lines joined by
// "\n": its last meaningful lines (at most 10, each at most 300
// characters, cut in the middle), with a retried warning only at its last
// place and pip's notices left out, so a message shows the last retry
// and the final errors rather than every retry.
func Tail(out []byte) string {
	var lines []string
	last := map[string]int{} // a repeated start → the index of its last line
	for _, l := range strings.FieldsFunc(string(out), func(r rune) bool { return r == '\n' || r == '\r' }) {
		l = strings.TrimSpace(l)
		if l == "" || hasPrefix(l, noise) != "" {
			continue
		}
		if p := hasPrefix(l, repeated); p != "" {
			if i, ok := last[p]; ok {
				lines[i] = ""
			}
			last[p] = len(lines)
		}
		lines = append(lines, l)
	}
	var kept []string
	for i := len(lines) - 1; i >= 0 && len(kept) < tailLines; i-- {
		if lines[i] != "" {
			kept = append(kept, cutMiddle(lines[i], tailWidth))
		}
	}
	for i, j := 0, len(kept)-1; i < j; i, j = i+1, j-1 {
		kept[i], kept[j] = kept[j], kept[i]
	}
	return strings.Join(kept, "\n")
}

// hasPrefix is the one of prefixes s starts with, or "".
func hasPrefix(s string, prefixes []string) string {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return p
		}
	}
	return ""
}

// cutMiddle shortens s to width runes by an ellipsis in its middle: a
// long line's start says what it is, its end why.
func cutMiddle(s string, width int) string {
	r := []rune(s)
	if len(r) <= width {
		return s
	}
	half := (width - 1) / 2
	return string(r[:half]) + "…" + string(r[len(r)-(width-1-half):])
}
