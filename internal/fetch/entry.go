package fetch

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"
)

// entryPath checks an archive entry's name and returns it relative to the
// destination, slash-separated, after dropping strip leading components.
// skip is true when nothing is left after stripping (the entry is the
// stripped folder itself, or above it). Names are judged the same on every
// OS: no absolute paths, drive letters, backslashes or ".." components,
// wherever the archive was made; on Windows also nothing the OS would read
// as a device or a stream (filepath.IsLocal).
func entryPath(name string, strip int) (rel string, skip bool, err error) {
	parts, err := pathParts(name)
	if err != nil {
		return "", false, err
	}
	if len(parts) <= strip {
		return "", true, nil
	}
	rel = strings.Join(parts[strip:], "/")
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return "", false, fmt.Errorf("%w: not a plain relative path on this OS", ErrUnsafePath)
	}
	return rel, false, nil
}

// pathParts splits a slash path into its components, without "" and ".",
// refusing anything that could name a place outside the destination.
func pathParts(name string) ([]string, error) {
	switch {
	case name == "":
		return nil, fmt.Errorf("%w: empty name", ErrUnsafePath)
	case strings.ContainsRune(name, 0):
		return nil, fmt.Errorf("%w: NUL in name", ErrUnsafePath)
	case strings.Contains(name, `\`):
		return nil, fmt.Errorf("%w: backslash in name", ErrUnsafePath)
	case strings.HasPrefix(name, "/"):
		return nil, fmt.Errorf("%w: absolute path", ErrUnsafePath)
	case len(name) >= 2 && name[1] == ':' && isLetter(name[0]):
		return nil, fmt.Errorf("%w: drive letter", ErrUnsafePath)
	}
	var parts []string
	for _, p := range strings.Split(name, "/") {
		switch p {
		case "", ".":
		case "..":
			return nil, fmt.Errorf("%w: '..' in path", ErrUnsafePath)
		default:
			parts = append(parts, p)
		}
	}
	return parts, nil
}

// linkTarget checks a symlink at rel (relative to the destination) that
// points at target. The target must be relative, and must stay inside the
// destination when followed from the link's folder. ".." may only lead
// the target ("../../lib/x", not "lib/../x"): after a name that may itself
// be a link, ".." would climb from wherever that link points, which no
// lexical check can see.
func linkTarget(rel, target string) error {
	switch {
	case target == "":
		return fmt.Errorf("%w: empty link target", ErrUnsafeLink)
	case strings.ContainsRune(target, 0), strings.Contains(target, `\`):
		return fmt.Errorf("%w: link target %q has a NUL or backslash", ErrUnsafeLink, target)
	case strings.HasPrefix(target, "/"), len(target) >= 2 && target[1] == ':' && isLetter(target[0]):
		return fmt.Errorf("%w: link target %q is absolute", ErrUnsafeLink, target)
	}
	climbing := true
	for _, p := range strings.Split(target, "/") {
		switch {
		case p == "..":
			if !climbing {
				return fmt.Errorf("%w: link target %q has '..' after a name", ErrUnsafeLink, target)
			}
		case p != "" && p != ".":
			climbing = false
		}
	}
	joined := path.Join(path.Dir(rel), target)
	if joined == ".." || strings.HasPrefix(joined, "../") {
		return fmt.Errorf("%w: link target %q leaves the destination", ErrUnsafeLink, target)
	}
	return nil
}
