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
func (s *Snapshot) UnmarshalJSON(whole []byte) error {
	data := whole
	var h header
	if err := json.Unmarshal(data, &h); err != nil {
		return err
	}
	var rest struct {
		Skipped []string `json:"skipped"`
	}
	if err := json.Unmarshal(data, &rest); err != nil {
		return err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*s = Snapshot{Schema: h.Schema, Taken: h.Taken, Envup: h.Envup, Host: h.Host, Platform: h.Platform,
		Parts: map[string]any{}, Skipped: rest.Skipped}
	for _, p := range parts() {
		data, ok := raw[p.Section()]
		if !ok {
			s.Parts[p.Section()] = p.Empty()
			continue
		}
		v, err := p.Decode(data)
		if err != nil {
			// Read says where: at the part's own place in the file.
			var typ *json.UnmarshalTypeError
			if errors.As(err, &typ) {
				typ.Offset += int64(bytes.Index(whole, data))
			}
			return fmt.Errorf("%s: %w", p.Section(), err)
		}
		s.Parts[p.Section()] = v
	}
	return nil
}

// Summary counts what s records, part by part: "2 interpreters, 1
// virtualenvs, …".
func (s *Snapshot) Summary() string {
	var out []string
	for _, p := range parts() {
		out = append(out, fmt.Sprintf("%d %s", p.Count(s.Parts[p.Section()]), p.Section()))
	}
	return strings.Join(out, ", ")
}

// Read reads a snapshot; name is for messages. A document that is not a
// snapshot, or of a schema this envup does not know, is an error that
// says so.
func Read(r io.Reader, name string) (*Snapshot, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var probe struct {
		Schema *int `json:"envup_snapshot"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%s: not a snapshot: %s", name, jsonError(data, err))
	}
	switch {
	case probe.Schema == nil:
		return nil, fmt.Errorf("%s: not a snapshot (no envup_snapshot key; `envup snapshot -o FILE` writes one)", name)
	case *probe.Schema != Schema:
		return nil, fmt.Errorf("%s: snapshot schema %d is not supported (this envup reads schema %d)", name, *probe.Schema, Schema)
	}
	s := &Snapshot{}
	if err := json.Unmarshal(data, s); err != nil {
		return nil, fmt.Errorf("%s: %s", name, jsonError(data, err))
	}
	return s, nil
}

// jsonError places a decoding error at its line and column.
func jsonError(data []byte, err error) string {
	var off int64 = -1
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		off = syntax.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	}
	if off < 0 {
		return err.Error()
	}
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
