package fetch

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strings"
)

// maxLinkTarget bounds a zip symlink's target, which is stored as content.
const maxLinkTarget = 4096

// extractZip feeds a zip's entries to t.
func extractZip(archive string, t *tree) error {
	zr, err := zip.OpenReader(archive)
	// ErrInsecurePath comes with a usable reader; entryPath judges names.
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return &ExtractError{Archive: archive, Err: err}
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if err := zipEntry(zf, t); err != nil {
			return &ExtractError{Archive: archive, Entry: zf.Name, Err: err}
		}
	}
	return nil
}

func zipEntry(zf *zip.File, t *tree) error {
	m := zf.Mode()
	e := entry{name: zf.Name, mode: m, mtime: zf.Modified, size: math.MaxInt64}
	if zf.UncompressedSize64 <= math.MaxInt64 {
		e.size = int64(zf.UncompressedSize64)
	}
	switch {
	case m&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe|fs.ModeSocket|fs.ModeIrregular) != 0:
		return fmt.Errorf("%w: mode %v", ErrSpecialFile, m)
	case m.IsDir() || strings.HasSuffix(zf.Name, "/"):
		e.kind = kindDir
		return t.add(e)
	}
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	if m&fs.ModeSymlink != 0 {
		target, err := io.ReadAll(io.LimitReader(rc, maxLinkTarget+1))
		if err != nil {
			return err
		}
		if len(target) > maxLinkTarget {
			return fmt.Errorf("%w: link target longer than %d bytes", ErrUnsafeLink, maxLinkTarget)
		}
		e.kind, e.link = kindSymlink, string(target)
		return t.add(e)
	}
	e.kind, e.body = kindFile, rc
	return t.add(e)
}
