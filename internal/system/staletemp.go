package system

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"time"
)

// tempInfix is in the name of every temporary file WriteFile makes:
// .NAME.envup-DIGITS (os.CreateTemp puts the digits for its "*").
const tempInfix = ".envup-"

// IsTemp says whether base is a name WriteFile gives its temporary files,
// and nothing else: a dot, a name, ".envup-", then digits only
// (".x.envup-backup" and ".envup-install.json" are not).
func IsTemp(base string) bool {
	if !strings.HasPrefix(base, ".") {
		return false
	}
	i := strings.LastIndex(base, tempInfix)
	if i < 2 {
		return false
	}
	digits := base[i+len(tempInfix):]
	return digits != "" && strings.Trim(digits, "0123456789") == ""
}

// RemoveStaleTemps removes, from dir, the temporary files of WriteFile
// that a killed run left: regular files named as IsTemp says, last
// written before before (the start of this run, so a write in progress
// is never touched). It returns what it removed; a missing dir is none.
func RemoveStaleTemps(sys System, dir string, before time.Time) ([]string, error) {
	entries, err := sys.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		if !IsTemp(e.Name()) || !e.Type().IsRegular() {
			continue
		}
		fi, err := e.Info()
		if err != nil || !fi.Mode().IsRegular() || !fi.ModTime().Before(before) {
			continue
		}
		name := filepath.Join(dir, e.Name())
		if err := sys.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, err
		}
		removed = append(removed, name)
	}
	return removed, nil
}
