package cli

import (
	"strings"
	"testing"
)

// TestValidateOutput asserts the validator the scripts use refuses what
// --output json must never print: each document here breaks one rule.
func TestValidateOutput(t *testing.T) {
	t.Parallel()
	const version = `{"envup_output":1,"kind":"version","version":"dev","go":"go1.26"}`
	for _, tc := range []struct {
		name, stdout string
		code         int
		want         string // in the error; "" means valid
	}{
		{"valid", version + "\n", 0, ""},
		{"indented", "{\n  \"envup_output\": 1,\n  \"kind\": \"env\",\n  \"bin\": \"/b\",\n  \"shell\": \"fish\"\n}\n", 0, ""},
		{"no version key", `{"kind":"version","version":"dev","go":"go1.26"}`, 0, "does not match"},
		{"another version", `{"envup_output":2,"kind":"version","version":"dev","go":"go1.26"}`, 0, "does not match"},
		{"unknown key", `{"envup_output":1,"kind":"version","version":"dev","go":"go1.26","took":"5ms"}`, 0, "does not match"},
		{"unknown kind", `{"envup_output":1,"kind":"yaml"}`, 0, `no schema for kind "yaml"`},
		{"not JSON", "envup dev (go1.26)\n", 0, "not JSON"},
		{"empty", "", 0, "no JSON document"},
		{"two documents", version + "\n" + version + "\n", 0, "only serve"},
		{"failed without error", version, 1, "no error"},
		{"error with exit 0", `{"envup_output":1,"kind":"error","error":"x","exit_code":1}`, 0, "has an error"},
		{"error code differs", `{"envup_output":1,"kind":"error","error":"x","exit_code":1}`, 64, "exit_code 1"},
		{"error without code", `{"envup_output":1,"kind":"version","version":"dev","go":"go1.26","error":"x"}`, 1, "does not match"},
		{"usage error", `{"envup_output":1,"kind":"error","error":"unknown flag: --x","exit_code":64}`, 64, ""},
		{"serve lines", `{"envup_output":1,"kind":"serve","event":"listening","dir":"m","url":"http://h:1"}` + "\n" +
			`{"envup_output":1,"kind":"serve","event":"served","counts":{}}` + "\n", 0, ""},
		{"serve request without status", `{"envup_output":1,"kind":"serve","event":"request","remote":"r","method":"GET","path":"/","bytes":1,"took_ms":0.1}`, 0, "does not match"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := validateOutput([]byte(tc.stdout), tc.code)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

// TestEnvelope asserts a document gets the version and kind first, keeps
// its own keys in order, refuses one that would hide an envelope key, and
// takes an error at its end.
func TestEnvelope(t *testing.T) {
	t.Parallel()
	doc, err := envelope("fetch", fetchJS{Dir: "m & n", Files: 2, Platforms: []string{"linux/debian/12/amd64"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"envup_output":1,"kind":"fetch","dir":"m & n","files":2,"platforms":["linux/debian/12/amd64"],"optional_missing":0}`
	if string(doc) != want {
		t.Errorf("envelope =\n%s\nwant\n%s", doc, want)
	}
	want = strings.TrimSuffix(want, "}") + `,"error":"one \"file\" failed","exit_code":1}`
	if got := withError(doc, `one "file" failed`, 1); string(got) != want {
		t.Errorf("withError =\n%s\nwant\n%s", got, want)
	}
	if doc, err := envelope("error", struct{}{}); err != nil || string(doc) != `{"envup_output":1,"kind":"error"}` {
		t.Errorf("empty envelope = %s, %v", doc, err)
	}
	if _, err := envelope("diff", map[string]string{"kind": "snapshot"}); err == nil || !strings.Contains(err.Error(), `key "kind"`) {
		t.Errorf("a document with its own kind: error %v", err)
	}
	if _, err := envelope("catalog", []string{"python"}); err == nil {
		t.Error("an array took an envelope")
	}
}

// TestWantsJSON asserts which command lines get JSON: --output json as
// parsed, or asked for in a command line cobra refused before it.
func TestWantsJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args    []string
		output  string
		started bool
		want    bool
	}{
		{[]string{"plan", "r.yml"}, "json", true, true},
		{[]string{"plan", "r.yml"}, "text", true, false},
		{[]string{"nosuch", "--output", "json"}, "text", false, true},
		{[]string{"nosuch", "--output=json"}, "text", false, true},
		{[]string{"plan", "--bogus", "--output", "json"}, "text", false, true},
		{[]string{"plan", "--output", "yaml"}, "yaml", false, false},
		{[]string{"plan", "--", "--output", "json"}, "text", false, false},
		{[]string{"plan", "--output"}, "text", false, false},
		// A command ran, in text: an argument spelled like the flag is not it.
		{[]string{"services", "status", "json"}, "text", true, false},
	} {
		g := &globals{output: tc.output, started: tc.started}
		if got := g.wantsJSON(tc.args); got != tc.want {
			t.Errorf("wantsJSON(%q) with output %s = %v, want %v", tc.args, tc.output, got, tc.want)
		}
	}
}
