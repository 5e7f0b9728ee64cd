package system

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/envup/envup/internal/progress"
)

// Real is the host itself.
type Real struct {
	fetcher Fetcher
	steps   *progress.Steps // shows the long commands and extractions; nil: none
}

// NewReal returns the System that really reads and changes this host.
// Without a Fetcher it cannot Download or Extract.
func NewReal() *Real { return &Real{} }

// NewRealWith returns a Real that downloads and unpacks with f and shows
// its long steps (Run's commands, Extract) through steps (nil: nowhere).
func NewRealWith(f Fetcher, steps *progress.Steps) *Real {
	return &Real{fetcher: f, steps: steps}
}

// errNoFetcher is what Download and Extract say without a Fetcher.
var errNoFetcher = errors.New("envup was started without a downloader")

// Download fetches through the Fetcher.
func (r *Real) Download(ctx context.Context, url, sha256 string) (string, error) {
	if r.fetcher == nil {
		return "", fmt.Errorf("download %s: %w", url, errNoFetcher)
	}
	return r.fetcher.Get(ctx, url, sha256)
}

// Warm brings files into the download cache through the Fetcher's GetAll,
// a few at a time; each Download of one of them then finds it cached, or
// waits for that one file.
func (r *Real) Warm(ctx context.Context, files []Want) error {
	if r.fetcher == nil {
		return fmt.Errorf("warm the download cache: %w", errNoFetcher)
	}
	return r.fetcher.Warm(ctx, files)
}

// DownloadExtract downloads and unpacks at once through the Fetcher.
func (r *Real) DownloadExtract(ctx context.Context, url, sha256, dest string, strip int) (string, error) {
	if r.fetcher == nil {
		return "", fmt.Errorf("download %s: %w", url, errNoFetcher)
	}
	step := r.steps.Start("download and extract " + filepath.Base(dest))
	defer step.End()
	return r.fetcher.GetExtract(ctx, url, sha256, dest, strip)
}

// Extract unpacks through the Fetcher.
func (r *Real) Extract(ctx context.Context, archive, dest string, strip int) error {
	if r.fetcher == nil {
		return fmt.Errorf("extract %s: %w", archive, errNoFetcher)
	}
	step := r.steps.Start("extract " + filepath.Base(archive))
	defer step.End()
	return r.fetcher.Extract(ctx, archive, dest, strip)
}

// CachePath is where Download keeps the file with this digest ("" when
// there is no Fetcher). DryRun uses it to say whether a download is cached.
func (r *Real) CachePath(sha256 string) string {
	if r.fetcher == nil {
		return ""
	}
	return r.fetcher.Path(sha256)
}

// Stat is os.Stat.
func (*Real) Stat(name string) (fs.FileInfo, error) { return os.Stat(name) }

// Lstat is os.Lstat.
func (*Real) Lstat(name string) (fs.FileInfo, error) { return os.Lstat(name) }

// ReadFile is os.ReadFile.
func (*Real) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

// ReadDir is os.ReadDir.
func (*Real) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }

// Readlink is os.Readlink.
func (*Real) Readlink(name string) (string, error) { return os.Readlink(name) }

// LookPath is exec.LookPath.
func (*Real) LookPath(file string) (string, error) { return exec.LookPath(file) }

// Getenv is os.Getenv.
func (*Real) Getenv(key string) string { return os.Getenv(key) }

// Query runs a read-only command.
func (*Real) Query(ctx context.Context, cmd Cmd) (*Result, error) { return runCmd(ctx, cmd, nil) }

// Prove runs the check.
func (*Real) Prove(ctx context.Context, _ string, check func(context.Context) error) error {
	return check(ctx)
}

// Run runs a command that changes the host. Unless its output is shown
// as it comes (Live), a long one shows its time and last line (steps).
func (r *Real) Run(ctx context.Context, cmd Cmd) (*Result, error) {
	if cmd.Live != nil || r.steps == nil || len(cmd.Argv) == 0 {
		return runCmd(ctx, cmd, nil)
	}
	step := r.steps.Start(stepName(cmd.Argv))
	defer step.End()
	return runCmd(ctx, cmd, step)
}

// WriteFile writes to a temporary file in name's directory, syncs it and
// renames it over name, so a reader (or a killed apply) sees the old file
// or the new one, never half of one. A symbolic link to a regular file is
// followed, as an editor follows it (linkedFile): its target is replaced
// so, beside itself, and the link stays a link (a settings file linked
// into a dotfiles repository, as GNU Stow and chezmoi's symlink mode make
// them, stays linked). Any other link is replaced, as before.
func (*Real) WriteFile(name string, data []byte, perm fs.FileMode) (err error) {
	name = linkedFile(name)
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".envup-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Chmod(tmp.Name(), perm); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// linkedFile is the file WriteFile replaces for name: the regular file
// that name's symbolic links lead to, when they lead to one and a link's
// owner may speak for it; else name itself. So a link to a device
// (~/.bash_history -> /dev/null) never gets the device replaced, a
// dangling link makes no folders where it points, and an envup running as
// root in another user's home does not write where a link of theirs
// points, into a file they do not own (sameOwner).
func linkedFile(name string) string {
	li, err := os.Lstat(name)
	if err != nil || li.Mode()&fs.ModeSymlink == 0 {
		return name
	}
	target, err := followLinks(name)
	if err != nil {
		return name
	}
	ti, err := os.Lstat(target)
	if err != nil || !ti.Mode().IsRegular() || !sameOwner(li, ti) {
		return name
	}
	return target
}

// MkdirAll is os.MkdirAll.
func (*Real) MkdirAll(name string, perm fs.FileMode) error { return os.MkdirAll(name, perm) }

// Rename is os.Rename.
func (*Real) Rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

// Remove is os.Remove.
func (*Real) Remove(name string) error { return os.Remove(name) }

// RemoveAll is os.RemoveAll.
func (*Real) RemoveAll(name string) error { return os.RemoveAll(name) }

// Symlink is os.Symlink.
func (*Real) Symlink(oldname, newname string) error { return os.Symlink(oldname, newname) }

// Chmod is os.Chmod.
func (*Real) Chmod(name string, mode fs.FileMode) error { return os.Chmod(name, mode) }

// Link is os.Link.
func (*Real) Link(oldname, newname string) error { return os.Link(oldname, newname) }

// LinkTree walks src, linking each file into dst, or copying it once a
// link fails.
func (*Real) LinkTree(src, dst string) error {
	link := true
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, to)
		}
		if link {
			if err := os.Link(p, to); err == nil {
				return nil
			} else if errors.Is(err, fs.ErrExist) {
				return err
			}
			link = false
		}
		return copyKeeping(p, to)
	})
}

// copyKeeping copies the file src to dst (which must not exist) with
// src's mode and modification time.
func copyKeeping(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return fmt.Errorf("copy %s: %w", src, err)
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chtimes(dst, fi.ModTime(), fi.ModTime())
}
