//go:build !unix

package font

import "errors"

func mkfifo(string) error { return errors.New("no named pipes here") }
