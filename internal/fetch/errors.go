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
	Cache  string   // the cache entry looked at, with what was wrong with it when it was there
	Looked []string // each mirror tried, with why it failed when not a plain miss
}

func (e *OfflineError) Error() string {
	what := e.URL
	if e.Name != "" {
		what = e.Name + " (" + e.URL + ")"
	}
	if e.For != "" {
		what += " for " + e.For
	}
	looked := e.Looked
	if e.Cache != "" {
		looked = append([]string{e.Cache}, looked...)
	}
	why := "no mirror has it"
	if len(e.Looked) == 0 {
		why = "no mirror is set"
	}
	if len(looked) == 0 {
		return fmt.Sprintf("download %s: offline and %s", what, why)
	}
	return fmt.Sprintf("download %s: offline and %s (looked in %s)", what, why, strings.Join(looked, ", "))
}

// SourcesError is a file that no place served: it names the places looked
// in before the last one failed (the cache entry, then each mirror), and
// wraps the last one's error (the origin's, or a place's wrong bytes).
type SourcesError struct {
	Looked []string // the cache entry, then each mirror, with why it failed when not a plain miss
	Err    error
}

func (e *SourcesError) Error() string {
	return e.Err.Error() + " (also looked in " + strings.Join(e.Looked, ", ") + ")"
}

func (e *SourcesError) Unwrap() error { return e.Err }

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
