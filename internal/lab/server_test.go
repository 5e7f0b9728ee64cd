package lab

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPostReportNeedsTheToken(t *testing.T) {
	l := startLab(t, "")
	body := seatReport(t, "seat-01", "ready", "")
	for _, token := range []string{"", "wrong", testToken + "x", "lab-toke"} {
		code, answer := l.post(t, token, body)
		if code != http.StatusUnauthorized || !strings.Contains(answer, "missing or wrong lab token") {
			t.Errorf("token %q: %d %s, want 401", token, code, answer)
		}
	}
	if n, _ := l.store.Count(t.Context()); n != 0 {
		t.Errorf("%d reports kept without the token", n)
	}
	if code, answer := l.post(t, testToken, body); code != http.StatusCreated || !strings.Contains(answer, `"state":"ready"`) {
		t.Errorf("with the token: %d %s, want 201", code, answer)
	}
}

func TestPostReportTooLarge(t *testing.T) {
	l := startLab(t, "")
	body := append([]byte(`{"envup_report":1,"host":"big","pad":"`), bytes.Repeat([]byte("x"), MaxSize)...)
	body = append(body, `"}`...)
	code, answer := l.post(t, testToken, body)
	if code != http.StatusRequestEntityTooLarge || !strings.Contains(answer, "larger than 8 MiB") {
		t.Errorf("%d %s, want 413", code, answer)
	}
}

func TestPostReportRefusesWhatDoesNotParse(t *testing.T) {
	l := startLab(t, "")
	good := seatReport(t, "seat-01", "ready", "")
	with := func(key string, v any) []byte {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(good, &raw); err != nil {
			t.Fatal(err)
		}
		if v == nil {
			delete(raw, key)
		} else {
			raw[key], _ = json.Marshal(v)
		}
		data, _ := json.Marshal(raw)
		return data
	}
	for _, tc := range []struct {
		name string
		body []byte
		want string
	}{
		{"not JSON", []byte("hello"), "not a report: invalid character 'h'"},
		{"snapshot of a wrong type", with("snapshot", map[string]any{"envup_snapshot": 1, "platform": 5}), "snapshot: line 1, column"},
		{"snapshot not a snapshot", with("snapshot", map[string]any{"hello": 1}), "snapshot: not a snapshot (no envup_snapshot key"},
		{"snapshot of another schema", with("snapshot", map[string]any{"envup_snapshot": 9}), "snapshot schema 9 is not supported"},
		{"no snapshot", with("snapshot", nil), "snapshot: missing"},
		{"no host", with("host", ""), "host: empty"},
		{"a status unknown", with("resources", []map[string]string{{"id": "font/x", "status": "great"}}), `status "great" is none of`},
		{"another report schema", with("envup_report", 2), "report schema 2 is not supported"},
	} {
		code, answer := l.post(t, testToken, tc.body)
		var e errorJS
		_ = json.Unmarshal([]byte(answer), &e)
		if code != http.StatusBadRequest || !strings.Contains(e.Error, tc.want) {
			t.Errorf("%s: %d %s, want 400 with %q", tc.name, code, answer, tc.want)
		}
	}
	if n, _ := l.store.Count(t.Context()); n != 0 {
		t.Errorf("%d refused reports kept", n)
	}
}

// TestLabKeepsEverythingAcrossARestart posts reports, stops the lab and
// starts another on the same database: every seat, its history and its
// drift are still there.
func TestLabKeepsEverythingAcrossARestart(t *testing.T) {
	l := startLab(t, "")
	for _, r := range []struct{ host, kind, failed string }{
		{"seat-01", "nofont", ""},
		{"seat-02", "ready", ""},
		{"seat-01", "nofont", "editor/vscode: settings.json: invalid character '}' at line 3"},
		{"seat-01", "ready", ""},
	} {
		if code, answer := l.post(t, testToken, seatReport(t, r.host, r.kind, r.failed)); code != http.StatusCreated {
			t.Fatalf("%s: %d %s", r.host, code, answer)
		}
	}
	l.lab.Stop()
	l.Close()
	if err := l.store.Close(); err != nil {
		t.Fatal(err)
	}

	again := startLab(t, l.db)
	var room LabJS
	again.get(t, "/api/v1/lab", &room)
	if len(room.Seats) != 2 || room.Seats[0].Host != "seat-01" || room.Seats[0].Reports != 3 || room.Seats[1].Reports != 1 {
		t.Fatalf("after a restart: %+v", room.Seats)
	}
	if room.Seats[0].State != "ready" || room.Seats[0].OSName != "Debian GNU/Linux 12 (bookworm)" || room.Seats[0].OSVersion != "12" {
		t.Errorf("seat-01's latest: %+v", room.Seats[0])
	}
	var seat SeatJS
	again.get(t, "/api/v1/seat?host=seat-01", &seat)
	var states []string
	for _, h := range seat.History {
		states = append(states, h.State)
	}
	if got := strings.Join(states, " "); got != "pending failed ready" {
		t.Errorf("seat-01's history %q, want pending failed ready", got)
	}
}

// TestStoreKeepsTheMadeToken: the token serve makes is kept with the
// reports, so a restart does not turn every seat away with 401.
func TestStoreKeepsTheMadeToken(t *testing.T) {
	db := filepath.Join(t.TempDir(), "lab.db")
	for i, fresh := range []string{"first", "second"} {
		store, err := Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		token, err := store.Token(context.Background(), fresh)
		if err != nil {
			t.Fatal(err)
		}
		if token != "first" {
			t.Errorf("start %d: token %q, want the first one made", i+1, token)
		}
		if err := store.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSeatDrift: a seat without the font says so against the recipe,
// and against a reference seat that has it, in envup diff's words.
func TestSeatDrift(t *testing.T) {
	l := startLab(t, "")
	for _, r := range []struct{ host, kind string }{{"seat-01", "ready"}, {"seat-02", "nofont"}, {"seat-03", "bigfont"}} {
		if code, answer := l.post(t, testToken, seatReport(t, r.host, r.kind, "")); code != http.StatusCreated {
			t.Fatalf("%s: %d %s", r.host, code, answer)
		}
	}
	var seat SeatJS
	l.get(t, "/api/v1/seat?host=seat-02", &seat)
	if seat.Recipe.Error != "" || seat.Recipe.Equal || !strings.Contains(seat.Recipe.Text, "B: the recipe ") || !strings.Contains(seat.Recipe.Text, "font DejaVuSansMono.ttf: missing, the recipe wants DejaVu Sans Mono") {
		t.Errorf("seat-02 against the recipe:\n%+v", seat.Recipe)
	}
	if seat.Against == nil || seat.Against.With != "seat-01" || !strings.Contains(seat.Against.Text, "only in A: font DejaVuSansMono.ttf DejaVu Sans Mono") {
		t.Errorf("seat-02 against seat-01:\n%+v", seat.Against)
	}
	l.get(t, "/api/v1/seat?host=seat-03&against=seat-02", &seat)
	if !strings.Contains(seat.Recipe.Text, "editor.fontSize: 16, the recipe wants 14") || seat.Against.With != "seat-02" {
		t.Errorf("seat-03:\n%s\n%+v", seat.Recipe.Text, seat.Against)
	}
	l.get(t, "/api/v1/seat?host=seat-01", &seat)
	if !seat.Recipe.Equal {
		t.Errorf("seat-01 is as the recipe wants, and the drift says:\n%s", seat.Recipe.Text)
	}
}

// TestHostileHostStoredVerbatim: whatever a host name holds is kept and
// given back as it came, and the JSON escapes what HTML would read.
func TestHostileHostStoredVerbatim(t *testing.T) {
	l := startLab(t, "")
	hosts := []string{`<script>window.pwned=1</script>`, `<img src=x onerror="window.pwned=1">`, "tab\there & \"quotes\" \u202e", "../../etc/passwd"}
	for _, h := range hosts {
		if code, answer := l.post(t, testToken, seatReport(t, h, "ready", "")); code != http.StatusCreated {
			t.Fatalf("%q: %d %s", h, code, answer)
		}
	}
	var room LabJS
	l.get(t, "/api/v1/lab", &room)
	got := map[string]bool{}
	for _, s := range room.Seats {
		got[s.Host] = true
	}
	for _, h := range hosts {
		if !got[h] {
			t.Errorf("host %q not given back verbatim: %v", h, got)
		}
		var seat SeatJS
		l.get(t, "/api/v1/seat?host="+queryEscape(h), &seat)
		if seat.Seat.Host != h {
			t.Errorf("seat %q: %q", h, seat.Seat.Host)
		}
	}
	resp, err := l.Client().Get(l.URL + "/api/v1/lab")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	if strings.Contains(buf.String(), "<script>") || strings.Contains(buf.String(), "<img") {
		t.Errorf("the JSON holds raw HTML: %s", buf.String())
	}
}

// TestEventsSayAReportCame: a page listening on /api/v1/events hears of
// a report as it is kept.
func TestEventsSayAReportCame(t *testing.T) {
	l := startLab(t, "")
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, l.URL+"/api/v1/events", http.NoBody)
	resp, err := l.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// The stream's opening comment: it is listening.
	if line := <-lines; !strings.HasPrefix(line, ": envup lab") {
		t.Fatalf("first line %q", line)
	}
	if code, _ := l.post(t, testToken, seatReport(t, "seat-07", "ready", "")); code != http.StatusCreated {
		t.Fatal(code)
	}
	deadline := time.After(10 * time.Second)
	var got []string
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("stream ended: %q", got)
			}
			got = append(got, line)
			if strings.HasPrefix(line, "data: ") && strings.Contains(line, `"host":"seat-07"`) {
				if !strings.Contains(strings.Join(got, "\n"), "event: report") {
					t.Errorf("no event name: %q", got)
				}
				return
			}
		case <-deadline:
			t.Fatalf("no event within 10s: %q", got)
		}
	}
}

// TestPageIsEmbedded: the page and its files come from the binary, and
// run no inline script.
func TestPageIsEmbedded(t *testing.T) {
	l := startLab(t, "")
	for path, want := range map[string]string{"/lab/": `<script src="app.js" defer></script>`, "/lab/app.js": "textContent", "/lab/style.css": ".st-failed"} {
		resp, err := l.Client().Get(l.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(buf.String(), want) {
			t.Errorf("%s: %s, want %q in it", path, resp.Status, want)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if path == "/lab/app.js" && strings.Contains(buf.String(), "innerHTML") {
			t.Errorf("app.js writes HTML")
		}
	}
}

// TestSeatUnknown: a seat that never reported is a 404 that says so.
func TestSeatUnknown(t *testing.T) {
	l := startLab(t, "")
	resp, err := l.Client().Get(l.URL + "/api/v1/seat?host=nobody")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e errorJS
	_ = json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != http.StatusNotFound || e.Error != "no report from this seat" {
		t.Errorf("%s %q, want 404", resp.Status, e.Error)
	}
}
