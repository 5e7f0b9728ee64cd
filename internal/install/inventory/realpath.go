package inventory

import (
	"errors"
	"io/fs"
	"path"
	"strings"

	"github.com/envup/envup/internal/system"
)

// maxLinks bounds how many symbolic links one path may pass through, as
// the kernel's ELOOP does (Linux allows 40).
const maxLinks = 40

var errLinkLoop = errors.New("too many levels of symbolic links")

// resolver turns a path into the real path of the file it names, through
// the System (filepath.EvalSymlinks would read this host, not the
// System's). Directories are resolved once and remembered, so a hundred
// candidates in a dozen directories cost about one Lstat each.
//
// On Windows a path is its own real path, compared without case:
// interpreters there are not reached through links, and the launcher's
// paths may differ in case from the PATH's.
type resolver struct {
	sys  system.System
	win  bool
	dirs map[string]string // directory → its real path
	errs map[string]error  // directory → why it could not be resolved
}

func newResolver(sys system.System, win bool) *resolver {
	return &resolver{sys: sys, win: win, dirs: map[string]string{}, errs: map[string]error{}}
}

// key is how two real paths are compared.
func (r *resolver) key(real string) string {
	if r.win {
		return strings.ToLower(strings.ReplaceAll(real, "/", `\`))
	}
	return real
}

// path returns the real path of p.
func (r *resolver) path(p string) (string, error) {
	if r.win {
		return p, nil
	}
	return r.resolve(p, 0)
}

// resolve follows every link in p, as filepath.EvalSymlinks does.
func (r *resolver) resolve(p string, hops int) (string, error) {
	if hops > maxLinks {
		return "", &fs.PathError{Op: "resolve", Path: p, Err: errLinkLoop}
	}
	p = path.Clean(p)
	if p == "/" || !strings.HasPrefix(p, "/") {
		return p, nil
	}
	dir, err := r.dir(path.Dir(p), hops)
	if err != nil {
		return "", err
	}
	full := path.Join(dir, path.Base(p))
	fi, err := r.sys.Lstat(full)
	if err != nil {
		return "", err
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		return full, nil
	}
	target, err := r.sys.Readlink(full)
	if err != nil {
		return "", err
	}
	if !path.IsAbs(target) {
		target = path.Join(dir, target)
	}
	return r.resolve(target, hops+1)
}

// dir resolves a directory, remembering the answer.
func (r *resolver) dir(d string, hops int) (string, error) {
	if d == "/" {
		return d, nil
	}
	if real, ok := r.dirs[d]; ok {
		return real, nil
	}
	if err, ok := r.errs[d]; ok {
		return "", err
	}
	real, err := r.resolve(d, hops)
	if err != nil {
		r.errs[d] = err
		return "", err
	}
	r.dirs[d] = real
	return real, nil
}
