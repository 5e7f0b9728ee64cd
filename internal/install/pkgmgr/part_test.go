package pkgmgr

import (
	"context"
	"testing"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/system"
)

// A manager with nothing installed on purpose is still recorded, empty:
// a diff against a recipe then names each package the recipe wants
// rather than the whole manager.
func TestPartKeepsAnEmptyManager(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	seen, errs := Part.Inspect(context.Background(), system.Absent{}, install.Look{
		Platform: detect.Platform{OS: "linux", Managers: []string{"apt"}}, Root: root,
	})
	pkgs, ok := seen.(Installed)
	if !ok {
		t.Fatalf("Inspect gave %T (errs %v)", seen, errs)
	}
	if m, ok := pkgs["apt"]; !ok || len(m) != 0 {
		t.Errorf("packages %v, want apt with none", pkgs)
	}
}
