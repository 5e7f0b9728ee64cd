package fetch

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// format is an archive's container and compression.
type format int

const (
	formatUnknown format = iota
	formatTar
	formatTarGz
	formatTarXz
	formatTarZst
	formatZip
)

// detectFormat reads the archive's first bytes, and falls back on its name
// when they are not a known magic number.
func detectFormat(archive string) (format, error) {
	f, err := os.Open(archive)
	if err != nil {
		return formatUnknown, err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return formatUnknown, fmt.Errorf("read: %w", err)
	}
	if fm := formatByMagic(head[:n]); fm != formatUnknown {
		return fm, nil
	}
	if fm := formatByName(archive); fm != formatUnknown {
		return fm, nil
	}
	return formatUnknown, ErrUnknownFormat
}

func formatByMagic(head []byte) format {
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return formatTarGz
	case bytes.HasPrefix(head, []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}):
		return formatTarXz
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return formatTarZst
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return formatZip
	case len(head) >= 262 && string(head[257:262]) == "ustar":
		return formatTar
	}
	return formatUnknown
}

func formatByName(name string) format {
	lower := strings.ToLower(name)
	for _, s := range []struct {
		suffix string
		format format
	}{
		{".tar.gz", formatTarGz},
		{".tgz", formatTarGz},
		{".tar.xz", formatTarXz},
		{".txz", formatTarXz},
		{".tar.zst", formatTarZst},
		{".tar.zstd", formatTarZst},
		{".tzst", formatTarZst},
		{".zip", formatZip},
		{".tar", formatTar},
	} {
		if strings.HasSuffix(lower, s.suffix) {
			return s.format
		}
	}
	return formatUnknown
}
