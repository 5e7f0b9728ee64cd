package font

import (
	"errors"
	"fmt"

	"golang.org/x/image/font/sfnt"
)

// Family is the family name a font file gives itself, the name editors
// and fontconfig know it by: the typographic family (name ID 16) when the
// font has one, else the family (name ID 1). Of a collection (.ttc, .otc)
// it reads the first font.
func Family(data []byte) (string, error) {
	names, err := families(data)
	if err != nil {
		return "", err
	}
	return names[0], nil
}

// families are the names the first font of data answers to, the one
// Family returns first: a font with a typographic family is also found
// under its legacy family ("JetBrains Mono ExtraBold").
func families(data []byte) ([]string, error) {
	if len(data) == 0 { // sfnt takes a nil slice for no source at all
		return nil, errors.New("not a font: the file is empty")
	}
	c, err := sfnt.ParseCollection(data)
	if err != nil {
		return nil, fmt.Errorf("not a font: %w", err)
	}
	if c.NumFonts() == 0 {
		return nil, errors.New("not a font: an empty collection")
	}
	f, err := c.Font(0)
	if err != nil {
		return nil, fmt.Errorf("not a font: %w", err)
	}
	var b sfnt.Buffer
	var names []string
	for _, id := range []sfnt.NameID{sfnt.NameIDTypographicFamily, sfnt.NameIDFamily} {
		name, err := f.Name(&b, id)
		switch {
		case errors.Is(err, sfnt.ErrNotFound) || (err == nil && name == ""):
			continue
		case err != nil:
			return nil, fmt.Errorf("family name: %w", err)
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return nil, errors.New("the font names no family")
	}
	return names, nil
}
