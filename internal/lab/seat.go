package lab

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/envup/envup/internal/snapshot"
)

// SeatJS is GET /api/v1/seat: a seat's latest report, its history and
// how it differs from the recipe and from a reference seat, in the words
// of `envup diff`.
type SeatJS struct {
	Seat    Row         `json:"seat"`
	History []HistoryJS `json:"history"` // oldest first
	Recipe  DriftJS     `json:"recipe"`
	// Against is the drift from the reference seat (?against=HOST, else
	// the first ready seat); absent when there is none.
	Against *DriftJS `json:"against,omitempty"`
}

// HistoryJS is one past report of a seat.
type HistoryJS struct {
	ID       int64     `json:"id"`
	Received time.Time `json:"received"`
	State    string    `json:"state"`
	Command  string    `json:"command"`
	Digest   string    `json:"recipe_digest"`
}

// DriftJS is one diff: with what, and what `envup diff` says of it.
type DriftJS struct {
	With        string           `json:"with"` // the recipe's name, or the reference seat's host
	Equal       bool             `json:"equal"`
	Text        string           `json:"text"` // envup diff's text
	Differences []snapshot.Delta `json:"differences"`
	Error       string           `json:"error,omitempty"` // why there is no diff
}

func (s *Server) getSeat(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	host := r.URL.Query().Get("host")
	history, err := s.store.History(ctx, host)
	if err != nil {
		fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	if len(history) == 0 {
		fail(w, http.StatusNotFound, ErrNoSeat.Error())
		return
	}
	snap, err := s.snapshotOf(ctx, host)
	if err != nil {
		fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	out := SeatJS{Seat: history[len(history)-1], Recipe: s.driftFromRecipe(host, snap)}
	for _, h := range history {
		out.History = append(out.History, HistoryJS{ID: h.ID, Received: h.Received, State: h.State, Command: h.Command, Digest: h.Recipe.Digest})
	}
	ref := r.URL.Query().Get("against")
	if ref == "" {
		ref = s.reference(ctx, host)
	}
	if ref != "" {
		d := s.driftFromSeat(ctx, ref, host, snap)
		out.Against = &d
	}
	writeJSON(w, http.StatusOK, out)
}

// snapshotOf is the snapshot of a seat's latest report.
func (s *Server) snapshotOf(ctx context.Context, host string) (*snapshot.Snapshot, error) {
	data, err := s.store.Latest(ctx, host)
	if err != nil {
		return nil, err
	}
	_, snap, err := Parse(data)
	return snap, err
}

// reference is the seat others are compared with when the page names
// none: the first ready seat but host itself ("" when there is none).
func (s *Server) reference(ctx context.Context, host string) string {
	seats, err := s.store.Seats(ctx)
	if err != nil {
		return ""
	}
	for _, seat := range seats {
		if seat.State == "ready" && seat.Host != host {
			return seat.Host
		}
	}
	return ""
}

// driftFromRecipe is how snap, host's, differs from what the recipe wants on its
// platform (envup diff SNAPSHOT RECIPE).
func (s *Server) driftFromRecipe(host string, snap *snapshot.Snapshot) DriftJS {
	d := DriftJS{With: s.lab.Name}
	if s.lab.Load == nil {
		d.Error = "the lab has no recipe"
		return d
	}
	r, err := s.lab.Load(snap.Platform)
	if err != nil {
		d.Error = err.Error()
		return d
	}
	want, err := snapshot.RecipeSide(r, snap.Platform)
	if err != nil {
		d.Error = err.Error()
		return d
	}
	return drift(d, snapshot.SnapshotSide(host, "snapshot", snap), want)
}

// driftFromSeat is how snap, host's, differs from the reference seat's
// (envup diff REF.json HOST.json).
func (s *Server) driftFromSeat(ctx context.Context, ref, host string, snap *snapshot.Snapshot) DriftJS {
	d := DriftJS{With: ref}
	refSnap, err := s.snapshotOf(ctx, ref)
	if errors.Is(err, ErrNoSeat) {
		d.Error = "no report from " + ref
		return d
	}
	if err != nil {
		d.Error = err.Error()
		return d
	}
	return drift(d, snapshot.SnapshotSide(ref, "snapshot", refSnap), snapshot.SnapshotSide(host, "snapshot", snap))
}

// drift fills d with the diff of a and b.
func drift(d DriftJS, a, b *snapshot.Side) DriftJS {
	res, err := snapshot.Diff(a, b, nil)
	if err != nil {
		d.Error = err.Error()
		return d
	}
	var buf bytes.Buffer
	res.WriteText(&buf)
	d.Equal, d.Text, d.Differences = res.Equal, buf.String(), res.Differences
	return d
}
