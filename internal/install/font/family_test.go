package font

import (
	"encoding/binary"
	"os"
	"strings"
	"testing"
)

// dejavu is the repository's copy of Debian's DejaVuSansMono.ttf, so the
// tests need no font package on the machine.
const dejavu = "../../../recipes/fonts/DejaVuSansMono.ttf"

func readDejaVu(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(dejavu)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// collection wraps one TrueType font in a TrueType collection (.ttc):
// a ttcf header, then the font, its table offsets moved past the header.
func collection(t *testing.T, ttf []byte) []byte {
	t.Helper()
	const header = 16 // tag, version, numFonts, one offset
	out := make([]byte, header, header+len(ttf))
	copy(out, "ttcf")
	binary.BigEndian.PutUint32(out[4:], 0x00010000)
	binary.BigEndian.PutUint32(out[8:], 1)
	binary.BigEndian.PutUint32(out[12:], header)
	out = append(out, ttf...)
	font := out[header:]
	tables := int(binary.BigEndian.Uint16(font[4:]))
	for i := range tables {
		rec := font[12+16*i:]
		binary.BigEndian.PutUint32(rec[8:], binary.BigEndian.Uint32(rec[8:])+header)
	}
	return out
}

func TestFamily(t *testing.T) {
	t.Parallel()
	ttf := readDejaVu(t)
	tests := []struct {
		name    string
		data    []byte
		want    string
		wantErr string
	}{
		{name: "ttf", data: ttf, want: "DejaVu Sans Mono"},
		{name: "ttc: the first font", data: collection(t, ttf), want: "DejaVu Sans Mono"},
		{name: "not a font", data: []byte("PK\x03\x04 a zip"), wantErr: "not a font: "},
		{name: "empty", data: nil, wantErr: "not a font: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Family(tt.data)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q…", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("family = %q, want %q", got, tt.want)
			}
		})
	}
}

// The machine's own copy, when fonts-dejavu-core is installed, reads the same.
func TestFamilyInstalledDejaVu(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
	if err != nil {
		t.Skip("fonts-dejavu-core is not installed")
	}
	if got, err := Family(data); err != nil || got != "DejaVu Sans Mono" {
		t.Errorf("family = %q, %v", got, err)
	}
}

// Family never panics, whatever the bytes: a download can be anything.
func FuzzFamily(f *testing.F) {
	ttf, err := os.ReadFile(dejavu)
	if err != nil {
		f.Fatal(err)
	}
	for _, n := range []int{0, 1, 4, 12, 100, 1000, 10000} {
		f.Add(ttf[:n])
	}
	f.Add([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10"))
	f.Fuzz(func(_ *testing.T, data []byte) {
		_, _ = Family(data)
	})
}
