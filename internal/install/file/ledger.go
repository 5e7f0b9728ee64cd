package file

import (
	"encoding/json"

	"github.com/envup/envup/internal/system"
)

// ledgerName is the file in envup's state directory that remembers what
// envup wrote: for each destination, the sha256 of the content. With it a
// replaced file is backed up only when someone else wrote it.
const ledgerName = "files.json"

type ledger struct {
	Version int               `json:"version"`
	Files   map[string]string `json:"files"` // destination → sha256 of what envup wrote there
}

// readLedger reads the ledger; a missing or damaged one is empty, which
// at worst keeps one backup more (never overwriting the first).
func readLedger(sys system.System, name string) *ledger {
	l := &ledger{Version: 1, Files: map[string]string{}}
	data, err := sys.ReadFile(name)
	if err != nil {
		return l
	}
	var read ledger
	if json.Unmarshal(data, &read) != nil || read.Files == nil {
		return l
	}
	l.Files = read.Files
	return l
}

// wrote says whether envup wrote have at the destination.
func (r *File) wrote(sys system.System, have []byte) bool {
	if r.ledger == "" {
		return false
	}
	return readLedger(sys, r.ledger).Files[r.path] == sum(have)
}

// note records that envup wrote data at the destination.
func (r *File) note(sys system.System, data []byte) error {
	if r.ledger == "" {
		return nil
	}
	l := readLedger(sys, r.ledger)
	if l.Files[r.path] == sum(data) {
		return nil
	}
	l.Files[r.path] = sum(data)
	out, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return err
	}
	return sys.WriteFile(r.ledger, append(out, '\n'), 0o600)
}
