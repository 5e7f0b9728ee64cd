package detect

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"runtime"
)

// Detect reads this host: its OS, version and names, architecture (the
// running binary's, as Go names it), C library, package managers, user
// and directories. It only reads files, the registry and the kernel's
// answers, and starts no process: it runs at every start of envup
// (BenchmarkDetect: about half a millisecond on Linux).
func Detect() (Platform, error) {
	p := Platform{Arch: runtime.GOARCH}
	if err := detectOS(&p); err != nil {
		return Platform{}, err
	}
	if p.Managers == nil {
		p.Managers = []string{} // JSON says [] for none, as the text says "none found"
	}
	home, err := homeDir()
	if err != nil {
		return Platform{}, err
	}
	p.Home = home
	p.User = userName()
	p.Dirs = DirsFor(p.OS, home, os.Getenv)
	return p, nil
}

// homeDir is $HOME (%USERPROFILE% on Windows), else the account's home.
func homeDir() (string, error) {
	home, err := os.UserHomeDir()
	if err == nil {
		return home, nil
	}
	u, uerr := user.Current()
	if uerr != nil || u.HomeDir == "" {
		return "", fmt.Errorf("detect: home folder: %w", err)
	}
	return u.HomeDir, nil
}

// userName is the login name from the environment, else the account's.
func userName() string {
	for _, k := range []string{"USER", "LOGNAME", "USERNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

// errRead is the error for a file Detect needed and could not read,
// "detect: read /etc/os-release: permission denied", naming the path once.
func errRead(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("detect: read %s: %w", path, err)
}
