package snapshot

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/envup/envup/internal/detect"
	"github.com/envup/envup/internal/recipe"
	"github.com/envup/envup/internal/system"
)

// Text is the captured recipe as written: a header naming the schema,
// the description and what was left out, then the recipe's YAML.
func (c *Capture) Text() ([]byte, error) {
	data, err := c.Recipe.YAML()
	if err != nil {
		return nil, err
	}
	head := "# yaml-language-server: $schema=" + recipe.SchemaID + "\n# " + c.Recipe.Description + "\n"
	for _, left := range c.Left {
		head += "# left out: " + left + "\n"
	}
	return append([]byte(head), data...), nil
}

// Write writes the recipe text to the output out (system.CreateOutput:
// a link is followed, a file replaced whole) and copies the fonts into
// fonts/ beside out, through sys, after checking that the recipe loads
// for p: what capture writes must load. On any failure the fonts it
// copied are removed and a file that was at out is left as it was.
//
// A device or named pipe gets the text alone, as standard output does;
// fonts then says the fonts were not copied.
func (c *Capture) Write(sys system.System, out string, text []byte, p detect.Platform) (fonts bool, err error) {
	o, err := system.CreateOutput(out, 0o644)
	if err != nil {
		return false, err
	}
	defer o.Abort()
	if _, err := o.Write(text); err != nil {
		return false, err
	}
	if o.Staged() == "" {
		return false, o.Commit()
	}
	dir := filepath.Dir(out)
	var written []string
	defer func() {
		if err != nil {
			for _, name := range written {
				_ = os.Remove(name)
			}
		}
	}()
	for from, to := range c.Fonts {
		font, err := os.ReadFile(from)
		if err != nil {
			return false, fmt.Errorf("copy font: %w", err)
		}
		dst := filepath.Join(dir, filepath.FromSlash(to))
		if err := sys.WriteFile(dst, font, 0o644); err != nil {
			return false, fmt.Errorf("copy font: %w", err)
		}
		written = append(written, dst)
	}
	if err := loads(o, dir, text, p); err != nil {
		return false, fmt.Errorf("the captured recipe does not load (a bug in envup capture): %w", err)
	}
	return true, o.Commit()
}

// loads checks that the recipe text, staged in o, loads for p from dir,
// where its fonts are: from o's temporary file when it is in dir, else
// (out is a link into another folder) from a copy made in dir for it.
func loads(o *system.Output, dir string, text []byte, p detect.Platform) error {
	at := o.Staged()
	if filepath.Dir(at) != dir {
		f, err := os.CreateTemp(dir, ".captured.yml.envup-*")
		if err != nil {
			return err
		}
		defer os.Remove(f.Name())
		_, err = f.Write(text)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		at = f.Name()
	}
	_, err := recipe.Load(at, p)
	return err
}
