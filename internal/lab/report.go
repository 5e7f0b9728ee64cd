// Package lab is the teacher's view of a classroom: seats send a Report
// (what their apply or check found, and a snapshot of the machine) to
// `envup serve --lab`, which keeps every report in a SQLite database
// (Store), answers the reports API and serves one page that shows the
// room against the recipe (Server). Send, on the seat, posts a report and
// keeps it when it cannot (Outbox), to send it with the next.
package lab

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/envup/envup/internal/plan"
	"github.com/envup/envup/internal/snapshot"
)

// Schema is the report format this envup sends and reads.
const Schema = 1

// MaxSize is the largest report the lab takes: a snapshot of a large
// machine is a few MB.
const MaxSize = 8 << 20

// maxName bounds the short strings of a report (host, user, an ID): the
// lab stores them verbatim, whatever they hold, but not without end.
const maxName = 1024

// Report is what a seat sends: who it is, the recipe it applied, each
// resource's status with its reason, the checks' results and its
// snapshot.
type Report struct {
	Schema        int             `json:"envup_report"`
	Sent          time.Time       `json:"sent"`
	Command       string          `json:"command"` // apply or report
	Host          string          `json:"host"`
	User          string          `json:"user"`
	Platform      string          `json:"platform"` // detect.Platform.String()
	Envup         string          `json:"envup_version,omitempty"`
	Recipe        Recipe          `json:"recipe"`
	Resources     []Resource      `json:"resources"`
	Checks        []Check         `json:"checks"`
	ChecksSkipped string          `json:"checks_skipped,omitempty"`
	Snapshot      json.RawMessage `json:"snapshot"`
}

// Recipe names the recipe a seat applied: its file name and the sha256
// of its bytes (Digest), so the lab tells a seat on another version.
type Recipe struct {
	Name   string `json:"name"`
	Digest string `json:"digest"`
}

// Resource is one resource's status on a seat: unchanged, pending,
// applied, skipped or failed, and why.
type Resource struct {
	ID     string      `json:"id"`
	Status plan.Status `json:"status"`
	Reason string      `json:"reason,omitempty"`
}

// Check is one check's result on a seat.
type Check struct {
	Name   string `json:"name"`
	Passed bool   `json:"passed"`
	Reason string `json:"reason,omitempty"`
}

// Digest is the digest a Recipe carries: the sha256 of the recipe's
// bytes, in hex.
func Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Resources are a plan or apply report's resources as a seat reports
// them, each with the reason a person reads first: the error of a failed
// one, the changes of a pending one, the reason of the others.
func Resources(r plan.Report) []Resource {
	out := make([]Resource, 0, len(r.Resources))
	for _, res := range r.Resources {
		reason := res.Reason
		switch {
		case res.Status == plan.Failed && res.Error != "":
			reason = res.Error
		case len(res.Changes) > 0:
			var lines []string
			for _, ch := range res.Changes {
				lines = append(lines, ch.Action+" "+ch.Subject+": "+ch.Why)
			}
			reason = strings.Join(lines, "\n")
		}
		out = append(out, Resource{ID: res.ID, Status: res.Status, Reason: reason})
	}
	return out
}

// Checks are a report's checks as a seat reports them.
func Checks(cs []plan.CheckJS) []Check {
	out := make([]Check, 0, len(cs))
	for _, c := range cs {
		out = append(out, Check{Name: c.Name, Passed: c.Passed != nil && *c.Passed, Reason: c.Reason})
	}
	return out
}

// State is a seat's overall state by its report: failed when a resource
// or a check failed, pending when a resource waits for changes, else
// ready.
func (r *Report) State() string {
	state := "ready"
	for _, res := range r.Resources {
		switch res.Status {
		case plan.Failed:
			return "failed"
		case plan.Pending:
			state = "pending"
		}
	}
	for _, c := range r.Checks {
		if !c.Passed {
			return "failed"
		}
	}
	return state
}

// Parse reads and validates a report, and its snapshot: a report that
// is not one, or whose snapshot does not parse, is an error that says
// what is wrong and where.
func Parse(data []byte) (*Report, *snapshot.Snapshot, error) {
	var r Report
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&r); err != nil {
		return nil, nil, fmt.Errorf("not a report: %w", err)
	}
	if r.Schema != Schema {
		return nil, nil, fmt.Errorf("report schema %d is not supported (this envup reads envup_report %d)", r.Schema, Schema)
	}
	if err := r.validate(); err != nil {
		return nil, nil, err
	}
	if len(r.Snapshot) == 0 || string(r.Snapshot) == "null" {
		return nil, nil, errors.New("snapshot: missing")
	}
	snap, err := snapshot.Read(bytes.NewReader(r.Snapshot), "snapshot")
	if err != nil {
		return nil, nil, err
	}
	return &r, snap, nil
}

// validate checks the report's own fields.
func (r *Report) validate() error {
	if r.Host == "" {
		return errors.New("host: empty")
	}
	for name, s := range map[string]string{"host": r.Host, "user": r.User, "platform": r.Platform, "recipe.name": r.Recipe.Name, "recipe.digest": r.Recipe.Digest} {
		if len(s) > maxName {
			return fmt.Errorf("%s: %d bytes, longer than %d", name, len(s), maxName)
		}
	}
	seen := map[string]bool{}
	for i, res := range r.Resources {
		switch {
		case res.ID == "" || len(res.ID) > maxName:
			return fmt.Errorf("resources[%d]: id empty or longer than %d bytes", i, maxName)
		case seen[res.ID]:
			return fmt.Errorf("resources[%d]: %s listed twice", i, res.ID)
		}
		seen[res.ID] = true
		switch res.Status {
		case plan.Unchanged, plan.Pending, plan.Applied, plan.Skipped, plan.Failed:
		default:
			return fmt.Errorf("resources[%d] (%s): status %q is none of unchanged, pending, applied, skipped, failed", i, res.ID, res.Status)
		}
	}
	return nil
}
