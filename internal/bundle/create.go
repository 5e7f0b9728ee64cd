package bundle

import (
	"archive/tar"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/fetch"
	"github.com/envup/envup/internal/lock"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Filled is what a Create's fill put in the mirror folder: the lock it
// followed, as written, and the platforms it holds files for.
type Filled struct {
	Lock      []byte
	Platforms []string
}

// Create writes the bundle of the recipe at path to the output out
// (system.CreateOutput: a link is followed, a file replaced whole, a
// device or named pipe written through): the recipe's folder, the lock
// and a mirror folder that fill fills (it is given an empty temporary
// folder). The bundle is checked to stand alone before it gets its name
// or is sent; Create returns its size.
func Create(out, path string, fill func(mirrorDir string) (*Filled, error)) (int64, error) {
	work, err := os.MkdirTemp("", "envup-bundle-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(work)
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return 0, err
	}
	if home, err := os.UserHomeDir(); err == nil && dir == filepath.Clean(home) {
		return 0, fmt.Errorf("%s lies in your home folder itself: bundle packs the recipe's folder, so give the recipe a folder of its own", path)
	}
	mirrorDir := filepath.Join(work, "mirror")
	res, err := fill(mirrorDir)
	if err != nil {
		return 0, err
	}
	manifest, err := json.MarshalIndent(Manifest{Envup: 1, Recipe: "recipe/" + detect.LocalPath(path).Base(), Mirror: "mirror", Platforms: res.Platforms}, "", "  ")
	if err != nil {
		return 0, err
	}

	o, err := system.CreateOutput(out, 0o644)
	if err != nil {
		return 0, err
	}
	defer o.Abort()
	// The tar is written where it is checked before it is sent: o's
	// temporary file, or for a device or named pipe (which cannot be
	// read back) a file in work, copied into o once checked.
	tarPath, w := o.Staged(), io.Writer(o)
	if tarPath == "" {
		f, err := os.Create(filepath.Join(work, "bundle.tar"))
		if err != nil {
			return 0, err
		}
		defer f.Close()
		tarPath, w = f.Name(), f
	}
	size, err := writeBundle(&countingWriter{w: w}, path, o.Target(), mirrorDir, manifest, res)
	if err != nil {
		return 0, err
	}
	// The bundle must stand alone: its recipe loads from what it holds
	// (an include outside the recipe's folder would be left behind).
	if err := check(tarPath, "recipe/"+detect.LocalPath(path).Base(), res.Platforms); err != nil {
		return 0, err
	}
	if tarPath != o.Staged() {
		f, err := os.Open(tarPath)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		if _, err := io.Copy(o, f); err != nil {
			return 0, err
		}
	}
	return size, o.Commit()
}

// writeBundle writes the bundle of the recipe at path to w: the manifest,
// the recipe's folder (less its lock, other bundles and the output
// itself, at target), the lock and the mirror folder. It returns the
// size.
func writeBundle(w *countingWriter, path, target, mirrorDir string, manifest []byte, res *Filled) (int64, error) {
	outAbs, _ := filepath.Abs(target)
	tw := tar.NewWriter(w)
	addBytes := func(name string, data []byte) error {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	if err := addBytes(ManifestName, append(manifest, '\n')); err != nil {
		return 0, err
	}
	lockName := detect.LocalPath(lock.PathFor(path)).Base()
	if err := addTree(tw, filepath.Dir(path), "recipe", func(rel string) bool {
		abs, _ := filepath.Abs(filepath.Join(filepath.Dir(path), rel))
		return rel == lockName || abs == outAbs || strings.HasSuffix(rel, ".tar")
	}); err != nil {
		return 0, err
	}
	if err := addBytes("recipe/"+lockName, res.Lock); err != nil {
		return 0, err
	}
	if err := addTree(tw, mirrorDir, "mirror", nil); err != nil {
		return 0, err
	}
	if err := tw.Close(); err != nil {
		return 0, err
	}
	return w.n, nil
}

// countingWriter counts what it passes on.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// check unpacks the bundle into a temporary folder and loads its recipe
// for each platform it was made for.
func check(tarPath, recipeRel string, platforms []string) error {
	dir, err := os.MkdirTemp("", "envup-bundle-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := fetch.Extract(tarPath, filepath.Join(dir, "b"), fetch.ExtractOptions{}); err != nil {
		return err
	}
	for _, key := range platforms {
		p, err := detect.ParsePlatform(key)
		if err != nil {
			return err
		}
		if _, err := recipe.Load(filepath.Join(dir, "b", filepath.FromSlash(recipeRel)), p); err != nil {
			return fmt.Errorf("the bundle's recipe does not load from the bundle alone for %s (does it include or name a file outside its folder?): %w", key, err)
		}
	}
	return nil
}

// addTree adds the regular files under dir to tw under prefix, in name
// order, leaving out hidden files, what skip says, and folders that are
// a mirror (an index.json) or a virtualenv (a pyvenv.cfg): a bundle
// carries its own mirror, and a venv is made on the seat.
func addTree(tw *tar.Writer, dir, prefix string, skip func(rel string) bool) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			for _, marker := range []string{"index.json", "pyvenv.cfg"} {
				if _, err := os.Stat(filepath.Join(p, marker)); err == nil {
					return filepath.SkipDir
				}
			}
		}
		if d.IsDir() || !d.Type().IsRegular() || (skip != nil && skip(filepath.ToSlash(rel))) {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		hdr := &tar.Header{Name: prefix + "/" + filepath.ToSlash(rel), Mode: int64(fi.Mode().Perm()), Size: fi.Size(), Typeflag: tar.TypeReg, ModTime: fi.ModTime()}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err = io.Copy(tw, f)
		return err
	})
}
