package lab

import (
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
)

//go:embed page
var page embed.FS

// Lab is the recipe the room is shown against.
type Lab struct {
	Name   string // the recipe's file name
	Digest string // Digest of its bytes
	// Resources are the recipe's resource IDs, in plan order, for the
	// teacher's machine: the page's columns (a seat's other resources
	// are added after them).
	Resources []string
	// Load loads the recipe for a seat's platform (drift against it).
	Load func(p detect.Platform) (*recipe.Recipe, error)
}

// Server answers the lab's API and serves its page:
//
//	POST /api/v1/reports   a seat's Report (Authorization: Bearer TOKEN)
//	GET  /api/v1/lab       the room as JSON (LabJS)
//	GET  /api/v1/seat?host=H[&against=H2]  a seat's history and drift (SeatJS)
//	GET  /api/v1/events    server-sent events: "report" when one arrives
//	GET  /lab              the page (and its files under /lab/)
type Server struct {
	store *Store
	token [sha256.Size]byte
	lab   Lab
	hub   *hub
	mux   *http.ServeMux
	now   func() time.Time
}

// NewServer serves the lab of store, taking reports that carry token.
func NewServer(store *Store, token string, lab Lab) *Server {
	s := &Server{store: store, token: sha256.Sum256([]byte(token)), lab: lab, hub: newHub(), mux: http.NewServeMux(), now: time.Now}
	static, _ := fs.Sub(page, "page")
	s.mux.HandleFunc("POST /api/v1/reports", s.postReport)
	s.mux.HandleFunc("GET /api/v1/lab", s.getLab)
	s.mux.HandleFunc("GET /api/v1/seat", s.getSeat)
	s.mux.HandleFunc("GET /api/v1/events", s.events)
	s.mux.Handle("GET /lab/", http.StripPrefix("/lab/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /lab", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/lab/", http.StatusMovedPermanently)
	})
	return s
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// The page loads nothing from elsewhere and runs no inline script.
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(w, r)
}

// Stop ends the event streams, so a stopping server is not kept waiting
// by the pages open.
func (s *Server) Stop() { s.hub.stop() }

// authorized reports whether r carries the lab's token, compared in
// constant time (of its digest: the token's length does not show either).
func (s *Server) authorized(r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	sum := sha256.Sum256([]byte(got))
	return subtle.ConstantTimeCompare(sum[:], s.token[:]) == 1
}

// postReport takes a seat's report: 401 without the token, 413 over
// MaxSize, 400 with the reason when it does not parse, else 201.
func (s *Server) postReport(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="envup lab"`)
		fail(w, http.StatusUnauthorized, "missing or wrong lab token (envup report --token, or ENVUP_LAB_TOKEN)")
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxSize))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("report larger than %d MiB", MaxSize>>20))
		return
	}
	if err != nil {
		fail(w, http.StatusBadRequest, "report not read: "+err.Error())
		return
	}
	rep, snap, err := Parse(data)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	row, err := s.store.Add(r.Context(), data, rep, snap, s.now())
	if err != nil {
		slog.Error("lab: report not kept", "host", rep.Host, "err", err)
		fail(w, http.StatusInternalServerError, "report not kept: "+err.Error())
		return
	}
	s.hub.publish(event{Host: row.Host, ID: row.ID, State: row.State})
	writeJSON(w, http.StatusCreated, acceptedJS{ID: row.ID, Host: row.Host, State: row.State})
}

// acceptedJS is POST /api/v1/reports' answer.
type acceptedJS struct {
	ID    int64  `json:"id"`
	Host  string `json:"host"`
	State string `json:"state"`
}

// LabJS is GET /api/v1/lab: the recipe, its columns and each seat's
// latest report.
type LabJS struct {
	Recipe  Recipe   `json:"recipe"`
	Columns []string `json:"columns"`
	Seats   []Row    `json:"seats"`
}

func (s *Server) getLab(w http.ResponseWriter, r *http.Request) {
	seats, err := s.store.Seats(r.Context())
	if err != nil {
		fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	if seats == nil {
		seats = []Row{}
	}
	cols := append([]string{}, s.lab.Resources...)
	known := map[string]bool{}
	for _, id := range cols {
		known[id] = true
	}
	for _, seat := range seats {
		for _, res := range seat.Resources {
			if !known[res.ID] {
				known[res.ID] = true
				cols = append(cols, res.ID)
			}
		}
	}
	writeJSON(w, http.StatusOK, LabJS{Recipe: Recipe{Name: s.lab.Name, Digest: s.lab.Digest}, Columns: cols, Seats: seats})
}

// errorJS is every error's answer.
type errorJS struct {
	Error string `json:"error"`
}

func fail(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, errorJS{Error: msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true) // a seat's strings stay inert even if read as HTML
	_ = enc.Encode(v)
}
