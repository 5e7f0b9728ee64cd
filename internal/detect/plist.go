package detect

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// SystemVersion is what macOS's
// /System/Library/CoreServices/SystemVersion.plist says.
type SystemVersion struct {
	ProductName         string // "Mac OS X" up to 10.15 (and in compat mode), then "macOS"
	ProductVersion      string // "10.7.5", "14.0"; "11.0" when the file said 10.16
	ProductBuildVersion string // "11G63", "23A344"

	// Compat is true when the file said 10.16: a process built against an
	// SDK older than 11, or run with SYSTEM_VERSION_COMPAT=1, is shown a
	// compatibility file whose 10.16 stands for any release from 11 on
	// (PLATFORMS.md §3.2). ProductVersion then says only "11.0", a floor.
	Compat bool
}

// ParseSystemVersionPlist reads SystemVersion.plist, an XML property list
// whose top-level dict maps ProductVersion, ProductBuildVersion,
// ProductName (and others, ignored) to strings. ProductVersion must be
// there. 10.16 is read as 11.0, with Compat set.
func ParseSystemVersionPlist(data []byte) (SystemVersion, error) {
	if bytes.HasPrefix(data, []byte("bplist")) {
		return SystemVersion{}, errors.New("binary property list: want XML")
	}
	dict, err := plistDict(data)
	if err != nil {
		return SystemVersion{}, err
	}
	sv := SystemVersion{
		ProductName:         dict["ProductName"],
		ProductVersion:      dict["ProductVersion"],
		ProductBuildVersion: dict["ProductBuildVersion"],
	}
	if sv.ProductVersion == "" {
		return SystemVersion{}, errors.New("no ProductVersion")
	}
	if sv.ProductVersion == "10.16" || strings.HasPrefix(sv.ProductVersion, "10.16.") {
		sv.ProductVersion, sv.Compat = "11.0", true
	}
	return sv, nil
}

// plistDict reads the string values of a property list's top-level dict.
// Values of other types are skipped.
func plistDict(data []byte) (map[string]string, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	depth := 0 // 1 inside <plist>, 2 inside the top-level <dict>
	inDict := false
	key := ""
	dict := make(map[string]string)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("property list: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1 && t.Name.Local != "plist":
				return nil, fmt.Errorf("property list: root element <%s>, want <plist>", t.Name.Local)
			case depth == 2 && t.Name.Local == "dict":
				inDict = true
			case depth == 3 && inDict:
				var text string
				if err := dec.DecodeElement(&text, &t); err != nil {
					return nil, fmt.Errorf("property list: <%s>: %w", t.Name.Local, err)
				}
				depth--
				switch t.Name.Local {
				case "key":
					key = text
				case "string":
					dict[key] = text
					key = ""
				default:
					key = ""
				}
			}
		case xml.EndElement:
			depth--
		}
	}
	if !inDict {
		return nil, errors.New("property list: no top-level <dict>")
	}
	return dict, nil
}
