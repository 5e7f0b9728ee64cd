package fetch

import (
	"fmt"
	"strings"
)

// DigestError says a file's bytes are not the ones its sha256 pins. When
// Get returns it, the downloaded bytes are already deleted.
type DigestError struct {
	URL  string // where the bytes came from: the origin, a mirror or a path
	Want string // the pinned sha256, hex
	Got  string // the sha256 of what was served, hex
}

func (e *DigestError) Error() string {
	return fmt.Sprintf("%s: sha256 mismatch: want %s, got %s", e.URL, e.Want, e.Got)
}

// StatusError is an HTTP answer that is not the file.
type StatusError struct {
	URL    string
	Code   int    // 404
	Status string // "404 Not Found"
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("download %s: %s", e.URL, e.Status)
}

// OfflineError says no mirror held a file and the origin was off limits.
type OfflineError struct {
	URL    string
	Name   string   // the file's name in a mirror
	For    string   // the platform it is needed for (Options.For); "" unsaid
	Looked []string // each place tried, with why it failed when not a plain miss
}

func (e *OfflineError) Error() string {
	what := e.URL
	if e.Name != "" {
		what = e.Name + " (" + e.URL + ")"
	}
	if e.For != "" {
		what += " for " + e.For
	}
	if len(e.Looked) == 0 {
		return fmt.Sprintf("download %s: offline and no mirror is set", what)
	}
	return fmt.Sprintf("download %s: offline and no mirror has it (looked in %s)", what, strings.Join(e.Looked, ", "))
}

// FileError is one file GetAll could not bring, naming it and its URL.
type FileError struct {
	Name string // as the Want named it
	URL  string
	Err  error
}

func (e *FileError) Error() string {
	msg := e.Err.Error()
	if strings.Contains(msg, e.URL) {
		return e.Name + ": " + msg
	}
	return e.Name + " (" + e.URL + "): " + msg
}

func (e *FileError) Unwrap() error { return e.Err }
