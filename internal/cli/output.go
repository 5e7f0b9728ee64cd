package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"
)

// outputVersion is the version of every JSON document --output json
// prints, under outputKey (docs/cli.md, docs/json/*.schema.json). It goes
// up when a document changes in a way a reader could trip on: a key
// removed or renamed, a type changed. A new key does not change it.
const outputVersion = 1

// outputKey names the version, and the first key of every document;
// "kind" comes second and says which document it is.
const outputKey = "envup_output"

// envelopeKeys are the keys envup adds to a command's document; none of
// its own may be one of them.
var envelopeKeys = []string{outputKey, "kind", "error", "exit_code"}

// emit keeps v, a JSON object, as the command's one document of kind:
// Main prints it when the command returns, with the error, if any, added
// (withError), so stdout holds one document whatever happened.
func (g *globals) emit(kind string, v any) error {
	doc, err := envelope(kind, v)
	if err != nil {
		return err
	}
	g.doc = doc
	return nil
}

// event prints one JSON Lines document of kind at once: a long-running
// command's events (serve), each on a line of its own.
func (g *globals) event(kind string, v any) error {
	doc, err := envelope(kind, v)
	if err != nil {
		return err
	}
	g.lines = true
	doc = append(doc, '\n')
	_, err = g.stdout.Write(doc)
	return err
}

// envelope is v's JSON object with outputKey and kind first, compact.
func envelope(kind string, v any) ([]byte, error) {
	body, err := marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%s: JSON: %w", kind, err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, fmt.Errorf("%s: JSON: not an object: %w", kind, err)
	}
	for _, k := range envelopeKeys {
		if _, ok := fields[k]; ok {
			return nil, fmt.Errorf("%s: JSON: the document has a key %q of its own", kind, k)
		}
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, `{%q:%d,"kind":%s`, outputKey, outputVersion, mustMarshal(kind))
	if inner := bytes.TrimSpace(body[1 : len(body)-1]); len(inner) > 0 {
		buf.WriteByte(',')
		buf.Write(inner)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// withError adds the error and exit code at the end of a document.
func withError(doc []byte, msg string, code int) []byte {
	// An envelope is never empty: it starts with outputKey and kind.
	end := bytes.LastIndexByte(doc, '}')
	var buf bytes.Buffer
	buf.Write(doc[:end])
	fmt.Fprintf(&buf, `,"error":%s,"exit_code":%d}`, mustMarshal(msg), code)
	return buf.Bytes()
}

// writeDocument prints the run's document on w: indented, or on one line
// when the command printed JSON Lines.
func (g *globals) writeDocument(w io.Writer, err error, code int) {
	doc := g.doc
	if err != nil && code != exitDiffers {
		if doc == nil {
			doc, _ = envelope("error", struct{}{})
		}
		doc = withError(doc, err.Error(), code)
	}
	if doc == nil {
		return
	}
	var out bytes.Buffer
	if g.lines {
		_ = json.Compact(&out, doc)
	} else {
		_ = json.Indent(&out, doc, "", "  ")
	}
	out.WriteByte('\n')
	_, _ = w.Write(out.Bytes())
}

// ms is a duration in milliseconds, to the microsecond: how --output json
// writes every duration (took_ms), a number a program need not parse.
func ms(d time.Duration) float64 {
	return float64(d.Round(time.Microsecond)) / float64(time.Millisecond)
}

// marshal is json.Marshal without escaping <, > and & (a path or an
// error message reads as written).
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSpace(buf.Bytes()), nil
}

func mustMarshal(s string) []byte {
	b, _ := marshal(s)
	return b
}

// wantsJSON says whether the run prints JSON: --output json was parsed,
// or, for a command line cobra refused before it got that far (an
// unknown command, a bad flag before --output), args ask for it.
func (g *globals) wantsJSON(args []string) bool {
	if g.output == "json" {
		return true
	}
	if g.started {
		return false
	}
	end := slices.Index(args, "--")
	if end < 0 {
		end = len(args)
	}
	for i, a := range args[:end] {
		if a == "--output=json" || a == "--output" && i+1 < end && args[i+1] == "json" {
			return true
		}
	}
	return false
}
