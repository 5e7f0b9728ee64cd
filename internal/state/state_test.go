package state

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/envup/envup/internal/system"
)

func TestStateRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sys := system.NewReal()
	st, err := Load(sys, dir)
	if err != nil || len(st.Applies) != 0 {
		t.Fatalf("empty load = %+v, %v", st, err)
	}
	for i := range keepApplies + 3 {
		st.Record(Apply{Recipe: "r.yml", At: time.Unix(int64(i), 0).UTC(), Platform: "linux/debian/12/amd64"})
	}
	if err := st.Save(sys, dir); err != nil {
		t.Fatal(err)
	}
	again, err := Load(sys, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Applies) != keepApplies || again.Applies[0].At.Unix() != 3 {
		t.Errorf("kept %d applies, first at %d", len(again.Applies), again.Applies[0].At.Unix())
	}
}

// A state written before applies recorded their outcomes still loads.
func TestStateWithoutOutcomesLoads(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old := `{"version": 1, "applies": [{"recipe": "/r.yml", "at": "2024-05-01T10:00:00Z", "changed": ["file/~/x"], "platform": "linux/debian/12/amd64"}]}`
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := Load(system.NewReal(), dir)
	if err != nil || len(st.Applies) != 1 || st.Applies[0].Changed[0] != "file/~/x" || st.Applies[0].Outcomes != nil {
		t.Fatalf("old state = %+v, %v", st, err)
	}
}

func TestDamagedStateIsNamedAndKept(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := filepath.Join(dir, FileName)
	if err := os.WriteFile(name, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(system.NewReal(), dir)
	if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("err = %v", err)
	}
	if data, _ := os.ReadFile(name); string(data) != "{not json" {
		t.Errorf("damaged state was changed")
	}
}

func TestSecondLockWaitsThenTimesOut(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first, err := Acquire(t.Context(), dir, time.Second, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	var msg bytes.Buffer
	_, err = Acquire(t.Context(), dir, 200*time.Millisecond, &msg)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock err = %v, want ErrLocked", err)
	}
	if !strings.Contains(msg.String(), "waiting for another apply (pid ") {
		t.Errorf("wait message = %q", msg.String())
	}
	if err := first.Unlock(); err != nil {
		t.Fatal(err)
	}
	second, err := Acquire(t.Context(), dir, 200*time.Millisecond, &msg)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	_ = second.Unlock()
}

func TestMemoIsSafeAndSaysWhenChanged(t *testing.T) {
	t.Parallel()
	m := NewMemo(map[string]string{"a": "1"})
	m.Put("a", "1")
	if m.Changed() {
		t.Error("putting the same value is a change")
	}
	done := make(chan struct{})
	for i := range 8 {
		go func() {
			m.Put(string(rune('b'+i)), "x")
			done <- struct{}{}
		}()
	}
	for range 8 {
		<-done
	}
	if v, ok := m.Get("c"); !ok || v != "x" || !m.Changed() || len(m.Values()) != 9 {
		t.Errorf("memo = %v", m.Values())
	}
	var none *Memo
	none.Put("x", "y")
	if _, ok := none.Get("x"); ok {
		t.Error("a nil memo remembered")
	}
}
