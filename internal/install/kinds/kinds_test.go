package kinds_test

import (
	"slices"
	"testing"

	"github.com/envup/envup/internal/install/kinds"
)

// The registry's order is the order a plan applies: a virtualenv after
// its interpreter, the Windows Path after what puts programs in the bin dir.
func TestAllOrder(t *testing.T) {
	t.Parallel()
	var names []string
	for _, k := range kinds.All() {
		if k.Build == nil {
			t.Errorf("kind %s has no Build", k.Name)
		}
		names = append(names, k.Name)
	}
	want := []string{"packages", "interpreter", "virtualenv", "service", "path", "font", "editor", "file"}
	if !slices.Equal(names, want) {
		t.Errorf("kinds.All() = %v, want %v", names, want)
	}
	if k, ok := kinds.Named("virtualenv"); !ok || k.Section() != "virtualenvs" {
		t.Errorf("Named(virtualenv) = %+v, %v", k, ok)
	}
	if _, ok := kinds.Named("check"); ok {
		t.Error("Named(check): a check is no resource kind")
	}
}
