package lock

import (
	"fmt"
	"os"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Fresh reads the lock of r, loaded for p, and pins r to p's entry. When
// the lock cannot pin it (none, no entry for p, or older than the
// recipe), lp is nil and why says so and what to run; found says whether
// a lock file was there at all.
func Fresh(r *recipe.Recipe, p detect.Platform) (lp *Platform, why string, found bool, err error) {
	path := PathFor(r.Path)
	f, err := Read(path)
	if err != nil {
		return nil, "", false, err
	}
	if f == nil {
		return nil, fmt.Sprintf("%s has no lock (%s): run envup lock %s", r.Path, path, r.Path), false, nil
	}
	key, lp := f.For(p)
	if lp == nil {
		return nil, fmt.Sprintf("%s holds no entry for %s (it has %s): run envup lock --platform %s %s", path, p, strings.Join(f.Keys(), ", "), p, r.Path), true, nil
	}
	digest, err := Digest(r.Path, p)
	if err != nil {
		return nil, "", true, err
	}
	if digest != lp.Recipe {
		return nil, fmt.Sprintf("%s is older than the recipe (%s changed since it was locked for %s): run envup lock %s", path, r.Path, key, r.Path), true, nil
	}
	lp.Pin(r)
	return lp, "", true, nil
}

// WriteChanged writes the lock to path unless it holds these bytes
// already; it says whether it wrote.
func (f *File) WriteChanged(path string) (bool, error) {
	data, err := f.Bytes()
	if err != nil {
		return false, err
	}
	if prev, err := os.ReadFile(path); err == nil && string(prev) == string(data) {
		return false, nil
	}
	return true, system.WriteOutput(path, data, 0o644)
}
