// Package snapshot records what envup can see on a machine — platform,
// interpreters, virtualenvs, Redis and Valkey, user fonts, editor settings
// and the OS packages the user asked for — as a versioned JSON document;
// compares two such records, or a record with a recipe, by meaning
// (diff.go); and turns a record into a recipe that reproduces it
// (capture.go).
//
// Paths under the home folder are written ~/…, so snapshots of two users
// on two machines compare.
package snapshot

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install/editor"
	"github.com/envup/envup/internal/install/font"
	"github.com/envup/envup/internal/install/service"
)

// Schema is the snapshot format this envup writes and reads.
const Schema = 1

// Snapshot is one machine as envup sees it.
type Snapshot struct {
	Schema       int                          `json:"envup_snapshot"`
	Taken        time.Time                    `json:"taken"`
	Envup        string                       `json:"envup_version,omitempty"`
	Host         string                       `json:"host,omitempty"` // the machine's name, for people; never compared
	Platform     detect.Platform              `json:"platform"`
	Interpreters []Interpreter                `json:"interpreters"`
	Virtualenvs  []Virtualenv                 `json:"virtualenvs"`
	Services     []service.Seen               `json:"services"`
	Fonts        []font.Seen                  `json:"fonts"`
	Editors      map[string]editor.Seen       `json:"editors"`
	Packages     map[string]map[string]string `json:"packages"` // manager → name → version: what the user installed on purpose
	// Skipped says what could not be read, and why: a snapshot is taken
	// whole even when one part fails.
	Skipped []string `json:"skipped"`
}

// Interpreter is one python or node on the machine.
type Interpreter struct {
	Tool    string `json:"tool"`    // python, node
	Version string `json:"version"` // 3.11.2
	Path    string `json:"path"`
	Origin  string `json:"origin"`            // system, pyenv, uv, mise, homebrew, python.org, envup, ...
	Default bool   `json:"default,omitempty"` // what python3 (python on Windows) or node on the PATH runs
}

// Virtualenv is one Python virtual environment and what it holds.
type Virtualenv struct {
	Name               string            `json:"name"` // the recipe's key when envup made it, else the folder's name
	Path               string            `json:"path"`
	Python             string            `json:"python"`         // the base's version, from pyvenv.cfg
	Home               string            `json:"home,omitempty"` // the base's folder
	Tool               string            `json:"tool,omitempty"` // venv, virtualenv or uv
	SystemSitePackages bool              `json:"system_site_packages,omitempty"`
	Packages           map[string]string `json:"packages"` // normalised name → version
	FoundBy            string            `json:"found_by"` // state, recipe, or the --venv-root folder
}

// Read reads a snapshot; name is for messages. A document that is not a
// snapshot, or of a schema this envup does not know, is an error that
// says so.
func Read(r io.Reader, name string) (*Snapshot, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var probe struct {
		Schema *int `json:"envup_snapshot"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%s: not a snapshot: %s", name, jsonError(data, err))
	}
	switch {
	case probe.Schema == nil:
		return nil, fmt.Errorf("%s: not a snapshot (no envup_snapshot key; `envup snapshot -o FILE` writes one)", name)
	case *probe.Schema != Schema:
		return nil, fmt.Errorf("%s: snapshot schema %d is not supported (this envup reads schema %d)", name, *probe.Schema, Schema)
	}
	s := &Snapshot{}
	if err := json.Unmarshal(data, s); err != nil {
		return nil, fmt.Errorf("%s: %s", name, jsonError(data, err))
	}
	return s, nil
}

// jsonError places a decoding error at its line and column.
func jsonError(data []byte, err error) string {
	var off int64 = -1
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		off = syntax.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	}
	if off < 0 {
		return err.Error()
	}
	before := string(data[:min(int(off), len(data))])
	line := strings.Count(before, "\n") + 1
	col := int(off) - strings.LastIndex(before, "\n")
	return fmt.Sprintf("line %d, column %d: %v", line, col, err)
}

// Write writes s as indented JSON, the way -o FILE keeps it.
func (s *Snapshot) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}

// tilde writes a path under home as ~/…, with the path's own separator
// (detect.Path.Rel: on Windows without regard to case).
func tilde(p, home string) string {
	if home == "" || home == "~" || p == "" {
		return p
	}
	// A path and its home are written alike; a backslash makes both
	// Windows paths, whose case does not count.
	os := "linux"
	if strings.Contains(home, `\`) {
		os = "windows"
	}
	rel, ok := detect.PathOn(os, p).Rel(detect.PathOn(os, home))
	switch {
	case !ok:
		return p
	case rel == "":
		return "~"
	}
	return "~" + p[len(p)-len(rel)-1:]
}

// tildeText writes the home folder in a text (a setting, a vim line) as
// ~ where it begins a path: followed by a separator, a quote or nothing.
func tildeText(text, home string) string { return detect.PathOn("windows", home).Tilde(text) }
