package snapshot

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// FuzzDecodeSnapshot reads arbitrary bytes as a snapshot file. Whatever
// Read makes of them, it says so naming the file, or returns a snapshot
// that writes, reads back to the same bytes, and equals itself in a
// diff. Seeds: the real snapshot in testdata, one written by the tests'
// base machine, and the broken files snapshot.txtar feeds diff.
func FuzzDecodeSnapshot(f *testing.F) {
	real, err := os.ReadFile(realSnapshot)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(real)
	var written bytes.Buffer
	if err := base().Write(&written); err != nil {
		f.Fatal(err)
	}
	f.Add(written.Bytes())
	for _, s := range []string{
		"{\n  \"envup_snapshot\": 1,,\n}\n",
		`{"envup_snapshot": 7}`,
		`{"envup_snapshot": 1, "platform": {"os": "linux"}, "fonts": null}`,
		"{\"envup_snapshot\": 1,\n  \"fonts\": [{\"family\": 7}]}",
		`[]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Read(bytes.NewReader(data), "in.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "in.json: ") {
				t.Errorf("the error does not name the file: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := s.Write(&out); err != nil {
			t.Fatalf("a snapshot read does not write: %v", err)
		}
		back, err := Read(bytes.NewReader(out.Bytes()), "out.json")
		if err != nil {
			t.Fatalf("written, it does not read back: %v\n%s", err, out.Bytes())
		}
		var again bytes.Buffer
		if err := back.Write(&again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), again.Bytes()) {
			t.Errorf("written twice, it changes:\n%s\n---\n%s", out.Bytes(), again.Bytes())
		}
		res, err := Diff(SnapshotSide("a", "snapshot", s), SnapshotSide("b", "snapshot", back), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Equal {
			t.Errorf("read back, it differs from itself: %+v", res.Differences)
		}
	})
}
