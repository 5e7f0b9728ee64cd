// Package snapshot records what envup can see on a machine — platform,
// interpreters, virtualenvs, Redis and Valkey, user fonts, editor settings
// and the OS packages the user asked for — as a versioned JSON document;
// compares two such records, or a record with a recipe, by meaning
// (diff.go); and turns a record into a recipe that reproduces it
// (capture.go).
//
// Paths under the home folder are written ~/…, so snapshots of two users
// on two machines compare.
package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/kinds"
)

// Schema is the snapshot format this envup writes and reads.
const Schema = 1

// Snapshot is one machine as envup sees it.
type Snapshot struct {
	Schema   int             `json:"envup_snapshot"`
	Taken    time.Time       `json:"taken"`
	Envup    string          `json:"envup_version,omitempty"`
	Host     string          `json:"host,omitempty"` // the machine's name, for people; never compared
	Platform detect.Platform `json:"platform"`
	// Parts are what each kind of the registry records, by its section
	// (interpreters, virtualenvs, services, fonts, editors, packages),
	// each of the kind's own type: interpreter.Part.Of(s.Parts) reads
	// one back typed. They are written after the platform, in the
	// registry's order.
	Parts map[string]any `json:"-"`
	// Skipped says what could not be read, and why: a snapshot is taken
	// whole even when one part fails.
	Skipped []string `json:"skipped"`
}

// header is a snapshot without its parts, as JSON writes it.
type header struct {
	Schema   int             `json:"envup_snapshot"`
	Taken    time.Time       `json:"taken"`
	Envup    string          `json:"envup_version,omitempty"`
	Host     string          `json:"host,omitempty"`
	Platform detect.Platform `json:"platform"`
}

// parts are the kinds a snapshot records, in the registry's order.
func parts() []install.Part {
	var out []install.Part
	for _, k := range kinds.All() {
		if k.Part != nil {
			out = append(out, k.Part)
		}
	}
	return out
}

// MarshalJSON writes the header, each part in the registry's order
// ([] or {} when the machine has none), and what was skipped.
func (s Snapshot) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	put := func(key string, v any) error {
		if buf.Len() > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		buf.Write(k)
		buf.WriteByte(':')
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		return nil
	}
	head, err := marshal(header{Schema: s.Schema, Taken: s.Taken, Envup: s.Envup, Host: s.Host, Platform: s.Platform})
	if err != nil {
		return nil, err
	}
	buf.Write(bytes.TrimSuffix(bytes.TrimSpace(head), []byte("}"))[1:])
	for _, p := range parts() {
		v, ok := s.Parts[p.Section()]
		if !ok || v == nil {
			v = p.Empty()
		}
		if err := put(p.Section(), v); err != nil {
			return nil, err
		}
	}
	if err := put("skipped", append([]string{}, s.Skipped...)); err != nil {
		return nil, err
	}
	return append(append([]byte{'{'}, buf.Bytes()...), '}'), nil
}

// marshal is json.Marshal without escaping <, > and &.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return buf.Bytes(), err
}

// UnmarshalJSON reads the header and each part the registry knows; a
// part the document lacks is empty.
func (s *Snapshot) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	got, err := fromRaw(raw)
	if err != nil {
		return err
	}
	*s = *got
	return nil
}

// fromRaw reads a snapshot from its top-level keys, each decoded once.
// An error is a *fieldError naming the key.
func fromRaw(raw map[string]json.RawMessage) (*Snapshot, error) {
	s := &Snapshot{Parts: map[string]any{}}
	for _, f := range []struct {
		key string
		v   any
	}{
		{"envup_snapshot", &s.Schema}, {"taken", &s.Taken}, {"envup_version", &s.Envup},
		{"host", &s.Host}, {"platform", &s.Platform}, {"skipped", &s.Skipped},
	} {
		if data, ok := raw[f.key]; ok {
			if err := json.Unmarshal(data, f.v); err != nil {
				return nil, &fieldError{key: f.key, raw: data, err: err}
			}
		}
	}
	for _, p := range parts() {
		data, ok := raw[p.Section()]
		if !ok {
			s.Parts[p.Section()] = p.Empty()
			continue
		}
		v, err := p.Decode(data)
		if err != nil {
			return nil, &fieldError{key: p.Section(), raw: data, err: err}
		}
		s.Parts[p.Section()] = v
	}
	return s, nil
}

// fieldError is a top-level key's value that does not decode; raw is
// the value, for Read to find its place in the file.
type fieldError struct {
	key string
	raw json.RawMessage
	err error
}

func (e *fieldError) Error() string { return e.key + ": " + e.err.Error() }
func (e *fieldError) Unwrap() error { return e.err }

// Summary counts what s records, part by part: "2 interpreters, 1
// virtualenvs, …".
func (s *Snapshot) Summary() string {
	var out []string
	for _, p := range parts() {
		out = append(out, fmt.Sprintf("%d %s", p.Count(s.Parts[p.Section()]), p.Section()))
	}
	return strings.Join(out, ", ")
}

// MaxSize is the largest snapshot Read reads, 32 MiB. A large machine's
// snapshot is a few MB (200 virtualenvs of 300 packages each: about
// 2.5 MB), and decoding and comparing one holds several times its size in
// memory, so a bigger file is no snapshot envup wrote (a log, an image,
// /dev/zero) and is refused before it is read, not read whole.
const MaxSize = 32 << 20

// TooLargeError is a snapshot larger than MaxSize. Size is its size when
// known before reading (a file), else 0: more than MaxSize was read.
type TooLargeError struct {
	Name string
	Size int64
}

func (e *TooLargeError) Error() string {
	size := fmt.Sprintf("more than %d MiB", MaxSize>>20)
	if e.Size > 0 {
		size = fmt.Sprintf("%.1f MiB", float64(e.Size)/(1<<20))
	}
	return fmt.Sprintf("%s: %s, larger than a snapshot may be (%d MiB; a large machine's is a few MB): not read", e.Name, size, MaxSize>>20)
}

// Read reads a snapshot of at most MaxSize bytes; name is for messages.
// A document that is not a snapshot, or of a schema this envup does not
// know, is an error that says so, and where.
func Read(r io.Reader, name string) (*Snapshot, error) {
	return readSized(r, name, 0)
}

// readSized is Read of a file whose size is known (0: not known), so the
// bytes are read into one buffer of that size.
func readSized(r io.Reader, name string, size int64) (*Snapshot, error) {
	if size > MaxSize {
		return nil, &TooLargeError{Name: name, Size: size}
	}
	var buf bytes.Buffer
	buf.Grow(int(size) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(r, MaxSize+1)); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if buf.Len() > MaxSize {
		return nil, &TooLargeError{Name: name}
	}
	return decode(buf.Bytes(), name)
}

// decode reads a snapshot from data in one pass over the document.
func decode(data []byte, name string) (*Snapshot, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: not a snapshot: %s", name, jsonError(data, 0, err))
	}
	schema, ok := raw["envup_snapshot"]
	if !ok {
		return nil, fmt.Errorf("%s: not a snapshot (no envup_snapshot key; `envup snapshot -o FILE` writes one)", name)
	}
	var n int
	if err := json.Unmarshal(schema, &n); err != nil {
		return nil, fmt.Errorf("%s: not a snapshot: %s", name, jsonError(data, offsetOf(data, schema), err))
	}
	if n != Schema {
		return nil, fmt.Errorf("%s: snapshot schema %d is not supported (this envup reads schema %d)", name, n, Schema)
	}
	s, err := fromRaw(raw)
	var field *fieldError
	if errors.As(err, &field) {
		return nil, fmt.Errorf("%s: %s", name, jsonError(data, offsetOf(data, field.raw), err))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// offsetOf is where value, a copy of a top-level value of data, is in
// data: the first place its bytes are (a short value may be found
// earlier than where it is; only messages use this).
func offsetOf(data, value []byte) int64 {
	return int64(max(bytes.Index(data, value), 0))
}

// jsonError places a decoding error at its line and column (of the byte
// that is wrong; of the end of a value of the wrong type); base is where
// the value decoded lies in data.
func jsonError(data []byte, base int64, err error) string {
	var off int64 = -1
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		off = syntax.Offset - 1 // it counts the offending byte
	case errors.As(err, &typ):
		off = typ.Offset
	}
	if off < 0 {
		return err.Error()
	}
	off += base
	before := string(data[:min(int(off), len(data))])
	line := strings.Count(before, "\n") + 1
	col := int(off) - strings.LastIndex(before, "\n")
	return fmt.Sprintf("line %d, column %d: %v", line, col, err)
}

// Write writes s as indented JSON, the way -o FILE keeps it.
func (s *Snapshot) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}
