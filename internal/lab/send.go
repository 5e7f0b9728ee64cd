package lab

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/envup/envup/internal/system"
)

// OutboxDir is the folder under the state folder where a seat keeps the
// reports it could not send.
const OutboxDir = "lab-outbox"

// outboxMax is how many unsent reports a seat keeps: the newest; a seat
// away from the lab for weeks sends its last twenty.
const outboxMax = 20

// Sender posts a seat's reports to the lab, and keeps those it cannot
// send in Outbox (files through Sys) to send before the next one.
type Sender struct {
	// Client sends the reports; nil means one with the default transport
	// (a proxy from the environment) and a timeout of Timeout.
	Client *http.Client
	URL    string // the lab: http://teacher:8080 (or its /api/v1/reports)
	Token  string
	Sys    system.System
	Outbox string // the folder of unsent reports
	Now    func() time.Time
}

// Timeout bounds a report's sending when Sender.Client is nil: a lab
// that does not answer must not hold an apply that is done.
const Timeout = 30 * time.Second

// Sent is what a Send did.
type Sent struct {
	Seat    string   // the host name the lab filed the report under
	State   string   // the state the lab read from it
	Earlier int      // reports kept from before, sent first
	Kept    string   // where the report is kept when it was not sent
	Dropped []string // kept reports the lab refused (400, 413): not sent again
}

// RefusedError is the lab's answer to a report it will never take (400,
// 413): it is not kept.
type RefusedError struct {
	Status int
	Reason string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("the lab refused the report (%d): %s", e.Status, e.Reason)
}

// Send sends the reports kept from before, oldest first, then report.
// When one cannot be sent, it and those after it stay (report is kept),
// and the error says why; a report the lab refuses is not kept.
func (s *Sender) Send(ctx context.Context, report []byte) (Sent, error) {
	var out Sent
	kept, err := s.kept()
	if err != nil {
		return out, err
	}
	for _, name := range kept {
		data, err := s.Sys.ReadFile(name)
		if err == nil {
			_, err = s.post(ctx, data)
		}
		var refused *RefusedError
		switch {
		case errors.As(err, &refused):
			out.Dropped = append(out.Dropped, filepath.Base(name)+": "+refused.Reason)
		case errors.Is(err, fs.ErrNotExist):
			continue // gone meanwhile
		case err != nil:
			out.Kept, _ = s.keep(report)
			return out, err
		default:
			out.Earlier++
		}
		if err := s.Sys.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return out, err
		}
	}
	acc, err := s.post(ctx, report)
	var refused *RefusedError
	if err != nil && !errors.As(err, &refused) {
		out.Kept, _ = s.keep(report)
		return out, err
	}
	out.Seat, out.State = acc.Host, acc.State
	return out, err
}

// CheckURL says what is wrong with a lab's address, or nil: it is an
// http or https URL with a host, as envup serve --lab prints it.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s: not the lab's address: want http://HOST:PORT, as envup serve --lab prints it", raw)
	}
	return nil
}

// endpoint is where reports go: the lab's address, with the API's path
// unless it was given.
func (s *Sender) endpoint() string {
	u := strings.TrimRight(s.URL, "/")
	if strings.HasSuffix(u, "/api/v1/reports") {
		return u
	}
	return u + "/api/v1/reports"
}

// post sends one report and reads the lab's answer.
func (s *Sender) post(ctx context.Context, data []byte) (acceptedJS, error) {
	var acc acceptedJS
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint(), bytes.NewReader(data))
	if err != nil {
		return acc, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.Token)
	client := s.Client
	if client == nil {
		client = &http.Client{Timeout: Timeout}
	}
	resp, err := client.Do(req)
	if err != nil {
		return acc, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode == http.StatusCreated {
		if err := json.Unmarshal(body, &acc); err != nil {
			return acc, fmt.Errorf("%s: answer not understood: %w", s.endpoint(), err)
		}
		return acc, nil
	}
	var e errorJS
	reason := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		reason = e.Error
	}
	if resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusRequestEntityTooLarge {
		return acc, &RefusedError{Status: resp.StatusCode, Reason: reason}
	}
	return acc, fmt.Errorf("%s: %s: %s", s.endpoint(), resp.Status, reason)
}

// kept are the kept reports' paths, oldest first.
func (s *Sender) kept() ([]string, error) {
	entries, err := s.Sys.ReadDir(s.Outbox)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasPrefix(e.Name(), "report-") && strings.HasSuffix(e.Name(), ".json") {
			out = append(out, filepath.Join(s.Outbox, e.Name()))
		}
	}
	slices.Sort(out) // the names are the times they were kept
	return out, nil
}

// keep writes report into the outbox, under the time it is kept, and
// drops the oldest beyond outboxMax.
func (s *Sender) keep(report []byte) (string, error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	name := filepath.Join(s.Outbox, "report-"+now().UTC().Format("20060102T150405.000000000Z")+".json")
	if err := s.Sys.WriteFile(name, report, 0o600); err != nil {
		return "", err
	}
	kept, err := s.kept()
	if err != nil {
		return name, err
	}
	for len(kept) > outboxMax {
		if err := s.Sys.Remove(kept[0]); err != nil {
			return name, err
		}
		kept = kept[1:]
	}
	return name, nil
}
