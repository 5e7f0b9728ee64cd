package fetch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Limits Extract applies when ExtractOptions leaves them zero.
const (
	DefaultMaxBytes   = 8 << 30 // bytes of file content
	DefaultMaxEntries = 1 << 20
)

// Reasons an archive is refused, wrapped by *ExtractError.
var (
	ErrUnsafePath    = errors.New("unsafe path")
	ErrUnsafeLink    = errors.New("unsafe link")
	ErrSpecialFile   = errors.New("special file")
	ErrTooLarge      = errors.New("archive too large")
	ErrUnknownFormat = errors.New("unknown archive format (want .tar.gz, .tgz, .tar.xz, .tar.zst or .zip)")
)

// ExtractOptions tunes Extract.
type ExtractOptions struct {
	// MaxBytes bounds the bytes written, counted as they are written (so
	// a header that lies about its size is caught too); 0 means
	// DefaultMaxBytes.
	MaxBytes int64
	// MaxEntries bounds the number of entries; 0 means DefaultMaxEntries.
	MaxEntries int
	// StripComponents drops this many leading folders from every name, as
	// tar --strip-components: 1 turns python/bin/python3 into bin/python3.
	// Entries with nothing left are skipped.
	StripComponents int
}

// ExtractError says which archive, and which entry of it, could not be
// extracted. Err wraps ErrUnsafePath, ErrUnsafeLink, ErrSpecialFile or
// ErrTooLarge when the archive was refused.
type ExtractError struct {
	Archive string
	Entry   string // empty when the archive as a whole failed
	Err     error
}

func (e *ExtractError) Error() string {
	if e.Entry == "" {
		return fmt.Sprintf("extract %s: %v", e.Archive, e.Err)
	}
	return fmt.Sprintf("extract %s: %s: %v", e.Archive, e.Entry, e.Err)
}

func (e *ExtractError) Unwrap() error { return e.Err }

// Extract unpacks archive (.tar.gz, .tgz, .tar.xz, .tar.zst, .zip, or a
// plain .tar) into destDir, which must not exist yet.
//
// The format comes from the archive's first bytes, or from its name when
// they say nothing (a plain tar without the ustar magic), so a cached file
// named by its digest is recognised too. Entries are written into a
// staging folder beside destDir (destDir.envup-tmp-*), which is renamed to
// destDir only when every entry was safe and written; on any failure it is
// removed, so a refused or broken archive leaves nothing. Refused: names
// that are absolute, carry a drive letter, a backslash or a ".."
// component; symlinks and hard links that point outside destDir; writing
// through a symlink; device files, fifos and sockets; more than MaxBytes
// of content or MaxEntries entries. Executable bits are kept; setuid,
// setgid and group or world write are dropped.
func Extract(archive, destDir string, opts ExtractOptions) error {
	return extract(context.Background(), archive, destDir, opts)
}

// Extract is the package's Extract with the defaults, stopping between
// entries when ctx ends: with Get and Path it makes a Fetcher what
// system.Real downloads and unpacks with (system.Fetcher).
func (f *Fetcher) Extract(ctx context.Context, archive, destDir string, strip int) error {
	return extract(ctx, archive, destDir, ExtractOptions{StripComponents: strip})
}

func extract(ctx context.Context, archive, destDir string, opts ExtractOptions) error {
	destDir = filepath.Clean(destDir)
	fail := func(err error) error { return &ExtractError{Archive: archive, Err: err} }
	if _, err := os.Lstat(destDir); err == nil {
		return fail(fmt.Errorf("%s already exists: %w", destDir, fs.ErrExist))
	}
	format, err := detectFormat(archive)
	if err != nil {
		return fail(err)
	}
	stage, err := unpackStage(ctx, archive, destDir, opts, func(t *tree) error {
		if format == formatZip {
			return extractZip(archive, t)
		}
		return extractTar(archive, format, t)
	})
	if err != nil {
		return err
	}
	return placeStage(archive, stage, destDir)
}

// unpackStage makes a staging folder beside destDir (destDir.envup-tmp-*)
// and unpacks into it with fill; the folder is removed on any failure.
func unpackStage(ctx context.Context, archive, destDir string, opts ExtractOptions, fill func(*tree) error) (_ string, err error) {
	fail := func(err error) error { return &ExtractError{Archive: archive, Err: err} }
	parent := filepath.Dir(destDir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fail(err)
	}
	stage, err := os.MkdirTemp(parent, filepath.Base(destDir)+".envup-tmp-")
	if err != nil {
		return "", fail(err)
	}
	defer func() {
		if err == nil {
			return
		}
		if rerr := os.RemoveAll(stage); rerr != nil {
			err = errors.Join(err, fmt.Errorf("remove the staging folder %s: %w", stage, rerr))
		}
	}()

	t := &tree{
		ctx:        ctx,
		root:       stage,
		strip:      max(opts.StripComponents, 0),
		left:       opts.MaxBytes,
		maxEntries: opts.MaxEntries,
	}
	if t.left <= 0 {
		t.left = DefaultMaxBytes
	}
	if t.maxEntries <= 0 {
		t.maxEntries = DefaultMaxEntries
	}
	if err := fill(t); err != nil {
		return "", err
	}
	if err := t.finish(); err != nil {
		return "", fail(err)
	}
	if err := os.Chmod(stage, 0o755); err != nil {
		return "", fail(err)
	}
	return stage, nil
}

// placeStage renames a whole staging folder to destDir, or removes it.
func placeStage(archive, stage, destDir string) error {
	if err := os.Rename(stage, destDir); err != nil {
		return errors.Join(&ExtractError{Archive: archive, Err: err}, os.RemoveAll(stage))
	}
	return nil
}
