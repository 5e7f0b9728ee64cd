package state

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/envup/envup/internal/system"
)

// NotRegularError is a state or lock file that is not a regular file (a
// named pipe, a socket, a device, a directory): reading one could block
// forever, so envup never opens it and asks for it to be removed.
type NotRegularError struct {
	Path string
	What string // what envup keeps there: "state", "lock"
	Kind string // "a named pipe", ...
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s %s is %s, not envup's %s; remove it", e.What, e.Path, e.Kind, e.What)
}

// regular checks that name, when it exists, is a regular file (or a link
// to one), without opening it.
func regular(sys system.System, name, what string) error {
	fi, err := sys.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		fi, err = sys.Stat(name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // a dangling link: writing replaces it
		}
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", what, name, err)
	}
	if fi.Mode().IsRegular() {
		return nil
	}
	return &NotRegularError{Path: name, What: what, Kind: kind(fi.Mode())}
}

// kind names a file type for a person.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a directory"
	}
	return "not a regular file"
}
