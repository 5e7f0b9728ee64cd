package fetch

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// extractTar feeds a (compressed) tar's entries to t.
func extractTar(archive string, fm format, t *tree) error {
	f, err := os.Open(archive)
	if err != nil {
		return &ExtractError{Archive: archive, Err: err}
	}
	defer f.Close()
	return extractTarFrom(archive, bufio.NewReaderSize(f, 1<<20), fm, t)
}

// extractTarFrom unpacks a tar, compressed as fm says, read from src (a
// file, or a download as it comes); archive names it in errors.
func extractTarFrom(archive string, src io.Reader, fm format, t *tree) error {
	r, closeFn, err := decompress(src, fm)
	if err != nil {
		return &ExtractError{Archive: archive, Err: err}
	}
	defer closeFn()

	tr := tar.NewReader(r)
	prev := ""
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		// ErrInsecurePath comes with a usable header; entryPath judges it.
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			entry := ""
			if prev != "" {
				entry = "after " + prev
			}
			return &ExtractError{Archive: archive, Entry: entry, Err: err}
		}
		e, ok, err := tarEntry(hdr, tr)
		if err == nil && ok {
			err = t.add(e)
		}
		if err != nil {
			return &ExtractError{Archive: archive, Entry: hdr.Name, Err: err}
		}
		prev = hdr.Name
	}
}

// tarEntry reads a header as an entry; ok is false for headers that make
// nothing (a pax global header).
func tarEntry(hdr *tar.Header, body io.Reader) (e entry, ok bool, err error) {
	e = entry{name: hdr.Name, mode: hdr.FileInfo().Mode(), link: hdr.Linkname, mtime: hdr.ModTime, size: hdr.Size}
	switch hdr.Typeflag {
	case tar.TypeReg, '\x00', tar.TypeCont, tar.TypeGNUSparse:
		e.kind, e.body = kindFile, body
	case tar.TypeDir:
		e.kind = kindDir
	case tar.TypeSymlink:
		e.kind = kindSymlink
	case tar.TypeLink:
		e.kind = kindHardlink
	case tar.TypeXGlobalHeader:
		return e, false, nil
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		return e, false, fmt.Errorf("%w: device or fifo (type %q)", ErrSpecialFile, hdr.Typeflag)
	default:
		return e, false, fmt.Errorf("%w: unsupported entry type %q", ErrSpecialFile, hdr.Typeflag)
	}
	return e, true, nil
}

// decompress wraps r in the decoder fm needs.
func decompress(r io.Reader, fm format) (io.Reader, func(), error) {
	switch fm {
	case formatTarGz:
		gz, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		return gz, func() { _ = gz.Close() }, nil
	case formatTarXz:
		xr, err := xz.NewReader(r)
		if err != nil {
			return nil, nil, fmt.Errorf("xz: %w", err)
		}
		return xr, func() {}, nil
	case formatTarZst:
		zr, err := zstd.NewReader(r)
		if err != nil {
			return nil, nil, fmt.Errorf("zstd: %w", err)
		}
		return zr, zr.Close, nil
	default:
		return r, func() {}, nil
	}
}
