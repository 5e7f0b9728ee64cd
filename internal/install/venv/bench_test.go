package venv

import (
	"fmt"
	"testing"

	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// BenchmarkObserve200 observes a venv with 200 installed distributions
// (each METADATA with a few kilobytes of description, as real ones have)
// against a recipe naming 20 of them. ARCHITECTURE.md's target: ≤ 5 ms.
func BenchmarkObserve200(b *testing.B) {
	l := newLab(b)
	l.makeVenv()
	body := readTestdata(b, "metadata/requests-2.34.2.METADATA")
	var pkgs []string
	for i := range 198 {
		name := fmt.Sprintf("package_%03d", i)
		mustWrite(b, l.site("3.11")+"/"+name+"-1."+fmt.Sprint(i)+".dist-info/METADATA",
			"Metadata-Version: 2.1\nName: "+name+"\nVersion: 1."+fmt.Sprint(i)+"\n"+body[len("Metadata-Version: 2.4\nName: requests\nVersion: 2.34.2\n"):])
		if i%10 == 0 {
			pkgs = append(pkgs, fmt.Sprintf("Package-%03d>=1.0", i))
		}
	}
	v := l.new(&recipe.Virtualenv{Packages: pkgs})
	sys := system.NewReal()
	b.ReportAllocs()
	for b.Loop() {
		st, err := v.Observe(b.Context(), sys)
		if err != nil {
			b.Fatal(err)
		}
		if len(st.Packages) != 200 || len(v.Diff(st)) != 0 {
			b.Fatalf("%d packages, diff %v", len(st.Packages), v.Diff(st))
		}
	}
}
