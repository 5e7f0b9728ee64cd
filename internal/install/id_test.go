package install_test

import (
	"testing"

	"github.com/envup/envup/internal/install"
)

func TestID(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"interpreter/python", "file/~/lab/seats.py", `file/C:\Users\x\a.txt`, "path/bin"} {
		id := install.ParseID(s)
		if id.String() != s {
			t.Errorf("ParseID(%q).String() = %q", s, id.String())
		}
	}
	if got := install.ParseID("file/~/lab/seats.py"); got != (install.ID{Kind: "file", Name: "~/lab/seats.py"}) {
		t.Errorf("ParseID: %+v, want the kind up to the first slash", got)
	}
}
