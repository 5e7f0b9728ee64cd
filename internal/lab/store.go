package lab

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver: pure Go, so envup stays static

	"github.com/envup/envup/internal/snapshot"
)

// Store keeps every report the lab received, in a SQLite database file:
// each seat's history, newest last. A restart of serve reopens it.
type Store struct {
	db *sql.DB
}

// schemaSQL is the store's one table. A report is kept as it was sent
// (report), beside what the lab page shows of it (row: the report
// without its snapshot, and the seat's OS), so listing the room reads no
// snapshot.
const schemaSQL = `
CREATE TABLE IF NOT EXISTS reports (
	id       INTEGER PRIMARY KEY AUTOINCREMENT,
	host     TEXT NOT NULL,
	received TEXT NOT NULL,
	state    TEXT NOT NULL,
	row      TEXT NOT NULL,
	report   BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_host ON reports (host, id);
CREATE TABLE IF NOT EXISTS settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
`

// Open opens (or creates) the store in the database file path.
func Open(ctx context.Context, path string) (*Store, error) {
	dsn := (&url.URL{Scheme: "file", OmitHost: true, Path: path, RawQuery: "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("lab database %s: %w", path, err)
	}
	// One connection: SQLite writes one at a time anyway, and a single
	// connection never meets SQLITE_BUSY from itself.
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, schemaSQL); err != nil {
		db.Close()
		return nil, fmt.Errorf("lab database %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Token returns the lab's token kept in the store, keeping fresh as it
// when there is none yet: a restarted serve takes reports with the token
// the seats were given the first time.
func (s *Store) Token(ctx context.Context, fresh string) (string, error) {
	if _, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO settings (key, value) VALUES ('token', ?)`, fresh); err != nil {
		return "", fmt.Errorf("lab token not kept: %w", err)
	}
	var token string
	if err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'token'`).Scan(&token); err != nil {
		return "", fmt.Errorf("lab token not read: %w", err)
	}
	return token, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Row is what the lab shows of one report: the report without its
// snapshot, the seat's OS, and when it came.
type Row struct {
	ID        int64      `json:"id"`
	Received  time.Time  `json:"received"`
	State     string     `json:"state"` // ready, pending or failed (Report.State)
	Host      string     `json:"host"`
	User      string     `json:"user"`
	Platform  string     `json:"platform"`
	OSName    string     `json:"os_name"`    // detect.Platform's Edition, else Name
	OSVersion string     `json:"os_version"` // detect.Platform's Version
	Command   string     `json:"command"`
	Sent      time.Time  `json:"sent"`
	Recipe    Recipe     `json:"recipe"`
	Resources []Resource `json:"resources"`
	Checks    []Check    `json:"checks"`
	// ChecksSkipped says why the seat ran no checks.
	ChecksSkipped string `json:"checks_skipped,omitempty"`
	Reports       int    `json:"reports,omitempty"` // how many the seat sent (Seats only)
}

// rowOf is what the lab shows of r, whose snapshot is snap.
func rowOf(r *Report, snap *snapshot.Snapshot) Row {
	osName := snap.Platform.Edition
	if osName == "" {
		osName = snap.Platform.Name
	}
	return Row{
		State: r.State(), Host: r.Host, User: r.User, Platform: r.Platform,
		OSName: osName, OSVersion: snap.Platform.Version, Command: r.Command, Sent: r.Sent,
		Recipe: r.Recipe, Resources: r.Resources, Checks: r.Checks, ChecksSkipped: r.ChecksSkipped,
	}
}

// Add keeps a report (data, already Parse'd into r and snap) received
// at when, and returns its row.
func (s *Store) Add(ctx context.Context, data []byte, r *Report, snap *snapshot.Snapshot, when time.Time) (Row, error) {
	row := rowOf(r, snap)
	row.Received = when.UTC()
	js, err := json.Marshal(row)
	if err != nil {
		return Row{}, err
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO reports (host, received, state, row, report) VALUES (?, ?, ?, ?, ?)`,
		r.Host, row.Received.Format(time.RFC3339Nano), row.State, js, data)
	if err != nil {
		return Row{}, fmt.Errorf("lab database: %w", err)
	}
	row.ID, err = res.LastInsertId()
	return row, err
}

// Seats are each seat's latest report, by host name, with how many it
// sent.
func (s *Store) Seats(ctx context.Context) ([]Row, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT r.id, r.received, r.row, l.n FROM reports r
JOIN (SELECT MAX(id) AS id, COUNT(*) AS n FROM reports GROUP BY host) l ON r.id = l.id
ORDER BY r.host`)
	if err != nil {
		return nil, fmt.Errorf("lab database: %w", err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var (
			row Row
			n   int
		)
		if err := scanRow(rows, &row, &n); err != nil {
			return nil, err
		}
		row.Reports = n
		out = append(out, row)
	}
	return out, rows.Err()
}

// History is a seat's reports, oldest first.
func (s *Store) History(ctx context.Context, host string) ([]Row, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, received, row FROM reports WHERE host = ? ORDER BY id`, host)
	if err != nil {
		return nil, fmt.Errorf("lab database: %w", err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var row Row
		if err := scanRow(rows, &row); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// ErrNoSeat is Latest's error for a host that never reported.
var ErrNoSeat = errors.New("no report from this seat")

// Latest is a seat's latest report as it was sent.
func (s *Store) Latest(ctx context.Context, host string) ([]byte, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT report FROM reports WHERE host = ? ORDER BY id DESC LIMIT 1`, host).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoSeat
	}
	if err != nil {
		return nil, fmt.Errorf("lab database: %w", err)
	}
	return data, nil
}

// scanRow reads id, received and row (and more columns into more).
func scanRow(rows *sql.Rows, row *Row, more ...any) error {
	var (
		id       int64
		received string
		js       []byte
	)
	if err := rows.Scan(append([]any{&id, &received, &js}, more...)...); err != nil {
		return fmt.Errorf("lab database: %w", err)
	}
	if err := json.Unmarshal(js, row); err != nil {
		return fmt.Errorf("lab database: report %d: %w", id, err)
	}
	row.ID = id
	return nil
}
