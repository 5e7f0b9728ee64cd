package fetch

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// member is one entry of an archive a test builds.
type member struct {
	name string
	typ  byte // a tar.Type*; zip entries use mode instead
	mode fs.FileMode
	body string
	link string
	// size, when set, is written in the header instead of len(body): a
	// header that lies.
	size int64
}

func file(name string, mode fs.FileMode, body string) member {
	return member{name: name, typ: tar.TypeReg, mode: mode, body: body}
}

func dir(name string) member { return member{name: name, typ: tar.TypeDir, mode: 0o755} }

func symlink(name, target string) member {
	return member{name: name, typ: tar.TypeSymlink, mode: 0o777, link: target}
}

func hardlink(name, target string) member {
	return member{name: name, typ: tar.TypeLink, mode: 0o644, link: target}
}

var testTime = time.Date(2024, 1, 7, 12, 0, 0, 0, time.UTC)

// tarBytes writes members as an uncompressed tar. A member whose size lies
// gets its header and body written as claimed, so the archive is broken the
// way a hostile one is.
func tarBytes(t *testing.T, members []member) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range members {
		size := int64(len(m.body))
		if m.size != 0 {
			size = m.size
		}
		hdr := &tar.Header{
			Name: m.name, Typeflag: m.typ, Mode: int64(m.mode.Perm()), Linkname: m.link,
			ModTime: testTime, Format: tar.FormatPAX,
		}
		if m.typ == tar.TypeReg {
			hdr.Size = size
		}
		if m.typ == tar.TypeChar || m.typ == tar.TypeBlock {
			hdr.Devmajor, hdr.Devminor = 1, 3
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatalf("tar header %s: %v", m.name, err)
		}
		if m.typ == tar.TypeReg {
			if _, err := io.WriteString(tw, m.body); err != nil {
				t.Fatalf("tar body %s: %v", m.name, err)
			}
		}
		if m.size != 0 {
			// The claimed size was not written: end the stream here, as a
			// truncated or lying archive does.
			return buf.Bytes()
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// compressor turns a tar into one archive format.
type compressor struct {
	ext  string
	pack func(t *testing.T, tarball []byte) []byte
}

var tarFormats = []compressor{
	{".tar.gz", gzipBytes},
	{".tar.xz", xzBytes},
	{".tar.zst", zstdBytes},
}

func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func xzBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := xz.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zstdBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := zstd.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipBytes writes members as a zip; symlinks carry their target as content,
// as Info-ZIP does.
func zipBytes(t *testing.T, members []member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		hdr := &zip.FileHeader{Name: m.name, Method: zip.Deflate, Modified: testTime}
		body := m.body
		switch m.typ {
		case tar.TypeDir:
			hdr.SetMode(fs.ModeDir | m.mode.Perm())
		case tar.TypeSymlink:
			hdr.SetMode(fs.ModeSymlink | 0o777)
			body = m.link
		case tar.TypeChar:
			hdr.SetMode(fs.ModeDevice | fs.ModeCharDevice | 0o644)
		case tar.TypeFifo:
			hdr.SetMode(fs.ModeNamedPipe | 0o644)
		default:
			hdr.SetMode(m.mode.Perm())
		}
		if m.size != 0 {
			zipLying(t, zw, hdr, body, m.size)
			continue
		}
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			t.Fatalf("zip header %s: %v", m.name, err)
		}
		if _, err := io.WriteString(w, body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipLying stores body deflated under a header that claims claimed bytes.
func zipLying(t *testing.T, zw *zip.Writer, hdr *zip.FileHeader, body string, claimed int64) {
	t.Helper()
	var raw bytes.Buffer
	fw, err := flate.NewWriter(&raw, flate.DefaultCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(fw, body); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	hdr.UncompressedSize64 = uint64(claimed)
	hdr.CompressedSize64 = uint64(raw.Len())
	w, err := zw.CreateRaw(hdr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(raw.Bytes()); err != nil {
		t.Fatal(err)
	}
}

// writeArchive puts b in a fresh folder under name and returns its path.
func writeArchive(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// listing returns the names in dir, sorted.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}
