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
	head := "# yaml-language-server: $schema=https://envup.dev/envup.schema.json\n# " + c.Recipe.Description + "\n"
	for _, left := range c.Left {
		head += "# left out: " + left + "\n"
	}
	return append([]byte(head), data...), nil
}

// Write writes the recipe text to out and copies the fonts beside it,
// through sys, then loads the recipe for p: what capture writes must
// load. On any failure what it wrote is removed.
func (c *Capture) Write(sys system.System, out string, text []byte, p detect.Platform) error {
	dir := filepath.Dir(out)
	var written []string
	undo := func() {
		for _, name := range written {
			_ = os.Remove(name)
		}
	}
	for from, to := range c.Fonts {
		font, err := os.ReadFile(from)
		if err != nil {
			undo()
			return fmt.Errorf("copy font: %w", err)
		}
		dst := filepath.Join(dir, filepath.FromSlash(to))
		if err := sys.WriteFile(dst, font, 0o644); err != nil {
			undo()
			return fmt.Errorf("copy font: %w", err)
		}
		written = append(written, dst)
	}
	if err := sys.WriteFile(out, text, 0o644); err != nil {
		undo()
		return err
	}
	written = append(written, out)
	if _, err := recipe.Load(out, p); err != nil {
		undo()
		return fmt.Errorf("the captured recipe does not load (a bug in envup capture): %w", err)
	}
	return nil
}
