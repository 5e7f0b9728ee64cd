package lab

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/envup/envup/internal/system"
)

// TestSendKeepsAnUnsentReportAndSendsItNext: the lab is down, the report
// is kept under the state folder; the next Send sends it first, then
// its own, and the outbox is empty.
func TestSendKeepsAnUnsentReportAndSendsItNext(t *testing.T) {
	l := startLab(t, "")
	outbox := filepath.Join(t.TempDir(), "state", OutboxDir)
	down := startLab(t, "")
	down.Close() // nothing answers there now
	first := seatReport(t, "seat-01", "nofont", "")
	s := &Sender{Client: &http.Client{}, URL: down.URL, Token: testToken, Sys: system.NewReal(), Outbox: outbox}
	sent, err := s.Send(t.Context(), first)
	if err == nil || sent.Kept == "" || filepath.Dir(sent.Kept) != outbox {
		t.Fatalf("lab down: %+v, %v; want an error and the report kept in %s", sent, err, outbox)
	}
	if data, err := os.ReadFile(sent.Kept); err != nil || string(data) != string(first) {
		t.Fatalf("kept %s: %v, not the report", sent.Kept, err)
	}

	s.URL = l.URL + "/" // a trailing slash is the same lab
	sent, err = s.Send(t.Context(), seatReport(t, "seat-01", "ready", ""))
	if err != nil || sent.Earlier != 1 || sent.Seat != "seat-01" || sent.State != "ready" {
		t.Fatalf("lab up: %+v, %v; want the kept one sent first", sent, err)
	}
	var seat SeatJS
	l.get(t, "/api/v1/seat?host=seat-01", &seat)
	if len(seat.History) != 2 || seat.History[0].State != "pending" || seat.History[1].State != "ready" {
		t.Errorf("history %+v, want the kept (pending) then the new (ready)", seat.History)
	}
	if left, _ := os.ReadDir(outbox); len(left) != 0 {
		t.Errorf("outbox still holds %d files", len(left))
	}
}

// TestSendKeepsNothingTheLabRefuses: a report the lab will never take
// (400) is not kept, and a kept one it refuses is dropped, not sent
// forever; a wrong token keeps it.
func TestSendKeepsNothingTheLabRefuses(t *testing.T) {
	l := startLab(t, "")
	outbox := filepath.Join(t.TempDir(), OutboxDir)
	s := &Sender{Client: &http.Client{}, URL: l.URL, Token: testToken, Sys: system.NewReal(), Outbox: outbox}
	_, err := s.Send(t.Context(), []byte(`{"envup_report":1}`))
	var refused *RefusedError
	if !errors.As(err, &refused) || refused.Status != http.StatusBadRequest {
		t.Fatalf("%v, want the lab's refusal", err)
	}
	if left, _ := os.ReadDir(outbox); len(left) != 0 {
		t.Errorf("a refused report was kept")
	}

	s.Token = "wrong"
	sent, err := s.Send(t.Context(), seatReport(t, "seat-02", "ready", ""))
	if err == nil || sent.Kept == "" {
		t.Fatalf("wrong token: %+v, %v; want it kept", sent, err)
	}
	// A kept report the lab would refuse: dropped when sent.
	if err := os.WriteFile(filepath.Join(outbox, "report-00000000T000000.000000000Z.json"), []byte(`{"envup_report":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	s.Token = testToken
	sent, err = s.Send(t.Context(), seatReport(t, "seat-02", "ready", ""))
	if err != nil || sent.Earlier != 1 || len(sent.Dropped) != 1 {
		t.Fatalf("%+v, %v; want the bad one dropped, the kept one sent", sent, err)
	}
	var room LabJS
	l.get(t, "/api/v1/lab", &room)
	if len(room.Seats) != 1 || room.Seats[0].Reports != 2 {
		b, _ := json.Marshal(room.Seats)
		t.Errorf("seats %s, want seat-02 with 2 reports", b)
	}
}
