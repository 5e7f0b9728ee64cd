package lab

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestDocumentsMatchTheirSchemas: a report as a seat sends it, the room
// and a seat as the API gives them, each valid against its schema in
// docs/json.
func TestDocumentsMatchTheirSchemas(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	add := func(name string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join("../../docs/json", name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		id := doc.(map[string]any)["$id"].(string)
		if err := c.AddResource(id, doc); err != nil {
			t.Fatal(err)
		}
		return id
	}
	compile := func(id string) *jsonschema.Schema {
		t.Helper()
		s, err := c.Compile(id)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	reportID, labID := add("lab-report.schema.json"), add("lab.schema.json")
	reportSchema, labSchema, seatSchema := compile(reportID), compile(labID), compile(labID+"#/$defs/seat")
	validate := func(what string, s *jsonschema.Schema, data []byte) {
		t.Helper()
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(inst); err != nil {
			t.Errorf("%s does not match its schema: %v\n%s", what, err, data)
		}
	}

	l := startLab(t, "")
	for _, r := range []struct{ host, kind, failed string }{{"seat-01", "ready", ""}, {"seat-02", "nofont", "editor/vscode: settings.json: permission denied"}} {
		body := seatReport(t, r.host, r.kind, r.failed)
		validate("a report", reportSchema, body)
		if code, answer := l.post(t, testToken, body); code != 201 {
			t.Fatalf("%d %s", code, answer)
		}
	}
	var room, seat json.RawMessage
	l.get(t, "/api/v1/lab", &room)
	validate("GET /api/v1/lab", labSchema, room)
	l.get(t, "/api/v1/seat?host=seat-02", &seat)
	validate("GET /api/v1/seat", seatSchema, seat)
}
