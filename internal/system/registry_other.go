//go:build !windows

package system

import (
	"fmt"
	"io/fs"
)

// Registry finds nothing: only Windows has a registry.
func (*Real) Registry(key, name string) (RegValue, error) {
	return RegValue{}, &fs.PathError{Op: "registry", Path: key + `\` + name, Err: fs.ErrNotExist}
}

// SetRegistry cannot write: only Windows has a registry.
func (*Real) SetRegistry(key, name string, _ RegValue) error {
	return fmt.Errorf("registry %s\\%s: this host has no registry (not Windows)", key, name)
}
