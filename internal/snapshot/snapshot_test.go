package snapshot

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// A snapshot written and read back is the same machine: every part of
// the registry comes back typed, in the registry's order after the
// platform, and a part the file lacks reads as empty.
func TestWriteRead(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := base().Write(&buf); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	var keys []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			continue
		case json.Delim('}'), json.Delim(']'):
			depth--
			continue
		}
		if k, ok := tok.(string); ok && depth == 1 && dec.More() {
			keys = append(keys, k)
			// skip the value
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := []string{"envup_snapshot", "taken", "platform", "packages", "interpreters", "virtualenvs", "services", "fonts", "editors", "skipped"}
	if !slices.Equal(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
	if !strings.Contains(buf.String(), `"editor.fontFamily": "\"Akbar\""`) {
		t.Errorf("a setting is written unescaped:\n%s", buf.String())
	}
	back, err := Read(&buf, "a.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(t, base(), back); len(got) != 0 {
		t.Errorf("read back, it differs: %v", got)
	}
	if venvs(back)[0].Packages["vpython"] != "7.6.5" {
		t.Errorf("venvs %+v", venvs(back))
	}

	bare, err := Read(strings.NewReader(`{"envup_snapshot": 1, "platform": {"os": "linux"}, "fonts": null}`), "bare.json")
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := bare.Write(&buf); err != nil {
		t.Fatal(err)
	}
	for _, empty := range []string{`"fonts": []`, `"interpreters": []`, `"editors": {}`, `"packages": {}`, `"skipped": []`} {
		if !strings.Contains(buf.String(), empty) {
			t.Errorf("no %s in\n%s", empty, buf.String())
		}
	}
	if got := bare.Summary(); got != "0 packages, 0 interpreters, 0 virtualenvs, 0 services, 0 fonts, 0 editors" {
		t.Errorf("Summary() = %q", got)
	}

	_, err = Read(strings.NewReader("{\"envup_snapshot\": 1,\n  \"fonts\": [{\"family\": 7}]}"), "bad.json")
	if err == nil || !strings.HasPrefix(err.Error(), "bad.json: line 2, column 25: fonts: ") {
		t.Errorf("a part of the wrong type: %v", err)
	}
}
