// Package state keeps what envup remembers between runs (the state file)
// and makes sure only one apply runs at a time for a user (the lock).
package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/envup/envup/internal/system"
)

// FileName is the state file's name in the state directory.
const FileName = "state.json"

// formatVersion is the state file's format; a newer one is refused.
const formatVersion = 1

// State is what envup remembers between runs.
type State struct {
	Version int               `json:"version"`
	Applies []Apply           `json:"applies,omitempty"` // the most recent last; at most keepApplies
	Memo    map[string]string `json:"memo,omitempty"`    // facts resources cache between runs, by key
}

// Apply records one finished apply.
type Apply struct {
	Recipe   string    `json:"recipe"`
	At       time.Time `json:"at"`
	Changed  []string  `json:"changed,omitempty"` // IDs of the resources it changed
	Platform string    `json:"platform"`
	// Virtualenvs are the recipe's venvs, key → path: `envup snapshot`
	// finds them here.
	Virtualenvs map[string]string `json:"virtualenvs,omitempty"`
	// Outcomes are what the apply did with each resource, in the plan's
	// order (none in a state written before envup recorded them).
	Outcomes []Outcome `json:"outcomes,omitempty"`
}

// Outcome is one resource's end in an apply.
type Outcome struct {
	ID     string `json:"id"`
	Status string `json:"status"`           // applied, unchanged, failed or skipped
	Reason string `json:"reason,omitempty"` // the failure in one line, why skipped, what it appeared after
}

const keepApplies = 20

// Load reads the state file in dir. A missing file is an empty state; a
// damaged one is an error that names it, and is never overwritten.
func Load(sys system.System, dir string) (*State, error) {
	name := filepath.Join(dir, FileName)
	if err := regular(sys, name, "state"); err != nil {
		return nil, err
	}
	data, err := sys.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return &State{Version: formatVersion}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("state %s: damaged (%w); move it aside and envup starts a new one", name, err)
	}
	if st.Version > formatVersion {
		return nil, fmt.Errorf("state %s: format %d is newer than this envup understands (%d)", name, st.Version, formatVersion)
	}
	st.Version = formatVersion
	return &st, nil
}

// Record adds a finished apply, keeping the most recent ones.
func (s *State) Record(a Apply) {
	s.Applies = append(s.Applies, a)
	if n := len(s.Applies); n > keepApplies {
		s.Applies = s.Applies[n-keepApplies:]
	}
}

// Save writes the state file atomically.
func (s *State) Save(sys system.System, dir string) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	if err := sys.WriteFile(filepath.Join(dir, FileName), append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	return nil
}
